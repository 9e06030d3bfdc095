package sim_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim/internal/fakeclock"
)

// fakeClock is the tests' sim.Clock: it moves only when a test advances it.
type fakeClock struct{ *fakeclock.Clock }

func newFakeClock() *fakeClock { return &fakeClock{fakeclock.New()} }

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
		if k.Armed(d) > n {
			return
		}
		runtime.Gosched()
	}
	t.Fatalf("no AfterFunc(%v) after the %dth", d, n)
}
