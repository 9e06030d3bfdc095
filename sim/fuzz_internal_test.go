package sim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// FuzzAPIRequest sends arbitrary requests through the API's handler (the
// route table, the shared front and every handler) and checks that none
// panics (a panic answers 500 sim.internal_error) and that every answer
// but a 202 (request-data's null body is JSON too) or a path-cleaning redirect is JSON. Run: go test ./sim -fuzz FuzzAPIRequest.
func FuzzAPIRequest(f *testing.F) {
	s, err := Start(Options{Users: []User{{Name: "alice", Password: "pw"}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	p := s.state.lookupName("alice")
	token := s.state.newSession(p, DefaultTokenTTL).token
	handler := s.apiHandler(apiRoutes())
	for _, rt := range apiRoutes() {
		f.Add(rt.method, strings.ReplaceAll(rt.path, "{", "x{"), "application/x-www-form-urlencoded", "token=x&ttl=5", true)
	}
	f.Add("POST", "/policy/register", "application/json", `{"name":"p","configuration":{"a":[1,{"b":null}]}}`, true)
	f.Add("POST", "/voting/create", "application/json", `{"skipAuthenticatorDevices":[1,"a"]}`, false)
	f.Fuzz(func(t *testing.T, method, path, contentType, body string, withToken bool) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n#?") {
			return
		}
		req, err := http.NewRequest(method, "http://sim"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", contentType)
		if withToken {
			req.Header.Set(authHeader, token)
		}
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, req)
		if w.Code == http.StatusInternalServerError {
			t.Fatalf("%s %s %q: 500 %s", method, path, body, w.Body)
		}
		redirect := w.Code >= 300 && w.Code < 400 // ServeMux cleaning a path such as "/."
		if !redirect && w.Code != http.StatusAccepted && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %s: %d with a body that is not JSON: %q", method, path, w.Code, w.Body)
		}
	})
}

// FuzzWSFrame hands arbitrary client frames to the proxy's frame handler
// and checks that it never panics and that every reply is JSON with a
// status. Run: go test ./sim -fuzz FuzzWSFrame.
func FuzzWSFrame(f *testing.F) {
	s, err := Start(Options{Users: []User{{Name: "alice", Password: "pw"}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	token := s.state.newSession(s.state.lookupName("alice"), DefaultTokenTTL).token
	for _, frame := range []string{`{"action":"joinChannel","data":{"authorizationToken":"` + token + `"}}`,
		`{"action":"leaveChannel","correlationId":"c","data":{"channelId":"chn-x"}}`, `{"action":"ping"}`, `[]`, `{"data":5}`} {
		f.Add([]byte(frame))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		var slow atomic.Int64
		k := newSocket(nil, &slow) // no writer: replies stay queued for the check
		s.hub.Register(k)
		defer s.hub.Unregister(k)
		s.handleFrame(k, frame)
		for _, m := range k.take() {
			var reply struct{ Status *int }
			if json.Unmarshal(m, &reply) != nil || reply.Status == nil {
				t.Fatalf("frame %q: reply %q is not JSON with a status", frame, m)
			}
		}
	})
}
