// Package fakeclock is a clock for the simulator's tests: it moves only
// when a test advances it, so that expiries, latencies and time limits
// are tested without sleeping and without asserting wall-clock durations.
// It satisfies sim.Clock and pipeline.Clock. Safe for concurrent use.
package fakeclock

import (
	"sync"
	"time"
)

// Clock is a fake clock; the zero value is not usable, call New.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*timer
	armed  map[time.Duration]int // AfterFunc calls by duration
}

type timer struct {
	at      time.Time
	f       func()
	stopped bool
}

// New returns a clock standing at 2026-01-01T00:00:00Z.
func New() *Clock {
	return &Clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), armed: map[time.Duration]int{}}
}

// Now is the clock's time.
func (k *Clock) Now() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.now
}

// AfterFunc calls f in its own goroutine once the clock has advanced by
// d (at once when d <= 0); stop prevents that if it has not happened.
func (k *Clock) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.armed[d]++
	t := &timer{at: k.now.Add(d), f: f}
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

// Advance moves the clock by d and starts the functions due by then.
func (k *Clock) Advance(d time.Duration) {
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

// Armed is how many times AfterFunc was called with d: a test sees by it
// that a loop on the clock (a janitor re-arming) finished a pass.
func (k *Clock) Armed(d time.Duration) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.armed[d]
}
