package pipeline

import (
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// freeze is the stall of these tests: no ack during the first second of
// every five, counted from New.
var freeze = Config{FreezeFor: time.Second, FreezeEvery: 5 * time.Second, Workers: 2}

// waitArmed waits until the timer goroutine armed an AfterFunc of d (the
// wait until the earliest due command), so that advancing the fake clock
// by d then fires it exactly: without it, an Advance that overtakes the
// arming would fire it late.
func (r *rig) waitArmed(t *testing.T, d time.Duration) {
	t.Helper()
	// Bounded by wall time, not a count of yields: under -race on a busy
	// machine a million yields can pass before a worker is scheduled.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if r.clock.Armed(d) > 0 {
			return
		}
		runtime.Gosched()
	}
	t.Fatalf("the timer never waited %v", d)
}

// acked returns the ids of the acks published so far, in order.
func (r *rig) acked() []string {
	var ids []string
	for _, m := range r.wire.published() {
		if f := strings.Fields(m); len(f) > 2 && f[1] == "ack" { // "alice ack ID STATUS BODY"
			ids = append(ids, f[2])
		}
	}
	return ids
}

// waitAcks waits until the acks published are n (Status may tell a
// command ended a moment before its ack is published) and returns them.
func (r *rig) waitAcks(t *testing.T, n int) []string {
	t.Helper()
	// Bounded by wall time, not a count of yields: under -race on a busy
	// machine a million yields can pass before a worker is scheduled.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if got := r.acked(); len(got) >= n {
			return got
		}
		runtime.Gosched()
	}
	t.Fatalf("acks %q, want %d", r.acked(), n)
	return nil
}

// TestFreezeHoldsAcksUntilTheWindowCloses: acks due inside a window
// (due at once, or after a latency that ends inside it) are neither
// resolved nor published before the window's end, and leave exactly at
// it; acks due between windows leave when due, untouched.
func TestFreezeHoldsAcksUntilTheWindowCloses(t *testing.T) {
	t.Parallel()
	r := newRig(t, freeze) // New at t=0: the first window is [0s, 1s)
	var resolved atomic.Int64
	resolve := func() Outcome { resolved.Add(1); return Success() }

	r.submit("a", Plan{}, resolve)                              // due at 0s, inside
	r.submit("b", Plan{Delay: 300 * time.Millisecond}, resolve) // due at 0.3s, inside
	r.waitArmed(t, time.Second)
	r.clock.Advance(time.Second - time.Nanosecond)
	settle()
	if got := r.acked(); len(got) != 0 || resolved.Load() != 0 {
		t.Fatalf("inside the window: acks %q, %d resolved; want none", got, resolved.Load())
	}
	for _, id := range []string{"a", "b"} {
		if st, _, _, _ := r.Status(id); st != Started {
			t.Fatalf("command %s is %d inside the window, want started", id, st)
		}
	}
	r.clock.Advance(time.Nanosecond) // t=1s: the window closes
	r.waitStatus(t, "a", Succeeded, BodySucceeded)
	r.waitStatus(t, "b", Succeeded, BodySucceeded)

	r.submit("c", Plan{}, resolve) // t=1s, between windows: at once, no clock move
	r.waitStatus(t, "c", Succeeded, BodySucceeded)

	r.submit("d", Plan{Delay: 2 * time.Second}, resolve) // due at 3s, between windows
	r.waitArmed(t, 2*time.Second)
	r.clock.Advance(2*time.Second - time.Nanosecond)
	settle()
	if st, _, _, _ := r.Status("d"); st != Started {
		t.Fatalf("d ended before its latency: %d", st)
	}
	r.clock.Advance(time.Nanosecond) // t=3s
	r.waitStatus(t, "d", Succeeded, BodySucceeded)

	r.submit("e", Plan{Delay: 2500 * time.Millisecond}, resolve) // due at 5.5s, inside [5s, 6s)
	r.waitArmed(t, 3*time.Second)
	r.clock.Advance(3*time.Second - time.Nanosecond)
	settle()
	if st, _, _, _ := r.Status("e"); st != Started {
		t.Fatalf("e ended inside the second window: %d", st)
	}
	r.clock.Advance(time.Nanosecond) // t=6s
	r.waitStatus(t, "e", Succeeded, BodySucceeded)

	if got, want := r.waitAcks(t, 5), []string{"a", "b", "c", "d", "e"}; !sameSet(got, want) || len(got) != len(want) {
		t.Fatalf("acks %q, want each of %q once", got, want)
	}
	if r.faults.Stalled.Load() != 3 || r.count.Faults.Load() != 3 {
		t.Fatalf("stalled %d, faults %d; want the 3 held by a window (a, b, e)", r.faults.Stalled.Load(), r.count.Faults.Load())
	}
}

// TestFreezeHoldsACompletedVote: a pending command completed while a
// window is open (a vote that ended during the freeze) stays started,
// cannot be completed twice, and acks when the window closes.
func TestFreezeHoldsACompletedVote(t *testing.T) {
	t.Parallel()
	r := newRig(t, freeze)
	r.clock.Advance(2 * time.Second) // between windows
	ran := make(chan struct{})
	r.submit("v", Plan{}, func() Outcome { close(ran); return Pending() })
	<-ran
	r.clock.Advance(3 * time.Second) // t=5s: the second window opens
	if !r.Complete("v", Success()) {
		t.Fatal("Complete refused a pending command")
	}
	if r.Complete("v", Rejection("again")) {
		t.Fatal("a command held by the window was completed twice")
	}
	r.waitArmed(t, time.Second)
	r.clock.Advance(time.Second - time.Nanosecond)
	settle()
	if st, _, _, _ := r.Status("v"); st != Started || len(r.acked()) != 0 {
		t.Fatalf("inside the window: status %d, acks %q", st, r.acked())
	}
	r.clock.Advance(time.Nanosecond) // t=6s
	r.waitStatus(t, "v", Succeeded, BodySucceeded)
	if got := r.waitAcks(t, 1); !slices.Equal(got, []string{"v"}) {
		t.Fatalf("acks %q, want v once", got)
	}
}

// TestFreezeAndAckBeforeResponse: between windows the ack still leaves
// before the response; inside one the response goes first and the ack
// waits for the window's end like any other.
func TestFreezeAndAckBeforeResponse(t *testing.T) {
	t.Parallel()
	cfg := freeze
	cfg.AckBeforeResponse = true
	r := newRig(t, cfg)
	r.clock.Advance(2 * time.Second) // between windows
	var seen []string
	r.Submit(r.Accept("out", "alice", Plan{}, r.count, succeed), func() { seen = r.acked() })
	if !slices.Equal(seen, []string{"out"}) {
		t.Fatalf("respond between windows saw acks %q, want out already published", seen)
	}
	r.clock.Advance(3 * time.Second) // t=5s: inside
	r.Submit(r.Accept("in", "alice", Plan{}, r.count, succeed), func() { seen = r.acked() })
	if !slices.Equal(seen, []string{"out"}) {
		t.Fatalf("respond inside the window saw acks %q, want only out", seen)
	}
	r.waitArmed(t, time.Second)
	r.clock.Advance(time.Second - time.Nanosecond)
	settle()
	if st, _, _, _ := r.Status("in"); st != Started {
		t.Fatalf("in ended inside the window: %d", st)
	}
	r.clock.Advance(time.Nanosecond)
	r.waitStatus(t, "in", Succeeded, BodySucceeded)
}

// TestCloseDuringAFreeze: Close inside a window publishes what the window
// held at once, a command due in it and an outcome it kept alike.
func TestCloseDuringAFreeze(t *testing.T) {
	t.Parallel()
	r := newRig(t, freeze)
	r.clock.Advance(2 * time.Second)
	ran := make(chan struct{})
	r.submit("v", Plan{}, func() Outcome { close(ran); return Pending() })
	<-ran
	r.clock.Advance(3 * time.Second) // t=5s: inside
	r.submit("a", Plan{}, Success)
	r.Complete("v", Success())
	r.Close()
	r.waitStatus(t, "a", Succeeded, BodySucceeded)
	r.waitStatus(t, "v", Succeeded, BodySucceeded)
	if got := r.waitAcks(t, 2); !sameSet(got, []string{"a", "v"}) || len(got) != 2 {
		t.Fatalf("acks at Close %q, want a and v", got)
	}
}

// TestFreezeConfigIsChecked: New refuses a window that never closes or
// never opens.
func TestFreezeConfigIsChecked(t *testing.T) {
	t.Parallel()
	for _, c := range []Config{{FreezeFor: time.Second, FreezeEvery: time.Second}, {FreezeEvery: time.Second}, {FreezeFor: -1, FreezeEvery: time.Second}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New accepted freeze %v/%v", c.FreezeFor, c.FreezeEvery)
				}
			}()
			New(c).Close()
		}()
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
