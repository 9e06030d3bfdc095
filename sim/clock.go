package sim

import (
	"time"

	"github.com/pcflow/pcflow/sim/internal/pipeline"
)

// Clock is the simulator's time. Options.Clock nil is the wall clock; a
// test passes a fake that it advances, so that expiries (tokens,
// reservations, stream tokens, codes), ack latency and stalls, pool time
// limits and virtual ballots, policy visibility and the janitor's sweeps
// happen without sleeping. Socket deadlines (idle and write timeouts) and
// the ids' timestamps stay on the wall clock: the network keeps them.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed; stop
	// prevents that if it has not happened yet, as time.AfterFunc does.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// every calls f every d until stop is closed: a ticker on clock, one
// pending AfterFunc at a time.
func every(clock Clock, d time.Duration, stop <-chan struct{}, f func(now time.Time)) {
	tick := make(chan struct{}, 1)
	for {
		cancel := clock.AfterFunc(d, func() { tick <- struct{}{} })
		select {
		case <-stop:
			cancel()
			return
		case <-tick:
			f(clock.Now())
		}
	}
}

// wallClock is the real clock.
type wallClock = pipeline.Wall
