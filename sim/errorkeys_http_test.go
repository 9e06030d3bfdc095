package sim_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// TestRequestLayerErrorKeys: what the shared front of every route
// answers before a handler runs (§1.13), one row per key.
func TestRequestLayerErrorKeys(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{MaxBodyBytes: 64})
	a := newAPI(t, srv)
	for _, tc := range []struct {
		name   string
		send   func() reply
		status int
		key    string
	}{
		{"an unknown path is a JSON 404", func() reply { return a.get("/nope", "") }, 404, "request.unknown_path"},
		{"a wrong method is a JSON 405", func() reply { return a.get("/profile/register-profile", "") }, 405, "request.method_not_allowed"},
		{"a body over MaxBodyBytes is 413", func() reply {
			return a.post("/profile/authenticate", "", url.Values{"username": {strings.Repeat("x", 100)}})
		}, 413, "request.body_too_large"},
		{"a JSON body that does not parse is 400", func() reply {
			return a.do("POST", "/profile/authenticate", "", "application/json", strings.NewReader("{"))
		}, 400, "request.malformed_body"},
		{"a body of another media type is 415", func() reply {
			return a.do("POST", "/profile/authenticate", "", "text/plain", strings.NewReader("hello"))
		}, 415, "request.unsupported_media_type"},
		{"a field that must be a string given an object is 422", func() reply {
			return a.postJSON("/profile/authenticate", "", map[string]any{"username": map[string]any{"a": 1}, "password": "pw"})
		}, 422, "validation.string_expected"},
		{"an unknown command is 404", func() reply { return a.pollStatusOnce("nope", "") }, 404, "command.not_found"},
	} {
		wantKey(t, tc.send(), tc.status, tc.key)
	}
}

// TestUnreadableBodyKey: a chunked body that breaks off mid-chunk is 400,
// sent by hand since net/http will not write one.
func TestUnreadableBodyKey(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	conn := rawConn(t, srv, formPost("/profile/authenticate", "Transfer-Encoding: chunked")+"zz\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	wantKey(t, reply{status: resp.StatusCode, body: b.Bytes()}, 400, "request.unreadable_body")
}

// TestInjectedHTTPErrorKey: HTTPErrorRate 1 answers every request 503.
func TestInjectedHTTPErrorKey(t *testing.T) {
	t.Parallel()
	a := newAPI(t, start(t, sim.Options{HTTPErrorRate: 1}))
	wantKey(t, a.get("/health", ""), 503, "sim.injected_http_error")
}

// TestHandlerErrorKeys: the synchronous refusals of the area handlers,
// one row per key not asserted by an area's own tests.
func TestHandlerErrorKeys(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Users: []sim.User{{Name: "alice", Password: "pw"}}})
	o := newOwner(t, srv, "bob")
	tmp, _, _ := reserve(t, o.a, o.ws, o.token)
	blob := base64.StdEncoding.EncodeToString(sealed(t, make([]byte, 32), []byte("data")))
	riskMeta := url.Values{"token": {"dtk-x"}}
	for i := range 65 {
		riskMeta.Set(fmt.Sprintf("field%d", i), "v")
	}
	for _, tc := range []struct {
		name   string
		send   func() reply
		status int
		key    string
	}{
		{"a username taken, even by a pre-provisioned user, is 409", func() reply { return o.a.registerRawNamed("alice") }, 409, "profile.username_taken"},
		{"a profile without a key has none to retrieve", func() reply { return o.get("/public-key/retrieve-public-key") }, 404, "public_key.not_registered"},
		{"register-public-key refuses the guides' username field", func() reply {
			return o.post("/public-key/register-public-key", url.Values{"publicKey": {"00"}, "username": {"bob"}})
		}, 422, "validation.not_accepted"},
		{"a ttl that is not a number", func() reply {
			return o.post("/data-token/reserve-token-space", url.Values{"context": {"c"}, "ttl": {"soon"}})
		}, 422, "validation.integer_expected"},
		{"a ttl of 300 minutes, the reference's example", func() reply {
			return o.post("/data-token/reserve-token-space", url.Values{"context": {"c"}, "ttl": {"300"}})
		}, 422, "data_token.ttl_out_of_range"},
		{"a page size beyond 100", func() reply { return o.get("/data-token/list-data-tokens?perPage=500") }, 422, "validation.out_of_range"},
		{"data that is not base64", func() reply {
			return o.post("/data-token/exchange-data-for-token", url.Values{"temporaryTokenSpace": {tmp}, "data": {"!!"}})
		}, 422, "data_token.invalid_data"},
		{"an unknown reservation", func() reply {
			return o.post("/data-token/exchange-data-for-token", url.Values{"temporaryTokenSpace": {"tmp-nope"}, "data": {blob}})
		}, 404, "data_token.reservation_not_found"},
		{"file meta on a reservation not yet filled", func() reply {
			return o.post("/data-token/configure-file-meta", url.Values{"token": {tmp}, "fileName": {"f"}, "extension": {"txt"},
				"context": {"c"}, "path": {"/"}, "size": {"4"}})
		}, 422, "data_token.not_filled"},
		{"an unknown data token", func() reply { return o.post("/data-token/request-data", url.Values{"token": {"dtk-nope"}}) }, 404, "data_token.not_found"},
		{"more than 64 risk meta fields", func() reply { return o.post("/data-token/configure-information-security-risk-meta", riskMeta) }, 422, "data_token.too_many_meta_fields"},
		{"update-data's meta must be an object", func() reply {
			return o.postJSON("/data-token/update-data", map[string]any{"dataToken": "dtk-x", "data": blob, "meta": 5})
		}, 422, "validation.object_expected"},
		{"an unknown pool", func() reply { return o.get("/voting/check-pool-status/nope") }, 404, "voting.pool_not_found"},
		{"skipAuthenticatorDevices must be a list of strings", func() reply {
			return o.postJSON("/voting/create", map[string]any{"votingConfigurationId": "c", "title": "t", "question": "q",
				"skipAuthenticatorDevices": 5})
		}, 422, "validation.string_list_expected"},
		{"an OAuth redirect that is not an absolute URL", func() reply {
			return o.post("/profile/oauth-application-register", url.Values{"name": {"n"}, "redirectUri": {"nope"}, "scopes": {"all"}})
		}, 422, "validation.url_expected"},
	} {
		wantKey(t, tc.send(), tc.status, tc.key)
	}
}

// TestQRTokensBounded: beyond 64 live QR tokens a profile is answered 429.
func TestQRTokensBounded(t *testing.T) {
	t.Parallel()
	o := newOwner(t, start(t, sim.Options{}), "qr")
	for range 64 {
		want(t, o.post("/profile/generate-token-qr", nil), http.StatusOK)
	}
	wantKey(t, o.post("/profile/generate-token-qr", nil), http.StatusTooManyRequests, "profile.too_many_qr_tokens")
}

// TestStreamErrorKeys: the upstream service refuses an unknown token and
// an upload over MaxUploadBytes.
func TestStreamErrorKeys(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{MaxUploadBytes: 16})
	o := newOwner(t, srv, "streamer")
	upload := func(target string) reply {
		resp, err := http.Post(target, "application/octet-stream", bytes.NewReader(make([]byte, 100)))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return reply{status: resp.StatusCode, body: b.Bytes()}
	}
	wantKey(t, upload(srv.URLs().Upstream+"/?auth=nope"), http.StatusUnauthorized, "stream.invalid_token")
	_, stream, _ := reserve(t, o.a, o.ws, o.token)
	wantKey(t, upload(stream), http.StatusRequestEntityTooLarge, "stream.upload_failed")
}

// TestBallotErrorKeys: the ballot hook refuses a device the pool did not
// target and a second ballot in one attempt.
func TestBallotErrorKeys(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Vote: sim.VoteSilent})
	o := newOwner(t, srv, "voter")
	phones := o.authenticators(2)
	o.votingConfig(map[string]any{"name": "one", "strategy": "unanimous", "timeLimit": 60, "deviceIdentifiers": []string{phones[0]}})
	pool := commandID(t, o.postJSON("/voting/create", map[string]any{"votingConfigurationId": "one", "title": "t", "question": "q"}))
	o.awaitPool(pool)
	wantKey(t, o.ballot(pool, phones[1], "approve"), http.StatusForbidden, "voting.not_a_target")
	want(t, o.ballot(pool, phones[0], "reject"), http.StatusOK)
	wantKey(t, o.ballot(pool, phones[0], "approve"), http.StatusConflict, "voting.pool_ended")

	// With two targets a first ballot leaves the pool open: a second is a duplicate.
	o.votingConfig(map[string]any{"name": "both", "strategy": "unanimous", "timeLimit": 60, "deviceIdentifiers": phones})
	pool = commandID(t, o.postJSON("/voting/create", map[string]any{"votingConfigurationId": "both", "title": "t", "question": "q"}))
	o.awaitPool(pool)
	want(t, o.ballot(pool, phones[0], "approve"), http.StatusOK)
	wantKey(t, o.ballot(pool, phones[0], "approve"), http.StatusConflict, "voting.duplicate_ballot")
}

// TestVotingConfigPercentageRequired: switching a configuration to
// minimum_percentage without a percentage acks 3.
func TestVotingConfigPercentageRequired(t *testing.T) {
	t.Parallel()
	o := newOwner(t, start(t, sim.Options{}), "config")
	o.votingConfig(map[string]any{"name": "c", "strategy": "unanimous", "timeLimit": 60, "deviceIdentifiers": []string{}})
	o.refused(o.postJSON("/verified-authenticator/voting-configuration/update", map[string]any{"name": "c",
		"strategy": "minimum_percentage"}), "voting_configuration.percentage_required")
}

// TestSlowSenderIsCut: a client that declares a body and sends it a byte
// at a time is cut off after ReadTimeout instead of holding a connection
// (and the declared size in memory) for ever (issue 13).
func TestSlowSenderIsCut(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{ReadTimeout: 100 * time.Millisecond, Users: []sim.User{{Name: "alice", Password: "pw"}}})
	conn := rawConn(t, srv, formPost("/profile/authenticate", "Content-Length: 4000000")+"u")
	conn.SetReadDeadline(time.Now().Add(waitLimit)) // bounds the test, asserts nothing
	_, err := io.ReadAll(conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server still holds a connection whose body never arrives")
	}
	want(t, newAPI(t, srv).get("/health", ""), http.StatusOK)
}

// TestBodyIsReadAfterTheCredential: a route that needs a token answers
// 401 without reading the body, however large it is declared.
func TestBodyIsReadAfterTheCredential(t *testing.T) {
	t.Parallel()
	a := newAPI(t, start(t, sim.Options{}))
	wantKey(t, a.post("/data-token/reserve-token-space", "T-unknown", url.Values{"context": {strings.Repeat("x", 5<<20)}}),
		http.StatusUnauthorized, "invalid token")
}

// TestConnectionsAreBounded: beyond MaxConnections a new connection waits
// until one closes, and is then served (issue 13).
func TestConnectionsAreBounded(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{MaxConnections: 2})
	held := []net.Conn{rawConn(t, srv, ""), rawConn(t, srv, "")}
	third := rawConn(t, srv, "GET /health HTTP/1.1\r\nHost: sim\r\n\r\n") // the backlog takes it; no slot serves it
	answered := make(chan *http.Response, 1)
	go func() {
		if resp, err := http.ReadResponse(bufio.NewReader(third), nil); err == nil {
			answered <- resp
		}
	}()
	for i := 0; i < 100; i++ {
		runtime.Gosched()
	}
	select {
	case <-answered:
		t.Fatal("a third connection was served beyond MaxConnections 2")
	default:
	}
	held[0].Close() // a slot frees: the waiting connection is served
	select {
	case resp := <-answered:
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("health after a slot freed: %d", resp.StatusCode)
		}
	case <-time.After(waitLimit):
		t.Fatal("the waiting connection was never served")
	}
}

// TestLiteralPathsRouteAsTheMux: the literal paths' fast route answers as
// the mux does, and what the mux alone handles (unclean paths it
// redirects, escaped paths, a trailing slash, a wildcard path) still
// reaches it.
func TestLiteralPathsRouteAsTheMux(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	for _, tc := range []struct {
		method, target string
		status         int
	}{
		{"POST", "/profile/authenticate", 422},                   // literal: the handler, fields missing
		{"GET", "/profile/authenticate", 405},                    // literal, wrong method
		{"POST", "//profile/authenticate", 307},                  // unclean: the mux redirects
		{"POST", "/profile/../profile/authenticate", 307},        // unclean: the mux redirects
		{"POST", "/profile/%61uthenticate", 422},                 // escaped: the mux unescapes and routes
		{"POST", "/profile/authenticate/", 404},                  // no such path
		{"POST", "http://sim/profile/authenticate", 422},         // absolute form
		{"GET", "/device/retrieve-device-id/nope", 401},          // wildcard: the mux, then the credential check
		{"POST", "/verified-authenticator/set-quorum-size", 401}, // literal, needs a token
	} {
		conn := rawConn(t, srv, tc.method+" "+tc.target+" HTTP/1.1\r\nHost: sim\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.method, tc.target, err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.target, resp.StatusCode, tc.status)
		}
	}
}
