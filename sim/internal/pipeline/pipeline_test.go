package pipeline

import (
	"slices"
	"testing"
	"time"
)

// TestLatencyWaitsForTheClock: a delayed command resolves only once the
// clock reached its due time, then publishes one ack to its owner.
func TestLatencyWaitsForTheClock(t *testing.T) {
	t.Parallel()
	r := newRig(t, Config{Workers: 2})
	ran := make(chan struct{}, 1)
	r.submit("c1", Plan{Delay: 10 * time.Second}, func() Outcome { ran <- struct{}{}; return Success() })
	r.clock.Advance(10*time.Second - time.Nanosecond)
	settle()
	if st, _, owner, _ := r.Status("c1"); st != Started || owner != "alice" || len(ran) != 0 {
		t.Fatalf("before its latency: status %d owner %q, resolved %v", st, owner, len(ran) != 0)
	}
	for st := Started; st == Started; st, _, _, _ = r.Status("c1") {
		r.clock.Advance(time.Nanosecond) // the timer may re-arm after the first advance
		settle()
	}
	r.waitStatus(t, "c1", Succeeded, BodySucceeded)
	if got, want := r.wire.published(), []string{"alice ack c1 2 " + BodySucceeded}; !slices.Equal(got, want) {
		t.Fatalf("published %q, want %q", got, want)
	}
	if r.count.Commands.Load() != 1 || r.count.Acks.Load() != 1 || r.count.Faults.Load() != 0 {
		t.Fatalf("counters %d %d %d", r.count.Commands.Load(), r.count.Acks.Load(), r.count.Faults.Load())
	}
}

// TestFaults: each fault of a plan, decided before the command runs, as
// the ack stream and the counters see it.
func TestFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		plan      Plan
		status    int
		body      string
		published []string
		resolved  bool // whether resolve ran
	}{
		{"no fault: one ack", Plan{}, Succeeded, BodySucceeded, []string{"alice ack c 2 " + BodySucceeded}, true},
		{"reject: resolve skipped, OnReject called", Plan{Reject: true}, Rejected, ReasonInjected, []string{"alice ack c 3 " + ReasonInjected}, false},
		{"drop: outcome kept, nothing sent", Plan{Drop: true}, Succeeded, BodySucceeded, nil, true},
		{"duplicate: sent twice", Plan{Duplicate: true}, Succeeded, BodySucceeded, []string{"alice ack c 2 " + BodySucceeded, "alice ack c 2 " + BodySucceeded}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, Config{})
			resolved, undone := false, false
			c := r.Accept("c", "alice", tc.plan, r.count, func(string) Outcome { resolved = true; return Success() })
			c.OnReject(func() { undone = true })
			r.Submit(c, func() {})
			r.waitStatus(t, "c", tc.status, tc.body)
			r.Close() // waits for the worker: resolved and published are final
			if got := r.wire.published(); !slices.Equal(got, tc.published) || resolved != tc.resolved || undone == tc.resolved {
				t.Fatalf("published %q resolved %v undone %v; want %q resolved %v", got, resolved, undone, tc.published, tc.resolved)
			}
			if faults := r.count.Faults.Load(); (faults == 0) != (tc.plan == Plan{}) {
				t.Fatalf("faults counted %d", faults)
			}
		})
	}
}

// TestEmitPending: with EmitPending one status-1 message precedes the
// terminal ack, and is sent even when the terminal ack is dropped.
func TestEmitPending(t *testing.T) {
	t.Parallel()
	r := newRig(t, Config{EmitPending: true})
	r.submit("a", Plan{}, Success)
	r.submit("b", Plan{Drop: true}, Success)
	r.waitStatus(t, "a", Succeeded, BodySucceeded)
	r.waitStatus(t, "b", Succeeded, BodySucceeded)
	r.Close()
	got := r.wire.published()
	slices.Sort(got)
	if want := []string{"alice ack a 2 " + BodySucceeded, "alice started a", "alice started b"}; !slices.Equal(got, want) {
		t.Fatalf("published %q, want %q", got, want)
	}
}

// TestStall: a stalled command waits StallFor beyond its latency, or with
// no StallFor until Close, which ends it rejected.
func TestStall(t *testing.T) {
	t.Parallel()
	r := newRig(t, Config{StallFor: time.Minute})
	r.submit("s", Plan{Stall: true, Delay: time.Second}, Success)
	r.clock.Advance(time.Minute)
	settle()
	if st, _, _, _ := r.Status("s"); st != Started {
		t.Fatalf("stalled command ended after StallFor alone: %d", st)
	}
	for st := Started; st == Started; st, _, _, _ = r.Status("s") {
		r.clock.Advance(time.Second)
		settle()
	}
	r.waitStatus(t, "s", Succeeded, BodySucceeded)

	forever := newRig(t, Config{})
	forever.submit("h", Plan{Stall: true}, Success)
	forever.clock.Advance(24 * time.Hour)
	settle()
	if st, _, _, _ := forever.Status("h"); st != Started {
		t.Fatalf("held command ended before Close: %d", st)
	}
	forever.Close()
	forever.waitStatus(t, "h", Rejected, ReasonShuttingDown)
	if r.faults.Stalled.Load() != 1 || forever.faults.Stalled.Load() != 1 {
		t.Fatal("stalls not counted")
	}
}

// TestAckBeforeResponse: the ack is published before respond runs, except
// for a stalled command.
func TestAckBeforeResponse(t *testing.T) {
	t.Parallel()
	r := newRig(t, Config{AckBeforeResponse: true})
	c := r.Accept("c", "alice", Plan{}, r.count, succeed)
	var seen []string
	r.Submit(c, func() { seen = r.wire.published() })
	if len(seen) != 1 {
		t.Fatalf("respond saw %q, want the ack already published", seen)
	}
	stalled := r.Accept("s", "alice", Plan{Stall: true}, r.count, succeed)
	r.Submit(stalled, func() { seen = r.wire.published() })
	if len(seen) != 1 {
		t.Fatalf("respond of a stalled command saw %q", seen)
	}
}
