package sim_test

import (
	"net/url"
	"testing"

	"github.com/pcflow/pcflow/sim"
)

// register-profile's ack reaches no socket (P1: "ack only via polling"):
// the profile has no channel while the command runs, so the pre-join
// buffer must not hand the ack to its first join, where nobody waits for
// it. The next message after joining is the ack of a command sent on the
// channel, not the registration's.
func TestRegisterProfileAckReachesNoSocket(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	reg := commandID(t, a.post("/profile/register-profile", "", url.Values{"username": {"ann"}, "password": {"pw-ann"}}))
	if got := a.pollStatus(reg, ""); got != "succeeded" {
		t.Fatalf("register-profile: %s", got)
	}
	tok := a.login("ann", "pw-ann")
	s := dial(t, srv)
	s.join(tok)
	id := commandID(t, a.post("/verified-authenticator/set-quorum-size", tok, url.Values{"quorumSize": {"1"}}))
	m := s.next()
	data, _ := m["data"].(map[string]any)
	if data["id"] != id {
		t.Fatalf("first message after joining is %v; want the ack of %s (the registration %s must reach no socket)", m, id, reg)
	}
}
