package sim

import "net/http"

// storageRoutes are S1–S4, with the guides' legacy paths.
func storageRoutes() []route {
	return []route{
		{"POST", "/storage/register", "register-storage-device", authToken, (*Server).registerStorage},
		{"POST", "/storage/register-storage-device", "register-storage-device", authToken, (*Server).registerStorage},
		{"GET", "/storage/list-storage-devices", "list-storage-devices", authToken, (*Server).listStorage},
		{"POST", "/storage/sync-device", "sync-storage-device", authToken, (*Server).syncStorage},
		{"POST", "/storage/remove", "remove-storage", authToken, (*Server).removeStorage},
		{"POST", "/storage/remove-storage", "remove-storage", authToken, (*Server).removeStorage},
	}
}

// registerStorage is S1: an approved device joins the store fan-out;
// registering it twice changes nothing.
func (s *Server) registerStorage(c *call) {
	s.deviceCommand(c, func(_ *holdings, d *device) outcome {
		if d.status != deviceApproved {
			return rejected("device.not_approved")
		}
		d.storage = true
		return succeeded()
	})
}

// listStorage is S2: the V3 records of devices with the storage role.
func (s *Server) listStorage(c *call) {
	writeJSON(c.w, http.StatusOK, c.profile.deviceList(func(d *device) bool { return d.storage }))
}

// syncStorage is S3 (response PROPOSED): simulated devices are always
// online, so a storage device always synchronises.
func (s *Server) syncStorage(c *call) {
	s.deviceCommand(c, func(_ *holdings, d *device) outcome {
		if !d.storage {
			return rejected("storage.not_a_storage_device")
		}
		return succeeded()
	})
}

// removeStorage is S4: only the storage role goes; the device stays and
// may be registered again [W].
func (s *Server) removeStorage(c *call) {
	s.deviceCommand(c, func(_ *holdings, d *device) outcome {
		if !d.storage {
			return rejected("storage.not_a_storage_device")
		}
		d.storage = false
		return succeeded()
	})
}
