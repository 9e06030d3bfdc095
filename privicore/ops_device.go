package privicore

import (
	"context"
	"encoding/json"
)

// Device is one device record (V3, S2, A2). Fields beyond the identifier
// are PROPOSED in the reference; the raw record is kept in Raw.
type Device struct {
	DeviceIdentifier string          `json:"deviceIdentifier"`
	Name             string          `json:"name"`
	Roles            StringList      `json:"roles"`
	Status           string          `json:"status"`
	CreatedAt        string          `json:"createdAt"`
	Raw              json.RawMessage `json:"-"`
}

// UnmarshalJSON keeps the raw record and accepts the legacy deviceId.
func (d *Device) UnmarshalJSON(b []byte) error {
	type plain Device
	var w struct {
		plain
		DeviceID string `json:"deviceId"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = Device(w.plain)
	if d.DeviceIdentifier == "" {
		d.DeviceIdentifier = w.DeviceID
	}
	d.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// DeviceList is the answer of V3, S2 and A2.
type DeviceList struct {
	Devices []Device
	Timing
}

// RequestUniqueIdentifier is V1: POST /device/request-unique-identifier
// (async command); pass the Ack's CommandID to RetrieveUniqueIdentifier.
func (s *Session) RequestUniqueIdentifier(ctx context.Context, deviceName string) (Ack, error) {
	const op = "request-device-identifier"
	if err := required(op, "deviceName", deviceName); err != nil {
		return Ack{}, err
	}
	return s.command(ctx, post(op, "/device/request-unique-identifier", form("deviceName", deviceName)))
}

// DeviceIdentifier is V2's answer.
type DeviceIdentifier struct {
	DeviceIdentifier string
	Timing
}

// RetrieveUniqueIdentifier is V2: POST /device/retrieve-unique-identifier,
// form id = V1's command id; the body is {deviceIdentifier} or a bare string.
func (s *Session) RetrieveUniqueIdentifier(ctx context.Context, commandID string) (DeviceIdentifier, error) {
	const op = "retrieve-device-identifier"
	if err := required(op, "id", commandID); err != nil {
		return DeviceIdentifier{}, err
	}
	res, err := s.call(ctx, post(op, "/device/retrieve-unique-identifier", form("id", commandID)))
	if err != nil {
		return DeviceIdentifier{}, err
	}
	id, ok := stringOrField(res.body, "deviceIdentifier")
	if !ok {
		if id, ok = stringOrField(res.body, "deviceId"); !ok {
			return DeviceIdentifier{}, badBody(op, res.body, "no deviceIdentifier")
		}
	}
	return DeviceIdentifier{DeviceIdentifier: id, Timing: res.timing}, nil
}

// RetrieveProfileDevices is V3: GET /device/retrieve-profile-devices.
func (s *Session) RetrieveProfileDevices(ctx context.Context) (DeviceList, error) {
	return s.devices(ctx, get("retrieve-profile-devices", "/device/retrieve-profile-devices"))
}

func (s *Session) devices(ctx context.Context, r Request) (DeviceList, error) {
	devices, t, err := list[Device](ctx, s, r)
	return DeviceList{Devices: devices, Timing: t}, err
}

// ConfigureDeviceMeta is V4: POST /device/configure-meta, deviceIdentifier
// and an optional friendly name (async command).
func (s *Session) ConfigureDeviceMeta(ctx context.Context, deviceID, name string) (Ack, error) {
	const op = "configure-device-meta"
	if err := required(op, "deviceIdentifier", deviceID); err != nil {
		return Ack{}, err
	}
	f := form("deviceIdentifier", deviceID)
	if name != "" {
		f.Set("name", name)
	}
	return s.command(ctx, post(op, "/device/configure-meta", f))
}

// ApproveDevice is V5: POST /device/approve-device (async command).
func (s *Session) ApproveDevice(ctx context.Context, deviceID string) (Ack, error) {
	return s.byDevice(ctx, "approve-device", "/device/approve-device", deviceID)
}

// RejectDevice is V6: POST /device/reject-device (async command).
func (s *Session) RejectDevice(ctx context.Context, deviceID string) (Ack, error) {
	return s.byDevice(ctx, "reject-device", "/device/reject-device", deviceID)
}

// DeviceConfiguration is V7's answer: a bundle with AMQP credentials and key
// material, so it never prints; Reveal returns the JSON.
type DeviceConfiguration struct {
	raw []byte
	Timing
}

// String redacts the bundle.
func (DeviceConfiguration) String() string { return "privicore.DeviceConfiguration{" + redacted + "}" }

// GoString redacts under %#v too.
func (d DeviceConfiguration) GoString() string { return d.String() }

// MarshalText redacts, for encoding/json and other text encoders.
func (d DeviceConfiguration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Reveal returns the configuration bundle's JSON.
func (d DeviceConfiguration) Reveal() json.RawMessage { return d.raw }

// RetrieveDeviceConfiguration is V7: POST /device/download-device-configuration.
func (s *Session) RetrieveDeviceConfiguration(ctx context.Context, deviceID string) (DeviceConfiguration, error) {
	const op = "retrieve-device-configuration"
	if err := required(op, "deviceIdentifier", deviceID); err != nil {
		return DeviceConfiguration{}, err
	}
	res, err := s.call(ctx, post(op, "/device/download-device-configuration", form("deviceIdentifier", deviceID)))
	if err != nil {
		return DeviceConfiguration{}, err
	}
	if !json.Valid(res.body) {
		return DeviceConfiguration{}, badBody(op, nil, "not JSON")
	}
	return DeviceConfiguration{raw: res.body, Timing: res.timing}, nil
}

// RemoveDevice is V8: POST /device/remove (async command).
func (s *Session) RemoveDevice(ctx context.Context, deviceID string) (Ack, error) {
	return s.byDevice(ctx, "remove-device", "/device/remove", deviceID)
}

// RegisterStorageDevice is S1: POST /storage/register (async command).
func (s *Session) RegisterStorageDevice(ctx context.Context, deviceID string) (Ack, error) {
	return s.byDevice(ctx, "register-storage-device", "/storage/register", deviceID)
}

// ListStorageDevices is S2: GET /storage/list-storage-devices.
func (s *Session) ListStorageDevices(ctx context.Context) (DeviceList, error) {
	return s.devices(ctx, get("list-storage-devices", "/storage/list-storage-devices"))
}

// SyncStorageDevice is S3: POST /storage/sync-device (async command, PROPOSED).
func (s *Session) SyncStorageDevice(ctx context.Context, deviceID string) (Ack, error) {
	return s.byDevice(ctx, "synchronize-storage-device", "/storage/sync-device", deviceID)
}

// RemoveStorageDevice is S4: POST /storage/remove (async command); the
// device stays registered.
func (s *Session) RemoveStorageDevice(ctx context.Context, deviceID string) (Ack, error) {
	return s.byDevice(ctx, "remove-storage-device", "/storage/remove", deviceID)
}
