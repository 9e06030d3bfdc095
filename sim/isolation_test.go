package sim_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// authenticated lists every operation that needs a token, with a body
// that would otherwise be valid enough to get past validation.
var authenticated = []struct{ method, path string }{
	{"GET", "/profile/retrieve-profile-id"},
	{"POST", "/profile/change-password"},
	{"POST", "/profile/generate-token-qr"},
	{"POST", "/profile/generate-qr-token-for-authorization"},
	{"POST", "/profile/reauthorize-authorization-token"},
	{"POST", "/profile/revoke-authorization-token"},
	{"POST", "/profile/authorization-token/expiry"},
	{"GET", "/profile/retrieve-token-expiry"},
	{"POST", "/public-key/register-public-key"},
	{"GET", "/public-key/retrieve-public-key"},
	{"GET", "/dptcab/public-key"},
	{"GET", "/public-key/retrieve-cab-public-key"},
	{"POST", "/data-token/reserve-token-space"},
	{"GET", "/data-token/retrieve-temporary-data-token/x"},
	{"POST", "/data-token/exchange-data-for-token"},
	{"POST", "/data-token/configure-file-meta"},
	{"POST", "/data-token/request-data"},
	{"POST", "/data-token/configure-information-security-risk-meta"},
	{"GET", "/data-token/list-data-tokens"},
	{"POST", "/data-token/update-data-token"},
	{"POST", "/data-token/update-data"},
	{"POST", "/data-token/delete-data"},
}

// TestUnauthorizedMatrix: missing, unknown, expired and revoked tokens
// get 401 on every authenticated operation.
func TestUnauthorizedMatrix(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := start(t, sim.Options{TokenTTL: time.Hour, Clock: clock})
	a := newAPI(t, srv)
	a.register("alice", "pw")
	expired, revoked := a.login("alice", "pw"), a.login("alice", "pw")
	want(t, a.post("/profile/revoke-authorization-token", revoked, nil), 200)
	clock.Advance(time.Hour) // a token is dead at its expiry
	for _, tok := range []struct{ why, token string }{{"missing", ""}, {"unknown", "T-unknown"}, {"expired", expired}, {"revoked", revoked}} {
		for _, op := range authenticated {
			r := a.do(op.method, op.path, tok.token, "application/x-www-form-urlencoded", bytes.NewReader([]byte("token=x")))
			if r.status != http.StatusUnauthorized || !bytes.Contains(r.body, []byte("invalid token")) {
				t.Errorf("%s token, %s %s: %d %s", tok.why, op.method, op.path, r.status, r.body)
			}
		}
	}
}

// TestIsolationMatrix: bob can neither read, change nor delete alice's
// reservations, data tokens or commands; alice's data is unchanged after.
func TestIsolationMatrix(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	alice, bob := a.newProfile("alice"), a.newProfile("bob")
	ws := dial(t, srv)
	ws.join(alice)
	blob := bytes.Repeat([]byte{0xab}, 40)
	dtk := store(t, a, ws, alice, blob)
	tmpEmpty, _, reserveCmd := reserve(t, a, ws, alice)
	tmpFilled, _, _ := reserve(t, a, ws, alice)
	id := commandID(t, a.post("/data-token/exchange-data-for-token", alice, url.Values{"temporaryTokenSpace": {tmpFilled}, "data": {b64(blob)}}))
	ws.ack(id)

	const (
		noReservation = "data_token.reservation_not_found"
		noDataToken   = "data_token.not_found"
		noCommand     = "command.not_found"
	)
	for _, tc := range []struct {
		why string
		r   func() reply
		key string // the 404's: alice's record is unknown to bob
	}{
		{"read a reservation", func() reply { return a.get("/data-token/retrieve-temporary-data-token/"+reserveCmd, bob) }, noReservation},
		{"fill a reservation", func() reply {
			return a.post("/data-token/exchange-data-for-token", bob, url.Values{"temporaryTokenSpace": {tmpEmpty}, "data": {b64(blob)}})
		}, noReservation},
		{"configure a reservation", func() reply {
			return a.post("/data-token/configure-file-meta", bob, url.Values{"token": {tmpFilled}, "fileName": {"f"},
				"extension": {"e"}, "context": {"c"}, "size": {"1"}, "path": {"/"}})
		}, noReservation},
		{"read data", func() reply { return a.post("/data-token/request-data", bob, url.Values{"token": {dtk}}) }, noDataToken},
		{"set risk meta", func() reply {
			return a.post("/data-token/configure-information-security-risk-meta", bob, url.Values{"token": {dtk}, "x": {"y"}})
		}, noDataToken},
		{"update meta", func() reply {
			return a.post("/data-token/update-data-token", bob, url.Values{"token": {dtk}, "fileName": {"pwned"}})
		}, noDataToken},
		{"replace data", func() reply {
			return a.postJSON("/data-token/update-data", bob, map[string]any{"dataToken": dtk, "data": b64(make([]byte, 40))})
		}, noDataToken},
		{"delete data", func() reply { return a.post("/data-token/delete-data", bob, url.Values{"token": {dtk}}) }, noDataToken},
		{"poll a command", func() reply { return a.pollStatusOnce(reserveCmd, bob) }, noCommand},
		{"poll a command (legacy)", func() reply { return a.get("/utility/request-command-id-status/"+reserveCmd, bob) }, noCommand},
		// Issue 13: without a token only register-profile's commands are
		// answered, so an anonymous caller cannot read alice's outcomes.
		{"poll a command anonymously", func() reply { return a.pollStatusOnce(reserveCmd, "") }, noCommand},
		{"poll a command anonymously (GET)", func() reply { return a.get("/request-status/"+id, "") }, noCommand},
		{"poll a command anonymously (legacy)", func() reply { return a.get("/utility/request-command-id-status/"+id, "") }, noCommand},
	} {
		t.Run(tc.why, func(t *testing.T) { wantKey(t, tc.r(), http.StatusNotFound, tc.key) })
	}
	var list struct{ Items []any }
	a.get("/data-token/list-data-tokens", bob).json(t, &list)
	if len(list.Items) != 0 {
		t.Errorf("bob lists alice's tokens: %v", list.Items)
	}
	if got := retrieve(t, a, ws, alice, dtk); !bytes.Equal(got, blob) {
		t.Fatalf("alice's data changed: %x", got)
	}
	configure(t, a, alice, tmpFilled, 12)
	id = commandID(t, a.post("/data-token/exchange-data-for-token", alice, url.Values{"temporaryTokenSpace": {tmpEmpty}, "data": {b64(blob)}}))
	if st, _ := ws.ack(id); st != 2 {
		t.Fatal("alice's empty reservation was used")
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
