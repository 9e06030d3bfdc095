package privicore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

// skipUnserved skips when the simulator does not serve the operation yet
// (its JSON 404 request.unknown_path); any other error fails.
func skipUnserved(t *testing.T, op string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if ae, ok := err.(*privicore.APIError); ok && ae.Status == 404 && strings.Contains(ae.Body, "unknown_path") {
		t.Skipf("sim does not serve %s yet", op)
	}
	t.Fatalf("%s: %v", op, err)
}

func TestDeviceStorageAndAuthenticatorOperations(t *testing.T) {
	e := start(t, sim.Options{})
	s := e.session(t, privicore.SessionOptions{})
	ctx := ctxT(t)
	ack, err := s.RequestUniqueIdentifier(ctx, "phone-a")
	skipUnserved(t, "request-unique-identifier", err)
	dev, err := s.RetrieveUniqueIdentifier(ctx, ack.CommandID)
	skipUnserved(t, "retrieve-unique-identifier", err)
	id := dev.DeviceIdentifier
	devices, err := s.RetrieveProfileDevices(ctx)
	skipUnserved(t, "retrieve-profile-devices", err)
	if !hasDevice(devices, id) {
		t.Fatalf("device %s not listed: %+v", id, devices.Devices)
	}
	steps := []struct {
		op  string
		run func() error
	}{
		{"configure-meta", func() error { _, err := s.ConfigureDeviceMeta(ctx, id, "phone-a2"); return err }},
		{"approve-device", func() error { _, err := s.ApproveDevice(ctx, id); return err }},
		{"download-device-configuration", func() error {
			cfg, err := s.RetrieveDeviceConfiguration(ctx, id)
			if err == nil && (len(cfg.Reveal()) == 0 || strings.Contains(cfg.String(), "password")) {
				t.Errorf("configuration empty or printed: %s", cfg)
			}
			return err
		}},
		{"storage/register", func() error { _, err := s.RegisterStorageDevice(ctx, id); return err }},
		{"list-storage-devices", func() error { return listed(t, id)(s.ListStorageDevices(ctx)) }},
		{"storage/sync-device", func() error { _, err := s.SyncStorageDevice(ctx, id); return err }},
		{"storage/remove", func() error { _, err := s.RemoveStorageDevice(ctx, id); return err }},
		{"verified-authenticator/register", func() error { _, err := s.RegisterAuthenticator(ctx, id); return err }},
		{"verified-authenticator/list", func() error { return listed(t, id)(s.ListAuthenticators(ctx)) }},
		{"set-quorum-size", func() error { _, err := s.SetQuorumSize(ctx, 1); return err }},
		{"set-quorum-strategy", func() error { _, err := s.SetQuorumStrategy(ctx, "affirmative", 1); return err }},
		{"set-voting-time-limit", func() error { _, err := s.SetVotingTimeLimit(ctx, 60); return err }},
		{"set-maximum-voting-attempts", func() error { _, err := s.SetMaximumVotingAttempts(ctx, 2); return err }},
		{"retrieve-strategy", func() error {
			v, err := s.RetrieveVotingStrategy(ctx)
			if err == nil && v.Strategy != "affirmative" {
				t.Errorf("strategy %q after setting affirmative", v.Strategy)
			}
			return err
		}},
		{"verified-authenticator/remove", func() error { _, err := s.RemoveAuthenticator(ctx, id); return err }},
		{"device/remove", func() error { _, err := s.RemoveDevice(ctx, id); return err }},
	}
	for _, st := range steps {
		skipUnserved(t, st.op, st.run())
	}
	other, err := s.RequestUniqueIdentifier(ctx, "phone-b")
	skipUnserved(t, "request-unique-identifier", err)
	dev2, err := s.RetrieveUniqueIdentifier(ctx, other.CommandID)
	skipUnserved(t, "retrieve-unique-identifier", err)
	_, err = s.RejectDevice(ctx, dev2.DeviceIdentifier)
	skipUnserved(t, "reject-device", err)
}

func hasDevice(l privicore.DeviceList, id string) bool {
	for _, d := range l.Devices {
		if d.DeviceIdentifier == id {
			return true
		}
	}
	return false
}

func listed(t *testing.T, id string) func(privicore.DeviceList, error) error {
	return func(l privicore.DeviceList, err error) error {
		if err == nil && !hasDevice(l, id) {
			t.Errorf("device %s missing from %+v", id, l.Devices)
		}
		return err
	}
}

func TestVotingConfigurationPolicyAndPoolOperations(t *testing.T) {
	e := start(t, sim.Options{})
	s := e.session(t, privicore.SessionOptions{})
	ctx := ctxT(t)
	pct := 67
	vc := privicore.VotingConfiguration{Name: "two-thirds", Strategy: "minimum_percentage", TimeLimit: 60, PercentageRequired: &pct}
	_, err := s.RegisterVotingConfiguration(ctx, vc)
	skipUnserved(t, "voting-configuration/register", err)
	vc.TimeLimit = 120
	_, err = s.UpdateVotingConfiguration(ctx, vc)
	skipUnserved(t, "voting-configuration/update", err)
	got, err := s.RetrieveVotingConfiguration(ctx, "two-thirds")
	skipUnserved(t, "voting-configuration/retrieve", err)
	if got.TimeLimit != 120 {
		t.Errorf("time limit after update: %d", got.TimeLimit)
	}
	list, err := s.ListVotingConfigurations(ctx)
	skipUnserved(t, "voting-configuration/list", err)
	if len(list.Configurations) != 1 {
		t.Errorf("configurations: %+v", list.Configurations)
	}
	tpl, err := s.ListPolicyTemplates(ctx)
	skipUnserved(t, "list-policy-templates", err)
	if len(tpl.IDs()) == 0 {
		t.Fatal("no policy templates")
	}
	tid := tpl.IDs()[0]
	_, err = s.RegisterPolicy(ctx, privicore.PolicyParams{Name: "gate", PolicyTemplateID: tid,
		ApplyingEventIDs: tpl.Templates[tid].EventIDs()[:1], VotingConfigurationID: "two-thirds",
		Configuration: map[string]string{"classification": "internal"}})
	skipUnserved(t, "policy/register", err)
	pol := retrievePolicy(t, s, "gate")
	for _, st := range []struct {
		op  string
		run func() error
	}{
		{"policy/activate", func() error { _, err := s.ActivatePolicy(ctx, pol.ID); return err }},
		{"list-active-policies", func() error { return policyListed(t, pol.ID)(s.ListActivePolicies(ctx)) }},
		{"policy/deactivate", func() error { _, err := s.DeactivatePolicy(ctx, pol.ID); return err }},
		{"list-inactive-policies", func() error { return policyListed(t, pol.ID)(s.ListInactivePolicies(ctx)) }},
		{"list-registered-policies", func() error { return policyListed(t, pol.ID)(s.ListRegisteredPolicies(ctx)) }},
		{"policy/delete", func() error { _, err := s.DeletePolicy(ctx, pol.ID); return err }},
	} {
		skipUnserved(t, st.op, st.run())
	}
	p, err := s.SubmitCreateVoting(ctx, privicore.VotingParams{VotingConfigurationID: "two-thirds", Question: "Approve?", Title: "T"})
	skipUnserved(t, "voting/create", err)
	pool, err := s.CheckPoolStatus(ctx, p.CommandID())
	skipUnserved(t, "check-pool-status", err)
	if pool.Status == "" {
		t.Errorf("pool status empty: %+v", pool)
	}
	if _, err := s.CheckPoolStatus(ctx, "00000000-0000-0000-0000-000000000000"); privicore.StatusOf(err) != 404 {
		t.Errorf("unknown pool: %v, want 404", err)
	}
}

// retrievePolicy retries PL9 (eventually consistent) up to 5 × 100 ms.
func retrievePolicy(t *testing.T, s *privicore.Session, name string) privicore.PolicyRecord {
	t.Helper()
	var err error
	for range 5 {
		var p privicore.PolicyRecord
		if p, err = s.RetrievePolicy(ctxT(t), name); err == nil && p.ID != "" {
			return p
		}
		time.Sleep(100 * time.Millisecond)
	}
	skipUnserved(t, "retrieve-policy", err)
	t.Fatal("policy has no id")
	return privicore.PolicyRecord{}
}

func policyListed(t *testing.T, id string) func(privicore.PolicyList, error) error {
	return func(l privicore.PolicyList, err error) error {
		if err != nil {
			return err
		}
		for _, p := range l.Policies {
			if p.ID == id {
				return nil
			}
		}
		t.Errorf("policy %s missing from %+v", id, l.Policies)
		return nil
	}
}
