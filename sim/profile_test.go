package sim_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

func TestRegisterAndAuthenticateFailures(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	a.register("alice", "secret")
	want(t, a.post("/profile/register-profile", "", url.Values{"username": {"alice"}, "password": {"x"}}), http.StatusConflict)
	want(t, a.post("/profile/register-profile", "", url.Values{"username": {"bob"}}), 422)
	want(t, a.post("/profile/authenticate", "", url.Values{"username": {"alice"}, "password": {"wrong"}}), 401)
	want(t, a.post("/profile/authenticate", "", url.Values{"username": {"nobody"}, "password": {"secret"}}), 401)
	want(t, a.post("/profile/authenticate", "", url.Values{"username": {"alice"}}), 422)
}

// TestRegisterClaimsNameBeforeAck: a second registration of a name still
// in flight is a 409, and the profile cannot authenticate before its ack.
func TestRegisterClaimsNameBeforeAck(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := start(t, sim.Options{AckLatency: sim.Latency{Min: time.Second, Max: time.Second}, Clock: clock, StrictRegistration: true})
	a := newAPI(t, srv)
	id := commandID(t, a.post("/profile/register-profile", "", url.Values{"username": {"alice"}, "password": {"pw"}}))
	wantKey(t, a.post("/profile/register-profile", "", url.Values{"username": {"alice"}, "password": {"pw"}}), http.StatusConflict, "profile.username_taken")
	wantKey(t, a.post("/profile/authenticate", "", url.Values{"username": {"alice"}, "password": {"pw"}}), 401, "invalid credentials") // strict: not before the ack
	clock.advanceUntil(t, 100*time.Millisecond, func() bool { return a.statusWord(id, "") != "started" })
	if got := a.pollStatus(id, ""); got != "succeeded" {
		t.Fatalf("register: %s", got)
	}
	a.login("alice", "pw")
}

func TestProfileIDAndExpiry(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	var id struct{ ProfileID string }
	r := a.get("/profile/retrieve-profile-id", token)
	want(t, r, 200)
	r.json(t, &id)
	if id.ProfileID == "" {
		t.Fatalf("profile id: %s", r.body)
	}
	for _, r := range []reply{a.post("/profile/authorization-token/expiry", token, nil), a.get("/profile/retrieve-token-expiry", token)} {
		want(t, r, 200)
		var v struct{ ExpiresAt string }
		r.json(t, &v)
		if _, err := time.Parse(time.RFC3339, v.ExpiresAt); err != nil {
			t.Fatalf("expiresAt %q: %v", v.ExpiresAt, err)
		}
	}
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	ws := dial(t, srv)
	ws.join(token)
	id := commandID(t, a.post("/profile/change-password", token, url.Values{"currentPassword": {"wrong"}, "newPassword": {"n"}}))
	if st, body := ws.ack(id); st != 3 || body != "profile.invalid_password" {
		t.Fatalf("wrong current password: %d %v", st, body)
	}
	id = commandID(t, a.post("/profile/change-password", token, url.Values{"currentPassword": {"pw-alice"}, "newPassword": {"new-pw"}}))
	if st, _ := ws.ack(id); st != 2 {
		t.Fatal("change-password rejected")
	}
	want(t, a.post("/profile/authenticate", "", url.Values{"username": {"alice"}, "password": {"pw-alice"}}), 401)
	a.login("alice", "new-pw")
	want(t, a.get("/profile/retrieve-profile-id", token), 200) // existing tokens stay valid
	want(t, a.post("/profile/change-password", token, url.Values{"currentPassword": {"x"}}), 422)
}

func TestQRToken(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	for _, path := range []string{"/profile/generate-token-qr", "/profile/generate-qr-token-for-authorization"} {
		r := a.post(path, token, nil)
		want(t, r, 200)
		var v struct{ QrToken, ExpiresAt string }
		r.json(t, &v)
		if v.QrToken == "" || v.ExpiresAt == "" {
			t.Fatalf("%s: %s", path, r.body)
		}
	}
}

func TestReauthorizeAndRevoke(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	old := a.newProfile("alice")
	want(t, a.post("/profile/reauthorize-authorization-token", old, url.Values{"ttl": {"nope"}}), 422)
	want(t, a.post("/profile/reauthorize-authorization-token", old, nil), 422)
	r := a.post("/profile/reauthorize-authorization-token", old, url.Values{"ttl": {"86400"}})
	want(t, r, 200)
	var v struct{ AuthorizationToken, ExpiresAt string }
	r.json(t, &v)
	want(t, a.get("/profile/retrieve-profile-id", old), 401)
	want(t, a.get("/profile/retrieve-profile-id", v.AuthorizationToken), 200)
	exp, err := time.Parse(time.RFC3339, v.ExpiresAt)
	if err != nil || time.Until(exp) < 23*time.Hour || time.Until(exp) > 25*time.Hour {
		t.Fatalf("reauthorized expiry %q", v.ExpiresAt)
	}
	want(t, a.post("/profile/revoke-authorization-token", v.AuthorizationToken, nil), 200)
	want(t, a.get("/profile/retrieve-profile-id", v.AuthorizationToken), 401)
}

// TestStrictPublicKeyOrder: with RequirePublicKeyForAuth a key-less
// profile cannot authenticate (the guides' order); a provisioned user can.
func TestStrictPublicKeyOrder(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{RequirePublicKeyForAuth: true, Users: []sim.User{{Name: "demo", Password: "demo-pw"}}})
	a := newAPI(t, srv)
	a.register("alice", "pw")
	want(t, a.post("/profile/authenticate", "", url.Values{"username": {"alice"}, "password": {"pw"}}), 401)
	token := a.login("demo", "demo-pw")
	r := a.get("/public-key/retrieve-public-key", token)
	want(t, r, 200)
	var v struct{ PublicKey string }
	r.json(t, &v)
	if len(v.PublicKey) != 200 || v.PublicKey[:8] != "31420500" {
		t.Fatalf("provisioned key %q", v.PublicKey)
	}
}

// TestSessionsPerProfileBounded: the oldest token dies when a profile
// holds too many.
func TestSessionsPerProfileBounded(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	first := a.newProfile("alice")
	for range 256 {
		a.login("alice", "pw-alice")
	}
	want(t, a.get("/profile/retrieve-profile-id", first), 401)
}

// TestAuthenticateRightAfterRegistering: by default a profile is usable
// as soon as register-profile is accepted, as the live wire lets the probe
// suite authenticate right after the 202 (issue 13); a registration that
// then ends rejected takes its tokens with it.
func TestAuthenticateRightAfterRegistering(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := start(t, sim.Options{AckLatency: sim.Latency{Min: time.Hour, Max: time.Hour}, Clock: clock})
	a := newAPI(t, srv)
	id := commandID(t, a.registerRawNamed("alice"))
	token := a.login("alice", "pw") // the ack is an hour away
	want(t, a.get("/profile/retrieve-profile-id", token), http.StatusOK)
	if got := a.statusWord(id, ""); got != "started" {
		t.Fatalf("register-profile is %s before its latency", got)
	}

	rejecting := newAPI(t, start(t, sim.Options{RejectRate: 1, AckLatency: sim.Latency{Min: time.Hour, Max: time.Hour}, Clock: clock}))
	id = commandID(t, rejecting.registerRawNamed("bob"))
	token = rejecting.login("bob", "pw")
	clock.advanceUntil(t, time.Hour, func() bool { return rejecting.statusWord(id, "") != "started" })
	wantKey(t, rejecting.get("/profile/retrieve-profile-id", token), http.StatusUnauthorized, "invalid token")
}
