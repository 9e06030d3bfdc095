package pipeline

import (
	"testing"
	"time"
)

// TestPendingUntilComplete: a command whose resolve returns Pending stays
// started until Complete ends it, and Complete works once.
func TestPendingUntilComplete(t *testing.T) {
	t.Parallel()
	r := newRig(t, Config{})
	ran := make(chan struct{})
	r.submit("p", Plan{}, func() Outcome { close(ran); return Pending() })
	<-ran
	settle()
	if st, _, _, _ := r.Status("p"); st != Started {
		t.Fatalf("pending command: status %d", st)
	}
	if !r.Complete("p", Rejection("vote.denied")) {
		t.Fatal("Complete refused a pending command")
	}
	r.waitStatus(t, "p", Rejected, "vote.denied")
	if r.Complete("p", Success()) || r.Complete("unknown", Success()) {
		t.Fatal("Complete accepted a finished or unknown command")
	}
}

// TestCompleteFromInsideResolve: a vote that decides at once may call
// Complete before resolve returns; the command ends exactly once.
func TestCompleteFromInsideResolve(t *testing.T) {
	t.Parallel()
	r := newRig(t, Config{})
	done := make(chan bool, 1)
	r.submit("c", Plan{}, func() Outcome {
		done <- r.Complete("c", Success())
		return Rejection("ignored: Complete won")
	})
	if !<-done {
		t.Fatal("Complete from inside resolve refused")
	}
	r.waitStatus(t, "c", Succeeded, BodySucceeded)
	r.Close()
	if n := len(r.wire.published()); n != 1 {
		t.Fatalf("%d acks, want 1", n)
	}
}

// TestCloseEndsEverything: at Close a delayed command resolves at once,
// a pending one ends rejected with ReasonShuttingDown, and one submitted
// afterwards still resolves (on the submitter's goroutine).
func TestCloseEndsEverything(t *testing.T) {
	t.Parallel()
	r := newRig(t, Config{})
	r.submit("late", Plan{Delay: time.Hour}, Success)
	ran := make(chan struct{})
	r.submit("pending", Plan{}, func() Outcome { close(ran); return Pending() })
	<-ran
	r.Close()
	r.Close() // idempotent
	r.waitStatus(t, "late", Succeeded, BodySucceeded)
	r.waitStatus(t, "pending", Rejected, ReasonShuttingDown)
	r.submit("after", Plan{Delay: time.Hour}, Success)
	r.waitStatus(t, "after", Succeeded, BodySucceeded)
}

// TestHeldCommandsAreBounded: once MaxHeld commands are held (here pending
// for ever), the next one ends with ReasonTooManyHeld without resolving,
// and one ending makes room again.
func TestHeldCommandsAreBounded(t *testing.T) {
	t.Parallel()
	r := newRig(t, Config{MaxHeld: 2})
	ran := make(chan string, 3)
	submit := func(id string) {
		r.submit(id, Plan{}, func() Outcome { ran <- id; return Pending() })
	}
	submit("1")
	submit("2")
	<-ran
	<-ran
	submit("3")
	r.waitStatus(t, "3", Rejected, ReasonTooManyHeld)
	if len(ran) != 0 {
		t.Fatalf("resolve of %s ran beyond the bound", <-ran)
	}
	r.Complete("1", Success())
	submit("4")
	if id := <-ran; id != "4" {
		t.Fatalf("resolve ran for %s, want 4", id)
	}
}

// TestOutcomesAgeOut: outcomes go after ResultTTL (by Sweep too) and
// beyond MaxResults, oldest first; a started command is never evicted.
func TestOutcomesAgeOut(t *testing.T) {
	t.Parallel()
	r := newRig(t, Config{Workers: 2, ResultTTL: time.Hour, MaxResults: 2})
	hold := make(chan struct{})
	t.Cleanup(func() { close(hold) }) // before Close, which waits for the workers
	r.submit("started", Plan{}, func() Outcome { <-hold; return Success() })
	for _, id := range []string{"a", "b", "c"} {
		r.submit(id, Plan{}, Success)
		r.waitStatus(t, id, Succeeded, BodySucceeded)
	}
	if _, _, _, ok := r.Status("a"); ok {
		t.Fatal("the oldest outcome survived MaxResults")
	}
	r.Sweep(r.clock.Now().Add(time.Hour))
	for _, id := range []string{"b", "c"} {
		if _, _, _, ok := r.Status(id); ok {
			t.Fatalf("outcome %s survived ResultTTL", id)
		}
	}
	if st, _, _, ok := r.Status("started"); !ok || st != Started {
		t.Fatal("a started command was evicted")
	}
}
