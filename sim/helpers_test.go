package sim_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pcflow/pcflow/sim"
)

// waitLimit bounds every wait in these tests.
const waitLimit = 5 * time.Second

// start runs a simulator on free loopback ports for the test.
func start(t testing.TB, opts sim.Options) *sim.Server {
	t.Helper()
	srv, err := sim.Start(opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// api is a plain HTTP client for one simulator.
type api struct {
	t    testing.TB
	base string
}

func newAPI(t testing.TB, srv *sim.Server) *api { return &api{t: t, base: srv.URLs().API} }

// reply is an HTTP answer, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
}

func (a *api) do(method, path, token, contentType string, body io.Reader) reply {
	a.t.Helper()
	req, err := http.NewRequest(method, a.base+path, body)
	if err != nil {
		a.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("X-DPT-AUTHORIZATION", token)
	}
	cl := http.Client{Timeout: waitLimit}
	resp, err := cl.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

func (a *api) post(path, token string, form url.Values) reply {
	a.t.Helper()
	return a.do("POST", path, token, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

func (a *api) postJSON(path, token string, v any) reply {
	a.t.Helper()
	b, _ := json.Marshal(v)
	return a.do("POST", path, token, "application/json", bytes.NewReader(b))
}

func (a *api) get(path, token string) reply {
	a.t.Helper()
	return a.do("GET", path, token, "", nil)
}

// want fails the test unless r has status.
func want(t testing.TB, r reply, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
}

// commandID normalises the three body shapes of §1.5.
func commandID(t testing.TB, r reply) string {
	t.Helper()
	want(t, r, http.StatusAccepted)
	var v any
	r.json(t, &v)
	switch x := v.(type) {
	case string:
		return x
	case []any:
		if len(x) == 1 {
			if s, ok := x[0].(string); ok {
				return s
			}
		}
	case map[string]any:
		if s, ok := x["commandId"].(string); ok {
			return s
		}
	}
	t.Fatalf("no command id in %s", r.body)
	return ""
}

// pollStatus polls request-status until the command leaves "started".
func (a *api) pollStatus(id, token string) string {
	a.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		r := a.postJSON("/request-status/"+id, token, map[string]any{})
		want(a.t, r, http.StatusOK)
		var words []string
		r.json(a.t, &words)
		if words[0] != "started" {
			return words[0]
		}
		time.Sleep(2 * time.Millisecond)
	}
	a.t.Fatalf("command %s still started after %v", id, waitLimit)
	return ""
}

// register creates a profile and waits for its command to succeed.
func (a *api) register(name, password string) {
	a.t.Helper()
	id := commandID(a.t, a.post("/profile/register-profile", "", url.Values{"username": {name}, "password": {password}}))
	if got := a.pollStatus(id, ""); got != "succeeded" {
		a.t.Fatalf("register %s: %s", name, got)
	}
}

// login authenticates and returns the token.
func (a *api) login(name, password string) string {
	a.t.Helper()
	r := a.post("/profile/authenticate", "", url.Values{"username": {name}, "password": {password}})
	want(a.t, r, http.StatusOK)
	var v struct{ AuthorizationToken, ExpiresAt string }
	r.json(a.t, &v)
	if v.AuthorizationToken == "" || v.ExpiresAt == "" {
		a.t.Fatalf("authenticate: %s", r.body)
	}
	return v.AuthorizationToken
}

// newProfile registers and authenticates a fresh profile.
func (a *api) newProfile(name string) string {
	a.t.Helper()
	a.register(name, "pw-"+name)
	return a.login(name, "pw-"+name)
}

// socket is a WebSocket client with one read loop feeding msgs.
type socket struct {
	t    testing.TB
	conn *websocket.Conn
	msgs chan map[string]any
	done chan struct{}
	err  error // the read loop's last error, valid after done
	// unclaimed keeps the messages event skipped, so that waiting for one
	// command's ack never loses another's that arrived first.
	unclaimed []map[string]any
}

func dial(t testing.TB, srv *sim.Server) *socket {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: waitLimit}
	conn, _, err := d.Dial(srv.URLs().WS, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	s := &socket{t: t, conn: conn, msgs: make(chan map[string]any, 4096), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for {
			_, b, err := conn.ReadMessage()
			if err != nil {
				s.err = err
				return
			}
			var m map[string]any
			if json.Unmarshal(b, &m) == nil {
				s.msgs <- m
			}
		}
	}()
	t.Cleanup(func() { conn.Close() })
	return s
}

func (s *socket) send(v any) {
	s.t.Helper()
	if err := s.conn.WriteJSON(v); err != nil {
		s.t.Fatalf("write: %v", err)
	}
}

// next returns the next message, failing after waitLimit.
func (s *socket) next() map[string]any {
	s.t.Helper()
	select {
	case m := <-s.msgs:
		return m
	case <-s.done:
		select { // messages read before the close come first
		case m := <-s.msgs:
			return m
		default:
		}
		s.t.Fatalf("socket closed: %v", s.err)
	case <-time.After(waitLimit):
		s.t.Fatalf("no message after %v", waitLimit)
	}
	return nil
}

// quiet fails if a message arrives within d.
func (s *socket) quiet(d time.Duration) {
	s.t.Helper()
	select {
	case m := <-s.msgs:
		s.t.Fatalf("unexpected message %v", m)
	case <-time.After(d):
	}
}

// join joins with token and returns the confirmation.
func (s *socket) join(token string) map[string]any {
	s.t.Helper()
	s.send(map[string]any{"action": "joinChannel", "data": map[string]any{"authorizationToken": token}})
	m := s.next()
	if m["status"] != float64(200) {
		s.t.Fatalf("join: %v", m)
	}
	return m
}

// event returns data of the message of type typ with id: one skipped
// earlier, or the next that arrives. Others are kept for later calls.
func (s *socket) event(typ, id string) map[string]any {
	s.t.Helper()
	match := func(m map[string]any) map[string]any {
		if d, ok := m["data"].(map[string]any); ok && d["type"] == typ && d["id"] == id {
			return d
		}
		return nil
	}
	for i, m := range s.unclaimed {
		if d := match(m); d != nil {
			s.unclaimed = append(s.unclaimed[:i], s.unclaimed[i+1:]...)
			return d
		}
	}
	deadline := time.After(waitLimit)
	for {
		select {
		case m := <-s.msgs:
			if d := match(m); d != nil {
				return d
			}
			s.unclaimed = append(s.unclaimed, m)
		case <-s.done:
			for drained := false; !drained; { // messages read before the close come first
				select {
				case m := <-s.msgs:
					if d := match(m); d != nil {
						return d
					}
					s.unclaimed = append(s.unclaimed, m)
				default:
					drained = true
				}
			}
			s.t.Fatalf("socket closed waiting for %s %s: %v", typ, id, s.err)
		case <-deadline:
			s.t.Fatalf("no %s for %s after %v", typ, id, waitLimit)
		}
	}
}

// ack waits for the X-DPT-CAB-ID of id and returns status and body.
func (s *socket) ack(id string) (int, any) {
	s.t.Helper()
	d := s.event("X-DPT-CAB-ID", id)
	return int(d["command_status"].(float64)), d["body"]
}

// pollStatusOnce asks request-status once.
func (a *api) pollStatusOnce(id, token string) reply {
	a.t.Helper()
	return a.postJSON("/request-status/"+id, token, map[string]any{})
}

// registerRawNamed sends register-profile and returns the raw answer.
func (a *api) registerRawNamed(name string) reply {
	a.t.Helper()
	return a.post("/profile/register-profile", "", url.Values{"username": {name}, "password": {"pw"}})
}

// isClose reports whether err is a close frame with code.
func isClose(err error, code int) bool {
	var ce *websocket.CloseError
	return errors.As(err, &ce) && ce.Code == code
}

// wantKey fails the test unless r has status and names the error key:
// as its message ({"message": key}) or under one of the fields of a
// ValidationErrors body ({"errors": {field: [key, …]}}), §1.13.
func wantKey(t testing.TB, r reply, status int, key string) {
	t.Helper()
	want(t, r, status)
	var body struct {
		Message string
		Errors  map[string][]string
	}
	if err := json.Unmarshal(r.body, &body); err == nil {
		if body.Message == key {
			return
		}
		for _, keys := range body.Errors {
			if slices.Contains(keys, key) {
				return
			}
		}
	}
	t.Fatalf("status %d body %s; want error key %s", r.status, r.body, key)
}

// statusWord asks request-status once: "started", "succeeded" or "rejected".
func (a *api) statusWord(id, token string) string {
	a.t.Helper()
	r := a.pollStatusOnce(id, token)
	want(a.t, r, http.StatusOK)
	var words []string
	r.json(a.t, &words)
	return words[0]
}

// rawConn dials the API and writes raw, for requests net/http will not
// send (half-sent, malformed); the test's cleanup closes it.
func rawConn(t testing.TB, srv *sim.Server, raw string) net.Conn {
	t.Helper()
	return dialRaw(t, srv.URLs().API, raw)
}

// dialRaw opens a TCP connection to a service's base URL (any of the
// four) and writes raw; the test's cleanup closes it.
func dialRaw(t testing.TB, base, raw string) net.Conn {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, waitLimit)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprint(conn, raw)
	return conn
}

// wsUpgrade is a raw WebSocket upgrade request, for sockets that must
// upgrade and then do nothing a client library would do for them.
const wsUpgrade = "GET / HTTP/1.1\r\nHost: sim\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

// formPost is the head of a raw form POST to path with one more header line.
func formPost(path, header string) string {
	return "POST " + path + " HTTP/1.1\r\nHost: sim\r\nContent-Type: application/x-www-form-urlencoded\r\n" + header + "\r\n\r\n"
}
