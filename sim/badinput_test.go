package sim_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pcflow/pcflow/sim"
)

// TestBadInput: every malformed request gets a clear 4xx JSON error and
// the server keeps serving.
func TestBadInput(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{MaxBodyBytes: 4096})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	long := strings.Repeat("x", 129)
	for _, tc := range []struct {
		why, method, path, contentType, body string
		status                               int
		field                                string
	}{
		{"truncated JSON", "POST", "/profile/register-profile", "application/json", `{"username":`, 400, ""},
		{"JSON that is not an object", "POST", "/profile/register-profile", "application/json", `[1,2]`, 400, ""},
		{"two JSON values", "POST", "/profile/register-profile", "application/json", `{} {}`, 400, ""},
		{"bad percent-encoding", "POST", "/profile/register-profile", "application/x-www-form-urlencoded", "username=%zz", 400, ""},
		{"object where a string goes", "POST", "/profile/register-profile", "application/json", `{"username":{"a":1},"password":"x"}`, 422, "username"},
		{"array where a string goes", "POST", "/profile/register-profile", "application/json", `{"username":["a"],"password":"x"}`, 422, "username"},
		{"over-long username", "POST", "/profile/register-profile", "application/x-www-form-urlencoded", "password=x&username=" + long, 422, "username"},
		{"missing fields", "POST", "/profile/register-profile", "application/json", `{}`, 422, "password"},
		{"body over the limit", "POST", "/profile/register-profile", "application/x-www-form-urlencoded", "username=" + strings.Repeat("y", 5000), 413, ""},
		{"unsupported media type", "POST", "/profile/register-profile", "text/plain", "hello", 415, ""},
		{"unknown path", "GET", "/no/such/path", "", "", 404, ""},
		{"wrong method", "GET", "/profile/register-profile", "", "", 405, ""},
		{"wrong method on a wildcard path", "DELETE", "/request-status/abc", "", "", 405, ""},
	} {
		r := a.do(tc.method, tc.path, token, tc.contentType, strings.NewReader(tc.body))
		var v struct {
			Message string
			Errors  map[string][]string
		}
		if r.status != tc.status || json.Unmarshal(r.body, &v) != nil || v.Message == "" {
			t.Errorf("%s: %d %s, want %d with a JSON message", tc.why, r.status, r.body, tc.status)
			continue
		}
		if tc.field != "" && len(v.Errors[tc.field]) == 0 {
			t.Errorf("%s: %s does not name %s", tc.why, r.body, tc.field)
		}
	}
	// JSON is accepted wherever forms are (§1.3).
	r := a.postJSON("/profile/authenticate", "", map[string]any{"username": "alice", "password": "pw-alice"})
	want(t, r, 200)
	want(t, a.get("/health", ""), 200)
}

// TestStreamServicesBadInput: the upstream and downstream services answer
// JSON 4xx for unknown tokens, paths and methods.
func TestStreamServicesBadInput(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	u := srv.URLs()
	for _, tc := range []struct {
		method, url string
		status      int
	}{
		{"POST", u.Upstream + "/?auth=nope", 401},
		{"GET", u.Upstream + "/?auth=nope", 405},
		{"POST", u.Upstream + "/elsewhere", 404},
		{"GET", u.Downstream + "/?auth=nope", 401},
		{"GET", u.Downstream + "/", 401},
		{"POST", u.Downstream + "/?auth=nope", 405},
	} {
		req, _ := http.NewRequest(tc.method, tc.url, bytes.NewReader([]byte("x")))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: %d %s, want %d JSON", tc.method, tc.url, resp.StatusCode, resp.Header.Get("Content-Type"), tc.status)
		}
	}
}

// TestRandomBodies throws bounded random bodies at every POST operation:
// never a 5xx, never a hang, and the server still answers after.
func TestRandomBodies(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	rng := rand.New(rand.NewPCG(1, 2))
	paths := []string{"/profile/register-profile", "/profile/authenticate", "/profile/change-password",
		"/public-key/register-public-key", "/data-token/reserve-token-space", "/data-token/exchange-data-for-token",
		"/data-token/configure-file-meta", "/data-token/request-data", "/data-token/update-data", "/request-status/x"}
	types := []string{"application/json", "application/x-www-form-urlencoded", ""}
	for i := range 300 {
		body := make([]byte, rng.IntN(200))
		for j := range body {
			const alphabet = "{}[]\":,=&%az09 \x00\xff"
			body[j] = alphabet[rng.IntN(len(alphabet))]
		}
		r := a.do("POST", paths[i%len(paths)], token, types[i%len(types)], bytes.NewReader(body))
		if r.status >= 500 {
			t.Fatalf("%s with %q: %d %s", paths[i%len(paths)], body, r.status, r.body)
		}
	}
	want(t, a.post("/profile/authenticate", "", url.Values{"username": {"alice"}, "password": {"pw-alice"}}), 200)
}

// TestHugeListIsQuick: a list field of a few hundred thousand items (a
// hostile body under the size limit) is refused in one pass, not after a
// quadratic scan.
func TestHugeListIsQuick(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	ids := make([]string, 300_000)
	for i := range ids {
		ids[i] = "d" + strconv.Itoa(i)
	}
	r := a.post("/verified-authenticator/voting-configuration/register", token, url.Values{
		"name": {"big"}, "strategy": {"unanimous"}, "timeLimit": {"10"}, "deviceIdentifiers": {strings.Join(ids, ",")}})
	wantKey(t, r, 422, "validation.too_many")
	if !bytes.Contains(r.body, []byte("validation.too_many")) {
		t.Fatalf("%s", r.body)
	}
}
