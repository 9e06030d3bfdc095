package sim_test

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// fakeClock is a sim.Clock that moves only when a test advances it, so
// that tests of expiries, latencies and time limits never sleep.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	armed  map[time.Duration]int // AfterFunc calls by duration, to see a loop re-arm
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), armed: map[time.Duration]int{}}
}

func (k *fakeClock) Now() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.now
}

func (k *fakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.armed[d]++
	t := &fakeTimer{at: k.now.Add(d), f: f}
	if d <= 0 {
		t.stopped = true
		go f()
	} else {
		k.timers = append(k.timers, t)
	}
	return func() bool {
		k.mu.Lock()
		defer k.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

// Advance moves the clock by d and runs what is due by then.
func (k *fakeClock) Advance(d time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.now = k.now.Add(d)
	kept := k.timers[:0]
	for _, t := range k.timers {
		switch {
		case t.stopped:
		case !t.at.After(k.now):
			t.stopped = true
			go t.f()
		default:
			kept = append(kept, t)
		}
	}
	k.timers = kept
}

// armedCount is how many times AfterFunc was called for d.
func (k *fakeClock) armedCount(d time.Duration) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.armed[d]
}

// advanceUntil advances the clock by step until done holds; the
// simulator's goroutines get to run between steps. A bound on steps, not
// on time, ends a test that would hang.
func (k *fakeClock) advanceUntil(t testing.TB, step time.Duration, done func() bool) {
	t.Helper()
	for range 10_000 {
		if done() {
			return
		}
		k.Advance(step)
		for range 100 {
			runtime.Gosched()
		}
	}
	t.Fatalf("condition not reached after advancing %v", 10_000*step)
}

// waitArmed waits until AfterFunc(d) was called more than n times: how a
// test knows that a loop on the clock (the janitor) finished a pass.
func (k *fakeClock) waitArmed(t testing.TB, d time.Duration, n int) {
	t.Helper()
	for range 1_000_000 {
		if k.armedCount(d) > n {
			return
		}
		runtime.Gosched()
	}
	t.Fatalf("no AfterFunc(%v) after the %dth", d, n)
}
