package sim

import (
	"testing"
	"time"
)

// TestDeferredCompletion: a command whose resolve returns pending() stays
// started until complete ends it — the hook voting-gated commands use —
// and complete works once.
func TestDeferredCompletion(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := newProfile("prf-test", "tester", "pw")
	ran := make(chan struct{})
	c := s.newCommand(p, "test-op", func() outcome { close(ran); return pending() })
	s.submit(c, func() {})
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("resolve never ran")
	}
	waitStatus := func(want int) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if st, _, _, _ := s.commands.status(c.id); st == want {
				return
			}
			time.Sleep(time.Millisecond)
		}
		st, _, _, _ := s.commands.status(c.id)
		t.Fatalf("status %d, want %d", st, want)
	}
	waitStatus(statusStarted)
	if !s.complete(c.id, rejected("vote.denied")) {
		t.Fatal("complete refused a pending command")
	}
	waitStatus(statusRejected)
	if _, body, _, _ := s.commands.status(c.id); body != "vote.denied" {
		t.Fatalf("body %q", body)
	}
	if s.complete(c.id, succeeded()) {
		t.Fatal("complete accepted a finished command")
	}
}

// TestCompleteFromInsideResolve: a pool that decides at once may call
// complete before resolve returns pending; the command ends exactly once.
func TestCompleteFromInsideResolve(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var c *command
	done := make(chan bool, 1)
	c = s.newCommand(newProfile("prf-test", "tester", "pw"), "test-op", func() outcome {
		done <- s.complete(c.id, succeeded())
		return rejected("ignored: complete won")
	})
	s.submit(c, func() {})
	if !<-done {
		t.Fatal("complete from inside resolve refused")
	}
	if st, _, _, _ := s.commands.status(c.id); st != statusSucceeded {
		t.Fatalf("status %d", st)
	}
}

// TestPendingReportedAtClose: a command still pending at Close ends
// rejected with "sim.shutting_down".
func TestPendingReportedAtClose(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ran := make(chan struct{})
	c := s.newCommand(newProfile("prf-test", "tester", "pw"), "test-op", func() outcome { close(ran); return pending() })
	s.submit(c, func() {})
	<-ran
	s.Close()
	if st, body, _, _ := s.commands.status(c.id); st != statusRejected || body != reasonShuttingDown {
		t.Fatalf("after Close: %d %q", st, body)
	}
}

// TestHeldCommandsAreBounded: once maxHeld commands are held (here pending
// forever), the next command is rejected with sim.too_many_held_commands
// without resolving, and one ending makes room again.
func TestHeldCommandsAreBounded(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.commands.mu.Lock()
	s.commands.maxHeld = 2
	s.commands.mu.Unlock()
	p := newProfile("prf-test", "tester", "pw")
	ran := make(chan string, 3)
	submit := func() *command {
		var c *command
		c = s.newCommand(p, "test-op", func() outcome { ran <- c.id; return pending() })
		s.submit(c, func() {})
		return c
	}
	first := submit()
	submit()
	for range 2 {
		<-ran
	}
	third := submit()
	waitFor(t, s, third.id, statusRejected, reasonTooManyHeld)
	select {
	case id := <-ran:
		t.Fatalf("resolve of %s ran beyond the bound", id)
	default:
	}
	s.complete(first.id, succeeded())
	fourth := submit()
	if id := <-ran; id != fourth.id {
		t.Fatalf("resolve ran for %s, want %s", id, fourth.id)
	}
}

// waitFor waits until command id has status and body.
func waitFor(t *testing.T, s *Server, id string, status int, body string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if st, b, _, _ := s.commands.status(id); st == status && b == body {
			return
		}
		time.Sleep(time.Millisecond)
	}
	st, b, _, _ := s.commands.status(id)
	t.Fatalf("command %s: %d %q, want %d %q", id, st, b, status, body)
}
