package sim_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pcflow/pcflow/sim"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	for _, path := range []string{"/health", "/utility/check-server-health"} {
		r := a.get(path, "")
		want(t, r, 200)
		var v struct{ Status string }
		r.json(t, &v)
		if v.Status != "ok" {
			t.Fatalf("%s: %s", path, r.body)
		}
	}
}

// TestRequestStatusForms serves POST and GET /request-status/{id} and the
// legacy object form, with and without a token.
func TestRequestStatusForms(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{RejectRate: 0})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	id := commandID(t, a.post("/profile/change-password", token, url.Values{"currentPassword": {"bad"}, "newPassword": {"x"}}))
	if got := a.pollStatus(id, token); got != "rejected" {
		t.Fatalf("POST form: %s", got)
	}
	r := a.get("/request-status/"+id, token)
	want(t, r, 200)
	var words []string
	r.json(t, &words)
	if len(words) != 1 || words[0] != "rejected" {
		t.Fatalf("GET form: %s", r.body)
	}
	r = a.get("/utility/request-command-id-status/"+id, token)
	want(t, r, 200)
	var legacy struct {
		CommandID     string
		CommandStatus int `json:"command_status"`
		Body          string
	}
	r.json(t, &legacy)
	if legacy.CommandID != id || legacy.CommandStatus != 3 || legacy.Body != "profile.invalid_password" {
		t.Fatalf("legacy form: %s", r.body)
	}
	want(t, a.get("/request-status/00000000-0000-7000-8000-000000000000", ""), http.StatusNotFound)
	want(t, a.get("/request-status/"+id, "T-not-a-token"), http.StatusUnauthorized)
	// Without a token, only register-profile's commands are answered (its
	// profile has no token yet); another command is as unknown as a made-up id.
	wantKey(t, a.get("/request-status/"+id, ""), http.StatusNotFound, "command.not_found")
	reg := commandID(t, a.post("/profile/register-profile", "", url.Values{"username": {"bob"}, "password": {"pw"}}))
	if got := a.pollStatus(reg, ""); got != "succeeded" {
		t.Fatalf("token-less poll of register-profile: %s", got)
	}
	r = a.get("/utility/request-command-id-status/"+reg, "")
	want(t, r, 200)
	// The live wire's onboarding polls register-public-key's id without a
	// token too (register → poll → authenticate → register key → poll, as
	// a third-party probe suite aligned with the live server does).
	bob := a.login("bob", "pw")
	key := commandID(t, a.post("/public-key/register-public-key", bob, url.Values{"publicKey": {signedKey(make([]byte, 32))}}))
	if got := a.pollStatus(key, ""); got != "succeeded" {
		t.Fatalf("token-less poll of register-public-key: %s", got)
	}
}
