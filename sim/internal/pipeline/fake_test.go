package pipeline

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock that moves only when a test advances it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	k      *fakeClock
	c      chan time.Time
	at     time.Time
	active bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (k *fakeClock) Now() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.now
}

func (k *fakeClock) NewTimer(d time.Duration) Timer {
	t := &fakeTimer{k: k, c: make(chan time.Time, 1)}
	k.mu.Lock()
	k.timers = append(k.timers, t)
	k.mu.Unlock()
	t.Reset(d)
	return t
}

// Advance moves the clock by d and fires the timers due by then.
func (k *fakeClock) Advance(d time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.now = k.now.Add(d)
	for _, t := range k.timers {
		if t.active && !t.at.After(k.now) {
			t.active = false
			select {
			case t.c <- k.now:
			default:
			}
		}
	}
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Reset(d time.Duration) {
	t.k.mu.Lock()
	defer t.k.mu.Unlock()
	t.at, t.active = t.k.now.Add(d), true
}

func (t *fakeTimer) Stop() {
	t.k.mu.Lock()
	defer t.k.mu.Unlock()
	t.active = false
}

// wire records what a pipeline published, in order.
type wire struct {
	mu   sync.Mutex
	msgs []string
}

func (w *wire) publish(owner string, msg []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, owner+" "+string(msg))
}

func (w *wire) published() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.msgs...)
}

// rig is a pipeline on a fake clock whose acks read "ack ID STATUS BODY".
type rig struct {
	*Pipeline
	clock  *fakeClock
	wire   *wire
	count  *Counters
	faults *FaultCounts
}

func newRig(t *testing.T, cfg Config) *rig {
	t.Helper()
	r := &rig{clock: newFakeClock(), wire: &wire{}, count: &Counters{}, faults: &FaultCounts{}}
	cfg.Clock, cfg.Publish, cfg.Faults = r.clock, r.wire.publish, r.faults
	cfg.Ack = func(id string, status int, body string) []byte {
		return fmt.Appendf(nil, "ack %s %d %s", id, status, body)
	}
	cfg.StartedAck = func(id string) []byte { return []byte("started " + id) }
	if cfg.ResultTTL == 0 {
		cfg.ResultTTL = time.Hour
	}
	if cfg.MaxResults == 0 {
		cfg.MaxResults = 1000
	}
	r.Pipeline = New(cfg)
	t.Cleanup(r.Close)
	return r
}

// submit accepts and submits command id of owner "alice" with plan.
func (r *rig) submit(id string, plan Plan, resolve func() Outcome) *Command {
	c := r.Accept(id, "alice", plan, r.count, resolve)
	r.Submit(c, func() {})
	return c
}

// waitStatus waits until command id has status and body. The workers run
// on their own goroutines, so it yields rather than sleeps; a bound on
// yields, not on time, ends a test that would hang.
func (r *rig) waitStatus(t *testing.T, id string, status int, body string) {
	t.Helper()
	for range 1_000_000 {
		if st, b, _, _ := r.Status(id); st == status && b == body {
			return
		}
		runtime.Gosched()
	}
	st, b, _, _ := r.Status(id)
	t.Fatalf("command %s: %d %q, want %d %q", id, st, b, status, body)
}

// settle yields long enough for any runnable worker to have run.
func settle() {
	for range 1000 {
		runtime.Gosched()
	}
}
