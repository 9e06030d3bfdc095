package sim_test

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pcflow/pcflow/sim"
)

// votingAuthenticated lists every device, storage, authenticator, voting
// and policy operation that needs a token.
var votingAuthenticated = []struct{ method, path string }{
	{"POST", "/device/request-unique-identifier"}, {"POST", "/device/retrieve-unique-identifier"},
	{"GET", "/device/retrieve-device-id/x"}, {"GET", "/device/retrieve-profile-devices"},
	{"POST", "/device/configure-meta"}, {"POST", "/device/approve-device"}, {"POST", "/device/reject-device"},
	{"POST", "/device/download-device-configuration"}, {"GET", "/device/download-device-configuration"},
	{"POST", "/device/remove"}, {"POST", "/storage/register"}, {"GET", "/storage/list-storage-devices"},
	{"POST", "/storage/sync-device"}, {"POST", "/storage/remove"},
	{"POST", "/verified-authenticator/register"}, {"GET", "/verified-authenticator/list"},
	{"GET", "/verified-authenticator/retrieve-strategy"}, {"POST", "/verified-authenticator/set-quorum-size"},
	{"POST", "/verified-authenticator/set-quorum-strategy"}, {"POST", "/verified-authenticator/set-voting-time-limit"},
	{"POST", "/verified-authenticator/set-maximum-voting-attempts"}, {"POST", "/verified-authenticator/remove"},
	{"POST", "/verified-authenticator/voting-configuration/register"}, {"POST", "/verified-authenticator/voting-configuration/update"},
	{"GET", "/verified-authenticator/voting-configuration/list"}, {"GET", "/verified-authenticator/voting-configuration/retrieve/x"},
	{"GET", "/policy/list-policy-templates"}, {"POST", "/policy/register"}, {"GET", "/policy/list-active-policies"},
	{"GET", "/policy/list-inactive-policies"}, {"GET", "/policy/list-registered-policies"}, {"POST", "/policy/activate"},
	{"POST", "/policy/deactivate"}, {"POST", "/policy/delete"}, {"GET", "/policy/retrieve-policy/x"},
	{"POST", "/voting/create"}, {"GET", "/voting/check-pool-status/x"}, {"POST", "/voting/cancel-pool"},
	{"POST", "/_sim/pools/x/ballots"},
}

func TestVotingUnauthorizedMatrix(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	for _, token := range []string{"", "T-unknown"} {
		for _, op := range votingAuthenticated {
			r := a.do(op.method, op.path, token, "application/x-www-form-urlencoded", bytes.NewReader([]byte("deviceIdentifier=x")))
			if r.status != http.StatusUnauthorized {
				t.Errorf("token %q, %s %s: %d %s", token, op.method, op.path, r.status, r.body)
			}
		}
	}
	// the ballot hook needs the pool owner's token
	r := a.postJSON("/_sim/pools/x/ballots", "T-unknown", map[string]string{"deviceIdentifier": "d", "vote": "approve"})
	wantKey(t, r, http.StatusUnauthorized, "invalid token")
}

// TestVotingIsolation: bob can neither see nor change alice's devices,
// configurations, policies or pools, and alice's are unchanged after.
func TestVotingIsolation(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Vote: sim.VoteSilent})
	alice, bob := newOwner(t, srv, "alice"), newOwner(t, srv, "bob")
	phones := alice.authenticators(1)
	deviceCmd := alice.ok(alice.post("/device/request-unique-identifier", url.Values{"deviceName": {"tablet"}}))
	alice.votingConfig(approvalConfig("cfg", 60))
	policyID := alice.gateExchange("gate", "cfg")
	pool := commandID(t, alice.postJSON("/voting/create", map[string]any{"votingConfigurationId": "cfg", "title": "t", "question": "q"}))
	alice.awaitPool(pool)

	device := url.Values{"deviceIdentifier": {phones[0]}}
	for _, tc := range []struct {
		why    string
		r      reply
		reason string // an ack-3 reason, or a synchronous answer as "STATUS key"
	}{
		{"map alice's device command", bob.post("/device/retrieve-unique-identifier", url.Values{"id": {deviceCmd}}), "404 device.not_found"},
		{"download alice's device configuration", bob.post("/device/download-device-configuration", device), "404 device.not_found"},
		{"read alice's configuration", bob.get("/verified-authenticator/voting-configuration/retrieve/cfg"), "404 voting_configuration.not_found"},
		{"read alice's policy", bob.get("/policy/retrieve-policy/gate"), "404 policy.not_found"},
		{"read alice's pool", bob.get("/voting/check-pool-status/" + pool), "404 voting.pool_not_found"},
		{"cancel alice's pool", bob.post("/voting/cancel-pool", url.Values{"poolId": {pool}}), "404 voting.pool_not_found"},
		{"vote in alice's pool", bob.ballot(pool, phones[0], "reject"), "404 voting.pool_not_found"},
		{"vote in alice's pool with no token at all", bob.a.postJSON("/_sim/pools/"+pool+"/ballots", "",
			map[string]string{"deviceIdentifier": phones[0], "vote": "reject"}), "401 invalid token"},
		{"remove alice's device", bob.post("/device/remove", device), "device.not_found"},
		{"drop alice's authenticator", bob.post("/verified-authenticator/remove", device), "device.not_found"},
		{"promote alice's device", bob.post("/verified-authenticator/register", device), "device.not_found"},
		{"deactivate alice's policy", bob.post("/policy/deactivate", url.Values{"policyId": {policyID}}), "policy.not_found"},
		{"update alice's configuration", bob.postJSON("/verified-authenticator/voting-configuration/update",
			map[string]any{"name": "cfg", "timeLimit": 1}), "voting_configuration.not_found"},
		{"open a pool on alice's configuration", bob.postJSON("/voting/create",
			map[string]any{"votingConfigurationId": "cfg", "title": "t", "question": "q"}), "voting_configuration.not_found"},
	} {
		if status, key, sync := strings.Cut(tc.reason, " "); sync {
			code, _ := strconv.Atoi(status)
			t.Run(tc.why, func(t *testing.T) { wantKey(t, tc.r, code, key) })
			continue
		}
		if _, status, body := bob.ack(tc.r); status != 3 || body != tc.reason {
			t.Errorf("bob may %s: ack %d %v", tc.why, status, body)
		}
	}
	for _, path := range []string{"/device/retrieve-profile-devices", "/verified-authenticator/list",
		"/verified-authenticator/voting-configuration/list", "/policy/list-registered-policies"} {
		if r := bob.get(path); string(r.body) != "[]" {
			t.Errorf("bob lists alice's records at %s: %s", path, r.body)
		}
	}
	if v := alice.pool(pool); v.Status != "pending" || v.Ballots.Total != 1 {
		t.Fatalf("alice's pool changed: %+v", v)
	}
	if act := alice.policies("/policy/list-active-policies"); len(act) != 1 {
		t.Fatalf("alice's policy changed: %+v", act)
	}
}

// TestVotingRandomBodies throws bounded random bodies at every voting
// POST operation: never a 5xx, and the server still answers after.
func TestVotingRandomBodies(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	o := newOwner(t, srv, "alice")
	var paths []string
	for _, op := range votingAuthenticated {
		if op.method == "POST" {
			paths = append(paths, op.path)
		}
	}
	paths = append(paths, "/_sim/pools/x/ballots")
	rng := rand.New(rand.NewPCG(3, 4))
	types := []string{"application/json", "application/x-www-form-urlencoded", ""}
	for i := range 400 {
		body := make([]byte, rng.IntN(200))
		for j := range body {
			const alphabet = "{}[]\":,=&%az09 \x00\xffdeviceIdentifiers"
			body[j] = alphabet[rng.IntN(len(alphabet))]
		}
		path := paths[i%len(paths)]
		if r := o.a.do("POST", path, o.token, types[i%len(types)], bytes.NewReader(body)); r.status >= 500 {
			t.Fatalf("%s with %q: %d %s", path, body, r.status, r.body)
		}
	}
	want(t, o.get("/verified-authenticator/retrieve-strategy"), http.StatusOK)
}
