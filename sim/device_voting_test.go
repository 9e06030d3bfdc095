package sim_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pcflow/pcflow/sim"
)

// deviceRecord is V3's record.
type deviceRecord struct {
	DeviceIdentifier, Name, Status string
	Roles                          []string
	Meta                           map[string]string
}

func (o *owner) devices(path string) []deviceRecord {
	o.t.Helper()
	r := o.get(path)
	want(o.t, r, http.StatusOK)
	var list []deviceRecord
	r.json(o.t, &list)
	return list
}

func TestDeviceOnboarding(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	o := newOwner(t, srv, "alice")
	phone := o.device("phone-a")
	if list := o.devices("/device/retrieve-profile-devices"); len(list) != 1 || list[0].Status != "pending" || list[0].Name != "phone-a" {
		t.Fatalf("after request-unique-identifier: %+v", list)
	}
	want(t, o.post("/device/download-device-configuration", url.Values{"deviceIdentifier": {phone}}), http.StatusConflict)
	o.ok(o.post("/device/approve-device", url.Values{"deviceIdentifier": {phone}}))
	o.ok(o.post("/device/configure-meta", url.Values{"deviceId": {phone}, "displayName": {"work phone"}, "tags": {"eu, primary"}}))
	list := o.devices("/device/retrieve-profile-devices")
	if len(list) != 1 || list[0].Status != "approved" || list[0].Name != "work phone" || list[0].Meta["tags"] != "eu,primary" {
		t.Fatalf("after approve and configure-meta: %+v", list)
	}
	r := o.get("/device/download-device-configuration?deviceIdentifier=" + phone)
	want(t, r, http.StatusOK)
	var bundle struct {
		DeviceIdentifier string
		AMQP             struct{ Password string }
	}
	r.json(t, &bundle)
	if bundle.DeviceIdentifier != phone || bundle.AMQP.Password == "" {
		t.Fatalf("device configuration: %s", r.body)
	}
	o.refused(o.post("/device/reject-device", url.Values{"deviceIdentifier": {phone}}), "device.not_pending")

	pending := o.device("phone-b")
	o.ok(o.post("/device/reject-device", url.Values{"deviceIdentifier": {pending}}))
	o.ok(o.post("/device/remove", url.Values{"deviceIdentifier": {phone}}))
	if list := o.devices("/device/retrieve-profile-devices"); len(list) != 0 {
		t.Fatalf("after reject and remove: %+v", list)
	}
	o.refused(o.post("/device/approve-device", url.Values{"deviceIdentifier": {phone}}), "device.not_found")
	want(t, o.post("/device/approve-device", url.Values{}), http.StatusUnprocessableEntity)
}

func TestRetrieveUniqueIdentifierPaths(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	o := newOwner(t, srv, "bob")
	cmd := o.ok(o.post("/device/request-device-id", url.Values{"deviceName": {"old-client"}}))
	r := o.get("/device/retrieve-device-id/" + cmd) // the stale docset path, with its field name
	want(t, r, http.StatusOK)
	var v struct{ DeviceIdentifier, DeviceID string }
	r.json(t, &v)
	if v.DeviceIdentifier == "" || v.DeviceID != v.DeviceIdentifier {
		t.Fatalf("legacy retrieve: %s", r.body)
	}
	want(t, o.post("/device/retrieve-unique-identifier", url.Values{"id": {"no-such-command"}}), http.StatusNotFound)
	other := newOwner(t, srv, "eve")
	want(t, other.post("/device/retrieve-unique-identifier", url.Values{"id": {cmd}}), http.StatusNotFound)
}

func TestStorageRole(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	o := newOwner(t, srv, "carol")
	dev := o.device("nas")
	o.refused(o.post("/storage/register", url.Values{"deviceIdentifier": {dev}}), "device.not_approved")
	o.ok(o.post("/device/approve-device", url.Values{"deviceIdentifier": {dev}}))
	o.ok(o.post("/storage/register", url.Values{"deviceIdentifier": {dev}}))
	o.ok(o.post("/verified-authenticator/register", url.Values{"deviceIdentifier": {dev}})) // both roles at once [W]
	if list := o.devices("/storage/list-storage-devices"); len(list) != 1 || len(list[0].Roles) != 2 {
		t.Fatalf("storage list: %+v", list)
	}
	o.ok(o.post("/storage/sync-device", url.Values{"deviceIdentifier": {dev}}))
	o.ok(o.post("/storage/remove", url.Values{"deviceIdentifier": {dev}}))
	if list := o.devices("/storage/list-storage-devices"); len(list) != 0 {
		t.Fatalf("storage list after remove: %+v", list)
	}
	if list := o.devices("/verified-authenticator/list"); len(list) != 1 {
		t.Fatalf("removing storage touched the authenticator role: %+v", list)
	}
	o.refused(o.post("/storage/sync-device", url.Values{"deviceIdentifier": {dev}}), "storage.not_a_storage_device")
	o.refused(o.post("/storage/remove-storage", url.Values{"deviceIdentifier": {dev}}), "storage.not_a_storage_device")
}

// strategyView is A3's body.
type strategyView struct {
	Strategy            string
	StrategyParams      string `json:"strategy_params"`
	QuorumSize          int
	TimeLimit           int
	NumberOfAttempts    int
	AvailableStrategies []string
}

func TestAuthenticatorsAndVotingDefaults(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	o := newOwner(t, srv, "dave")
	pending := o.device("pending-phone")
	o.refused(o.post("/verified-authenticator/register", url.Values{"deviceIdentifier": {pending}}), "device.not_approved")
	phones := o.authenticators(2)
	if list := o.devices("/verified-authenticator/list"); len(list) != 2 || list[0].DeviceIdentifier != phones[0] {
		t.Fatalf("authenticators: %+v", list)
	}
	var v strategyView
	r := o.get("/verified-authenticator/retrieve-strategy")
	want(t, r, http.StatusOK)
	r.json(t, &v)
	if v.Strategy != "unanimous" || v.StrategyParams != "100" || v.QuorumSize != 1 || v.TimeLimit != 300 ||
		v.NumberOfAttempts != 1 || len(v.AvailableStrategies) != 4 {
		t.Fatalf("defaults: %s", r.body)
	}
	o.ok(o.post("/verified-authenticator/set-quorum-size", url.Values{"quorumSize": {"2"}}))
	o.ok(o.post("/verified-authenticator/set-quorum-strategy", url.Values{"strategy": {"minimum_percentage"}, "strategy_params": {"75"}}))
	o.ok(o.post("/verified-authenticator/set-voting-time-limit", url.Values{"timeLimit": {"600"}}))
	o.ok(o.post("/verified-authenticator/set-maximum-voting-attempts", url.Values{"numberOfAttempts": {"3"}}))
	r = o.get("/verified-authenticator/retrieve-strategy")
	r.json(t, &v)
	if v.Strategy != "minimum_percentage" || v.StrategyParams != "75" || v.QuorumSize != 2 || v.TimeLimit != 600 || v.NumberOfAttempts != 3 {
		t.Fatalf("after the set-* commands: %s", r.body)
	}

	o.ok(o.post("/verified-authenticator/remove", url.Values{"deviceIdentifier": {phones[0]}}))
	if list := o.devices("/verified-authenticator/list"); len(list) != 1 || list[0].DeviceIdentifier != phones[1] {
		t.Fatalf("after remove: %+v", list)
	}
	o.refused(o.post("/verified-authenticator/remove", url.Values{"deviceIdentifier": {phones[0]}}), "verified_authenticator.not_found")
}

func TestVotingDefaultsValidation(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	o := newOwner(t, srv, "erin")
	tests := []struct {
		why, path string
		form      url.Values
		key       string
	}{
		{"an unknown strategy", "/verified-authenticator/set-quorum-strategy", url.Values{"strategy": {"majority"}, "strategy_params": {"51"}}, "voting.unknown_strategy"},
		{"params above 100", "/verified-authenticator/set-quorum-strategy", url.Values{"strategy": {"minimum_percentage"}, "strategy_params": {"101"}}, "voting.percentage_out_of_range"},
		{"minimum_percentage without params", "/verified-authenticator/set-quorum-strategy", url.Values{"strategy": {"minimum_percentage"}}, "validation.required"},
		{"a quorum of 0", "/verified-authenticator/set-quorum-size", url.Values{"quorumSize": {"0"}}, "validation.out_of_range"},
		{"a time limit of 0 s", "/verified-authenticator/set-voting-time-limit", url.Values{"timeLimit": {"0"}}, "validation.out_of_range"},
		{"a time limit that is not a number", "/verified-authenticator/set-voting-time-limit", url.Values{"timeLimit": {"soon"}}, "validation.integer_expected"},
		{"zero attempts", "/verified-authenticator/set-maximum-voting-attempts", url.Values{"numberOfAttempts": {"0"}}, "validation.out_of_range"},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) { wantKey(t, o.post(tt.path, tt.form), http.StatusUnprocessableEntity, tt.key) })
	}
}
