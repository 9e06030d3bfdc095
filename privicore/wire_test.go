package privicore_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcflow/pcflow/privicore"
)

// recorded is one request as the server saw it.
type recorded struct {
	method, path, query, ctype, token, authz, body string
}

// recorder is a loopback HTTP server that records requests and answers a
// fixed body per path (200), or 202 ["cmd-1"] for paths without one. It
// checks the wire form of operations the simulator does not serve (OAuth
// auth kinds, JSON bodies, the async reauthorize); behaviour is tested
// against sim.
func recorder(t *testing.T, answers map[string]string) (*privicore.Client, func() recorded) {
	c, all := recorderLog(t, answers)
	return c, func() recorded {
		log := all()
		if len(log) == 0 {
			return recorded{}
		}
		return log[len(log)-1]
	}
}

// recorderLog is recorder returning every request seen, in order.
func recorderLog(t *testing.T, answers map[string]string) (*privicore.Client, func() []recorded) {
	var mu sync.Mutex
	var log []recorded
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		log = append(log, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"),
			r.Header.Get("X-DPT-AUTHORIZATION"), r.Header.Get("Authorization"), string(b)})
		mu.Unlock()
		w.Header().Set("x-dpt-cab-id", "cmd-1")
		body, ok := answers[r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusAccepted)
			body = `["cmd-1"]`
		}
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	c := privicore.New(privicore.Options{APIURL: srv.URL})
	return c, func() []recorded { mu.Lock(); defer mu.Unlock(); return append([]recorded(nil), log...) }
}

func TestAuthKindsOnTheWire(t *testing.T) {
	c, last := recorder(t, map[string]string{
		"/oauth-application/retrieve-authorization-code":      `{"authorizationCode":"ac-1"}`,
		"/oauth-application/obtain-access-token":              `{"token":"at-1","refreshToken":"rt-1"}`,
		"/oauth-application/refresh-access-token":             `{"token":"at-2","refreshToken":"rt-2"}`,
		"/oauth-application/retrieve-oauth-application-scope": `{"clientId":"cli","scope":"all"}`,
		"/profile/retrieve-profile-id":                        `{"profileId":"prf-1"}`,
	})
	ctx := context.Background()
	cred := privicore.ClientCredentials{ClientID: "cli", ClientSecret: "shh"}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("cli:shh"))

	if _, err := c.RetrieveOAuthAuthorizationCode(ctx, cred, "cmd-9", "n-1"); err != nil {
		t.Fatal(err)
	}
	if r := last(); r.authz != basic || r.body != "id=cmd-9&nonce=n-1" || r.ctype != "application/x-www-form-urlencoded" {
		t.Errorf("retrieve-authorization-code sent %+v", r)
	}
	if _, err := c.ObtainOAuthAccessToken(ctx, cred, "ac-1"); err != nil {
		t.Fatal(err)
	}
	if r := last(); r.authz != basic || r.body != "authorization_code=ac-1" {
		t.Errorf("obtain-access-token sent %+v", r)
	}
	if _, err := c.RefreshOAuthAccessToken(ctx, "at-1", "rt-1"); err != nil {
		t.Fatal(err)
	}
	if r := last(); r.authz != "Basic at-1" || r.body != "refresh_token=rt-1" {
		t.Errorf("refresh-access-token sent %+v (want the raw access token in Basic)", r)
	}
	sc, err := c.RetrieveOAuthApplicationScope(ctx, "at-2")
	if r := last(); err != nil || r.method != "GET" || r.authz != "Basic at-2" || len(sc.Scope) != 1 {
		t.Errorf("retrieve-oauth-application-scope sent %+v (%v)", r, err)
	}
	s := c.PollingSession("T-abc", privicore.SessionOptions{})
	if _, err := s.RetrieveProfileID(ctx); err != nil {
		t.Fatal(err)
	}
	if r := last(); r.token != "T-abc" || r.authz != "" {
		t.Errorf("token auth sent %+v (want raw X-DPT-AUTHORIZATION, no Bearer)", r)
	}
}

func TestJSONAndQueryBodiesOnTheWire(t *testing.T) {
	c, last := recorder(t, map[string]string{"/request-status/cmd-1": `["succeeded"]`})
	ctx := context.Background()
	s := c.PollingSession("T-abc", privicore.SessionOptions{})
	if _, err := s.RegisterPolicy(ctx, privicore.PolicyParams{Name: "p", PolicyTemplateID: "tpl", ApplyingEventIDs: []string{"17"}, VotingConfigurationID: "vc"}); err != nil {
		t.Fatal(err)
	}
	// The last request is the request-status poll; the policy body was
	// checked by the server answer above; check the poll's own form.
	if r := last(); r.method != "POST" || r.path != "/request-status/cmd-1" || r.body != "{}" || r.ctype != "application/json" {
		t.Errorf("request-status sent %+v", r)
	}
	c2, last2 := recorder(t, map[string]string{"/request-status/cmd-1": `"started"`})
	s2 := c2.PollingSession("T-abc", privicore.SessionOptions{})
	r, _ := privicore.ReserveTokenSpaceRequest(privicore.ReserveParams{Context: "c"})
	p, err := s2.Submit(ctx, r)
	if err != nil || p.CommandID() != "cmd-1" {
		t.Fatalf("submit: %v", err)
	}
	if got := last2(); got.body != "context=c&ttl=5" {
		t.Errorf("reserve-token-space sent %+v", got)
	}
	pol := privicore.PolicyParams{Name: "p", PolicyTemplateID: "tpl", ApplyingEventIDs: []string{"17"}, VotingConfigurationID: "vc"}
	if _, err := s2.Submit(ctx, privicore.Request{Op: "register-policy", Method: "POST", Path: "/policy/register", JSON: pol}); err != nil {
		t.Fatal(err)
	}
	got := last2()
	if got.ctype != "application/json" || !strings.Contains(got.body, `"applyingEventIds":["17"]`) || !strings.Contains(got.body, `"votingConfigurationId":"vc"`) {
		t.Errorf("register-policy sent %+v", got)
	}
	if _, err := s2.Submit(ctx, privicore.Request{Op: "o3", Method: "GET", Path: "/profile/oauth-application-request-authorization-code",
		Query: map[string][]string{"client_id": {"cli"}, "nonce": {"n"}, "scope[]": {"all"}}}); err != nil {
		t.Fatal(err)
	}
	if got := last2(); got.method != "GET" || !strings.Contains(got.query, "scope%5B%5D=all") {
		t.Errorf("request-authorization-code sent %+v", got)
	}
}

func TestBareStringAndObjectBodiesAreBothRead(t *testing.T) {
	ctx := context.Background()
	for _, shape := range []struct{ why, tmp, dtk, dev string }{
		{"objects", `{"token":"tmp-1","stream":"http://u/?auth=s"}`, `{"token":"dtk-1"}`, `{"deviceIdentifier":"d-1"}`},
		{"bare strings", `"tmp-1"`, `"dtk-1"`, `"d-1"`},
		{"one-element arrays", `["tmp-1"]`, `["dtk-1"]`, `["d-1"]`},
	} {
		c, _ := recorder(t, map[string]string{
			"/data-token/retrieve-temporary-data-token/r-1": shape.tmp,
			"/data-token/configure-file-meta":               shape.dtk,
			"/device/retrieve-unique-identifier":            shape.dev,
		})
		s := c.PollingSession("T-abc", privicore.SessionOptions{})
		tmp, err1 := s.RetrieveTemporaryDataToken(ctx, "r-1")
		dtk, err2 := s.ConfigureFileMeta(ctx, privicore.FileMeta{TemporaryToken: "tmp-1", FileName: "f", Extension: "txt", Context: "c"})
		dev, err3 := s.RetrieveUniqueIdentifier(ctx, "cmd-1")
		if tmp.Token != "tmp-1" || dtk.Token != "dtk-1" || dev.DeviceIdentifier != "d-1" || err1 != nil || err2 != nil || err3 != nil {
			t.Errorf("%s: %q %q %q (%v %v %v)", shape.why, tmp.Token, dtk.Token, dev.DeviceIdentifier, err1, err2, err3)
		}
	}
}

// A server may answer before it has read the body (a 401 on an upload):
// Do then returns while the transport still writes, and the write-done
// stamp must not race with the caller (run with -race).
func TestAnAnswerBeforeTheBodyIsWrittenIsNoDataRace(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	c := privicore.New(privicore.Options{APIURL: srv.URL})
	blob := make([]byte, 4<<20)
	for range 10 {
		res, err := c.UpstreamFile(context.Background(), privicore.Secret(srv.URL+"/?auth=x"), blob)
		var te *privicore.TransportError
		if !privicore.IsUnauthorized(err) && !errors.As(err, &te) { // a reset mid-write is a transport error
			t.Fatalf("early 401: %+v %v", res, err)
		}
	}
}

// Reauthorize is 200 with a new token or 202 with a command id (§2.2 P6,
// the probe accepts both); the simulator answers 200, so the async reading
// is checked here: the command is awaited, and no token is invented.
func TestReauthorizeAnsweredAsAnAsyncCommand(t *testing.T) {
	c, all := recorderLog(t, map[string]string{"/request-status/cmd-1": `["succeeded"]`})
	s := c.PollingSession("T-abc", privicore.SessionOptions{PollInterval: time.Millisecond})
	re, err := s.ReauthorizeAuthorizationToken(context.Background(), 86400)
	if err != nil || !re.Async || re.Token != "" || re.Ack.CommandID != "cmd-1" || re.Ack.HTTPStatus != http.StatusAccepted || !re.Ack.Reconciled {
		t.Fatalf("reauthorize: %+v %v; want an awaited async command", re, err)
	}
	log := all()
	first, last := log[0], log[len(log)-1]
	if first.path != "/profile/reauthorize-authorization-token" || first.body != "ttl=86400" || first.token != "T-abc" {
		t.Errorf("reauthorize sent %+v", first)
	}
	if last.path != "/request-status/cmd-1" {
		t.Errorf("the command was not awaited: last request %+v", last)
	}
}

// A Content-Length the server does not honour must neither be trusted for
// an allocation nor hang the read: the short body is a transport error.
func TestALyingContentLengthIsAnErrorNotAnAllocation(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "268435456")
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	}))
	defer srv.Close()
	c := privicore.New(privicore.Options{APIURL: srv.URL})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.CheckServerHealth(context.Background())
	runtime.ReadMemStats(&after)
	var te *privicore.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("short body: %v, want a *TransportError", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 32<<20 {
		t.Fatalf("a lying header made the client allocate %d MiB", grew>>20)
	}
}

// Written is stamped by the transport for requests with a body (the body
// reader's end) and without one (the client trace): it never falls back to
// Start, and it lies between Start and Read.
func TestTheWriteTimeIsStampedWithAndWithoutABody(t *testing.T) {
	c, _ := recorder(t, map[string]string{"/health": `{"status":"ok"}`})
	h, err := c.CheckServerHealth(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.RegisterProfile(ctxT(t), "someone", "a password 1!")
	if err != nil {
		t.Fatal(err)
	}
	s := c.PollingSession("T-x", privicore.SessionOptions{})
	r, _ := privicore.ReserveTokenSpaceRequest(privicore.ReserveParams{Context: "c"})
	p, err := s.Submit(ctxT(t), r)
	if err != nil {
		t.Fatal(err)
	}
	for name, tm := range map[string]privicore.Timing{"GET": h.Timing, "POST form": p.Timing()} {
		if tm.Written.Equal(tm.Start) || tm.Written.Before(tm.Start) || tm.Read.Before(tm.Written) {
			t.Errorf("%s: start %v written %v read %v", name, tm.Start, tm.Written, tm.Read)
		}
	}
}
