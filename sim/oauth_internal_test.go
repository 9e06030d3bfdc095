package sim

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim/internal/pipeline"
)

// TestCodeRequestEvictedBeforeResolving: a code request evicted while its
// command waits (here, behind an hour of ack latency, cut short by Close,
// which resolves what is delayed at once) ends rejected and leaves no
// code behind, so the registry does not keep codes nothing can evict.
func TestCodeRequestEvictedBeforeResolving(t *testing.T) {
	t.Parallel()
	s, err := Start(Options{AckLatency: Latency{Min: time.Hour, Max: time.Hour},
		Users: []User{{Name: "alice", Password: "pw"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := s.state.lookupName("alice")
	app := &oauthApp{id: "app-1", clientID: "cli-1", owner: p}
	s.oauth.addApp(app)
	q := url.Values{"client_id": {"cli-1"}, "nonce": {"n"}, "scope[]": {"all"}}
	req, _ := http.NewRequest("GET", s.URLs().API+"/profile/oauth-application-request-authorization-code?"+q.Encode(), nil)
	req.Header.Set("X-DPT-AUTHORIZATION", s.state.newSession(p, time.Hour).token)
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Header.Get("X-Dpt-Cab-Id")
	if resp.StatusCode != http.StatusAccepted || id == "" {
		t.Fatalf("request code: %d, id %q", resp.StatusCode, id)
	}
	s.oauth.evictExpired(time.Now().Add(2 * oauthCodeTTL))
	s.Close()
	waitFor(t, s, id, pipeline.Rejected, "oauth.code_request_expired")
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	if len(s.oauth.codes) != 0 || len(s.oauth.requests) != 0 || len(s.oauth.pending) != 0 {
		t.Fatalf("left behind: %d codes, %d requests, %d requesters counted", len(s.oauth.codes), len(s.oauth.requests), len(s.oauth.pending))
	}
}

// waitFor waits until command id has status and body.
func waitFor(t *testing.T, s *Server, id string, status int, body string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if st, b, _, _ := s.pipeline.Status(id); st == status && b == body {
			return
		}
		time.Sleep(time.Millisecond)
	}
	st, b, _, _ := s.pipeline.Status(id)
	t.Fatalf("command %s: %d %q, want %d %q", id, st, b, status, body)
}
