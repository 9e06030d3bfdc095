package sim

import (
	"net/http"
	"strings"
)

// deviceRoutes are V1–V8, with the guides' and docset's legacy paths.
func deviceRoutes() []route {
	return []route{
		{"POST", "/device/request-unique-identifier", "request-unique-identifier", authToken, (*Server).requestDeviceID},
		{"POST", "/device/request-device-id", "request-unique-identifier", authToken, (*Server).requestDeviceID},
		{"POST", "/device/retrieve-unique-identifier", "retrieve-unique-identifier", authToken, (*Server).retrieveDeviceID},
		{"GET", "/device/retrieve-device-id/{commandId}", "retrieve-unique-identifier", authToken, (*Server).retrieveDeviceID},
		{"GET", "/device/retrieve-profile-devices", "retrieve-profile-devices", authToken, (*Server).listDevices},
		{"POST", "/device/configure-meta", "configure-device-meta", authToken, (*Server).configureDeviceMeta},
		{"POST", "/device/configure-device-meta", "configure-device-meta", authToken, (*Server).configureDeviceMeta},
		{"POST", "/device/approve-device", "approve-device", authToken, (*Server).approveDevice},
		{"POST", "/device/reject-device", "reject-device", authToken, (*Server).rejectDevice},
		{"POST", "/device/download-device-configuration", "download-device-configuration", authToken, (*Server).deviceConfiguration},
		{"GET", "/device/download-device-configuration", "download-device-configuration", authToken, (*Server).deviceConfiguration},
		{"POST", "/device/remove", "remove-device", authToken, (*Server).removeDevice},
		{"POST", "/device/remove-device", "remove-device", authToken, (*Server).removeDevice},
	}
}

// deviceID reads deviceIdentifier, or the docset/guide alias deviceId.
func (f *fields) deviceID() string {
	if _, ok := f.c.raw("deviceIdentifier"); !ok {
		if _, alias := f.c.raw("deviceId"); alias {
			return f.str("deviceId", true, maxFieldLen)
		}
	}
	return f.str("deviceIdentifier", true, maxFieldLen)
}

// requestDeviceID is V1: the device is created pending when the command
// resolves; V2 then maps the command id to its identifier.
func (s *Server) requestDeviceID(c *call) {
	f := c.fields()
	name := f.str("deviceName", true, maxFieldLen)
	if !f.ok() {
		return
	}
	s.acceptOnHoldings(c, func(cmdID string, h *holdings) outcome {
		if len(h.devices) >= maxDevicesPerProfile {
			return rejected("device.too_many_devices")
		}
		d := &device{id: s.ids.uuid7(), commandID: cmdID, name: name, status: devicePending,
			meta: map[string]string{}, createdAt: s.clock.Now(), seq: h.next()}
		h.devices[d.id], h.byCommand[cmdID] = d, d
		return succeeded()
	})
}

// retrieveDeviceID is V2: POST form id ([P]) or the stale GET path with
// the command id ([D][G]), which also gets the old field name deviceId.
func (s *Server) retrieveDeviceID(c *call) {
	cmdID := c.r.PathValue("commandId")
	if cmdID == "" {
		f := c.fields()
		if cmdID = f.str("id", true, maxFieldLen); !f.ok() {
			return
		}
	}
	var id string
	c.profile.inHoldings(func(h *holdings) {
		if d := h.byCommand[cmdID]; d != nil {
			id = d.id
		}
	})
	if id == "" {
		writeError(c.w, http.StatusNotFound, "device.not_found")
		return
	}
	body := map[string]string{"deviceIdentifier": id}
	if c.r.PathValue("commandId") != "" {
		body["deviceId"] = id
	}
	writeJSON(c.w, http.StatusOK, body)
}

// listDevices is V3.
func (s *Server) listDevices(c *call) {
	writeJSON(c.w, http.StatusOK, c.profile.deviceList(func(*device) bool { return true }))
}

// deviceCommand accepts a command on one device of the caller: it reads
// deviceIdentifier, answers 202, and at resolution runs change on the
// device under p.mu, or rejects with device.not_found.
func (s *Server) deviceCommand(c *call, change func(h *holdings, d *device) outcome) {
	f := c.fields()
	id := f.deviceID()
	if !f.ok() {
		return
	}
	s.acceptOnHoldings(c, func(_ string, h *holdings) outcome {
		d := h.devices[id]
		if d == nil {
			return rejected("device.not_found")
		}
		return change(h, d)
	})
}

// configureDeviceMeta is V4: name (alias displayName) and tags (a comma
// list in the docset) are kept; other fields are refused by nobody and
// ignored.
func (s *Server) configureDeviceMeta(c *call) {
	f := c.fields()
	name := f.optional("name", maxFieldLen)
	if name == "" {
		name = f.optional("displayName", maxFieldLen)
	}
	tags := f.optional("tags", maxFieldLen)
	if !f.ok() {
		return
	}
	s.deviceCommand(c, func(_ *holdings, d *device) outcome {
		if name != "" {
			d.name = name
		}
		if tags != "" {
			d.meta["tags"] = strings.Join(strings.Fields(strings.ReplaceAll(tags, ",", " ")), ",")
		}
		return succeeded()
	})
}

// approveDevice is V5; approving an approved device changes nothing.
func (s *Server) approveDevice(c *call) {
	s.deviceCommand(c, func(_ *holdings, d *device) outcome {
		if d.status != deviceApproved {
			d.status, d.amqpPassword = deviceApproved, secret("amqp-")
		}
		return succeeded()
	})
}

// rejectDevice is V6: a pending device is discarded [G].
func (s *Server) rejectDevice(c *call) {
	s.deviceCommand(c, func(h *holdings, d *device) outcome {
		if d.status != devicePending {
			return rejected("device.not_pending")
		}
		h.forget(d)
		return succeeded()
	})
}

// removeDevice is V8: the device and its roles go; pools already running
// keep it as a target [W A8].
func (s *Server) removeDevice(c *call) {
	s.deviceCommand(c, func(h *holdings, d *device) outcome {
		h.forget(d)
		return succeeded()
	})
}

// deviceConfiguration is V7 (PROPOSED bundle): what a device needs to
// reach the CAB's broker. Only approved devices have one.
func (s *Server) deviceConfiguration(c *call) {
	f := c.fields()
	id := f.deviceID()
	if !f.ok() {
		return
	}
	var status, password string
	c.profile.inHoldings(func(h *holdings) {
		if d := h.devices[id]; d != nil {
			status, password = d.status, d.amqpPassword
		}
	})
	switch {
	case status == "":
		writeError(c.w, http.StatusNotFound, "device.not_found")
	case status != deviceApproved:
		writeError(c.w, http.StatusConflict, "device.not_approved")
	default:
		short := strings.SplitN(id, "-", 2)[0]
		writeJSON(c.w, http.StatusOK, map[string]any{"deviceIdentifier": id,
			"amqp": map[string]any{"host": "localhost", "port": 5672, "vhost": "/privicore",
				"username": "dev-" + short, "password": password, "routingKey": "device." + short},
			"cabPublicKey": s.cabKey})
	}
}
