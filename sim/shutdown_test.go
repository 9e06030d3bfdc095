package sim_test

import (
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// TestCloseResolvesInFlight: commands scheduled far in the future are
// resolved at Close, their acks delivered, then sockets closed with 1001;
// Close is idempotent.
func TestCloseResolvesInFlight(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sim.Options{AckLatency: sim.Latency{Min: time.Hour, Max: time.Hour}})
	var ids []string
	for range 5 {
		ids = append(ids, f.command(t))
	}
	done := make(chan error, 1)
	go func() { done <- f.srv.Close() }()
	acked := map[string]bool{}
	for range ids { // order is not guaranteed: collect
		d := f.ws.next()["data"].(map[string]any)
		if d["command_status"] != float64(2) {
			t.Fatalf("in-flight command resolved %v", d)
		}
		acked[d["id"].(string)] = true
	}
	for _, id := range ids {
		if !acked[id] {
			t.Fatalf("no ack for %s", id)
		}
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("Close hangs")
	}
	<-f.ws.done
	if !isClose(f.ws.err, 1001) {
		t.Fatalf("socket closed with %v, want 1001", f.ws.err)
	}
	if err := f.srv.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// TestCloseDuringLoad: Close while clients are sending does not panic or
// hang; every command accepted before Close reaches a terminal status.
func TestCloseDuringLoad(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sim.Options{AckLatency: sim.Latency{Min: time.Millisecond, Max: 5 * time.Millisecond}})
	stop := make(chan struct{})
	finished := make(chan struct{})
	cl := http.Client{Timeout: waitLimit}
	go func() {
		defer close(finished)
		for i := 0; i < 2000; i++ {
			select {
			case <-stop:
				return
			default:
			}
			req, _ := http.NewRequest("POST", f.srv.URLs().API+"/profile/change-password",
				strings.NewReader(url.Values{"currentPassword": {"pw"}, "newPassword": {"pw"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-DPT-AUTHORIZATION", f.token)
			if resp, err := cl.Do(req); err == nil { // errors are expected once Close began
				resp.Body.Close()
			}
		}
	}()
	for i := 0; f.srv.Stats().Commands < 50 && i < 1_000_000; i++ {
		runtime.Gosched() // let the load build up before closing under it
	}
	closed := make(chan struct{})
	go func() { f.srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(waitLimit):
		t.Fatal("Close hangs under load")
	}
	close(stop)
	<-finished
	st := f.srv.Stats()
	if st.Commands == 0 || st.Acks != st.Commands {
		t.Fatalf("after Close: %d commands, %d acks", st.Commands, st.Acks)
	}
}

// TestCloseCutsAHalfSentRequest: a request whose body never finishes
// does not hold Close up, and cutting it is no error (a clean exit for
// pcflow sim on Ctrl-C).
func TestCloseCutsAHalfSentRequest(t *testing.T) {
	t.Parallel()
	srv, err := sim.Start(sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rawConn(t, srv, formPost("/profile/authenticate", "Content-Length: 100")+"username=a")
	want(t, newAPI(t, srv).get("/health", ""), 200) // the server is serving, the half-sent request is in flight
	closed := make(chan error, 1)
	go func() { closed <- srv.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close with a half-sent request: %v; want nil", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("Close waits on a half-sent request")
	}
}
