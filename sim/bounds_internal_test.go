package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim/internal/pipeline"
)

// boundRig is a simulator with one profile, alice, whose records a test
// fills to a bound directly, so that reaching it costs no thousands of
// requests.
type boundRig struct {
	s     *Server
	p     *profile
	token string
}

func newBoundRig(t *testing.T) *boundRig {
	t.Helper()
	s, err := Start(Options{Users: []User{{Name: "alice", Password: "pw"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := s.state.lookupName("alice")
	return &boundRig{s: s, p: p, token: s.state.newSession(p, time.Hour).token}
}

// send posts body (JSON when it starts with "{", else a form) as alice.
func (r *boundRig) send(t *testing.T, method, path, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, r.s.URLs().API+path, strings.NewReader(body))
	req.Header.Set("X-DPT-AUTHORIZATION", r.token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if strings.HasPrefix(body, "{") {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// refused sends a command and waits for it to end rejected with reason.
func (r *boundRig) refused(t *testing.T, path, body, reason string) {
	t.Helper()
	resp := r.send(t, http.MethodPost, path, body)
	id := resp.Header.Get("X-Dpt-Cab-Id")
	if resp.StatusCode != http.StatusAccepted || id == "" {
		t.Fatalf("%s: %d, id %q; want 202", path, resp.StatusCode, id)
	}
	waitFor(t, r.s, id, pipeline.Rejected, reason)
}

// TestPerProfileBounds: at each per-profile bound the next command that
// would make a record acks 3 with the bound's key, and nothing is made.
func TestPerProfileBounds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		fill       func(r *boundRig)
		path, body string
		reason     string
	}{
		{"devices", func(r *boundRig) {
			r.p.inHoldings(func(h *holdings) {
				for i := range maxDevicesPerProfile {
					h.devices[fmt.Sprint(i)] = &device{}
				}
			})
		}, "/device/request-unique-identifier", "deviceName=one-more", "device.too_many_devices"},
		{"reservations", func(r *boundRig) {
			for i := range maxReservationsPerProfile {
				r.p.addReservation(&reservation{tmp: fmt.Sprint("tmp-", i), commandID: fmt.Sprint(i), expiresAt: time.Now().Add(time.Hour)})
			}
		}, "/data-token/reserve-token-space", "context=c", "data_token.too_many_reservations"},
		{"voting configurations", func(r *boundRig) {
			r.p.inHoldings(func(h *holdings) {
				for i := range maxConfigsPerProfile {
					h.configs[fmt.Sprint(i)] = &votingConfig{name: fmt.Sprint(i)}
				}
			})
		}, "/verified-authenticator/voting-configuration/register",
			`{"name":"one-more","strategy":"unanimous","timeLimit":60,"deviceIdentifiers":[]}`, "voting_configuration.too_many"},
		{"policies", func(r *boundRig) {
			r.p.inHoldings(func(h *holdings) {
				for i := range maxPoliciesPerProfile {
					h.policies = append(h.policies, &policy{id: fmt.Sprint(i), name: fmt.Sprint(i)})
				}
			})
		}, "/policy/register", `{"name":"one-more","policyTemplateId":"tpl-data-exchange","applyingEventIds":["11"],` +
			`"configuration":{"classification":"internal"}}`, "policy.too_many"},
		{"pools, every one still pending", func(r *boundRig) {
			r.p.inHoldings(func(h *holdings) {
				h.configs["c"] = &votingConfig{name: "c", rule: defaultVoting().rule, timeLimit: time.Minute}
				for i := range maxPoolsPerProfile {
					h.pools[fmt.Sprint(i)] = &poolRecord{}
				}
			})
		}, "/voting/create", `{"votingConfigurationId":"c","title":"t","question":"q"}`, "voting.too_many_pools"},
		{"OAuth applications", func(r *boundRig) {
			for i := range maxOAuthAppsPerOwner {
				r.s.oauth.addApp(&oauthApp{id: fmt.Sprint("app-", i), clientID: fmt.Sprint("cli-", i), owner: r.p})
			}
		}, "/profile/oauth-application-register", "name=n&redirectUri=https://x.example/cb&scopes=all", "oauth.too_many_applications"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newBoundRig(t)
			tc.fill(r)
			r.refused(t, tc.path, tc.body, tc.reason)
		})
	}
}

// TestCodeRequestsBoundedPerRequester: a profile with
// maxOAuthCodesPerRequester outstanding code requests is answered 429,
// and its flood does not lock the application's owner out of its own
// application (issue 13).
func TestCodeRequestsBoundedPerRequester(t *testing.T) {
	t.Parallel()
	r := newBoundRig(t)
	r.s.oauth.addApp(&oauthApp{id: "app-1", clientID: "cli-1", owner: r.p})
	bob := newProfile("prf-bob", "bob", "pw")
	bob.active = true
	r.s.state.claimName(bob)
	bobToken := r.s.state.newSession(bob, time.Hour).token
	r.s.oauth.mu.Lock()
	r.s.oauth.pending[bob] = maxOAuthCodesPerRequester // bob's flood, without a thousand requests
	r.s.oauth.mu.Unlock()
	request := func(token string) (int, string) {
		q := url.Values{"client_id": {"cli-1"}, "nonce": {"n"}, "scope[]": {"all"}}
		req, _ := http.NewRequest(http.MethodGet, r.s.URLs().API+"/profile/oauth-application-request-authorization-code?"+q.Encode(), nil)
		req.Header.Set("X-DPT-AUTHORIZATION", token)
		resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e struct{ Message string }
		json.NewDecoder(resp.Body).Decode(&e)
		return resp.StatusCode, e.Message
	}
	if status, key := request(bobToken); status != http.StatusTooManyRequests || key != "oauth.too_many_code_requests" {
		t.Fatalf("bob at the bound: %d %q; want 429 oauth.too_many_code_requests", status, key)
	}
	if status, _ := request(r.token); status != http.StatusAccepted {
		t.Fatalf("the owner's own request after bob's flood: %d; want 202", status)
	}
}

// TestCodeUsable: why a code cannot be exchanged, in the order the
// answers are checked; an expiry needs no waiting, since now is a value.
func TestCodeUsable(t *testing.T) {
	t.Parallel()
	app, other := &oauthApp{id: "a"}, &oauthApp{id: "b"}
	exp := time.Date(2026, 1, 1, 0, 5, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		g      *codeGrant
		now    time.Time
		status int
		reason string
	}{
		{"unknown code", nil, exp, 404, "Record Not Found"},
		{"another client's code", &codeGrant{app: other, expiresAt: exp}, exp.Add(-time.Minute), 403, "Forbidden"},
		{"a code used once", &codeGrant{app: app, used: true, expiresAt: exp}, exp.Add(-time.Minute), 401, "oauth.code_used"},
		{"a code at its expiry", &codeGrant{app: app, expiresAt: exp}, exp, 401, "oauth.code_expired"},
		{"a live code", &codeGrant{app: app, expiresAt: exp}, exp.Add(-time.Nanosecond), 200, ""},
	} {
		if status, reason := codeUsable(tc.g, app, tc.now); status != tc.status || reason != tc.reason {
			t.Errorf("%s: %d %q; want %d %q", tc.name, status, reason, tc.status, tc.reason)
		}
	}
}
