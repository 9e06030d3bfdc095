package engine

import (
	"sync/atomic"
	"time"
)

// Live is what a progress line shows of a run while it goes on. Pass a
// *Live in Options and read it from any goroutine; the engine writes it
// only when the clock starts and when it makes or retires a VU, never per
// iteration.
type Live struct {
	started atomic.Int64 // Unix nanoseconds when the clock started; 0 before
	planned atomic.Int64 // the longest workload's start-time + duration
	vus     atomic.Int64 // VUs made and not yet torn down
	maxVUs  atomic.Int64 // the most VUs the plans may make
}

// Started is when the clock started; ok is false before (during setup
// and vu-setup).
func (l *Live) Started() (t time.Time, ok bool) {
	ns := l.started.Load()
	return time.Unix(0, ns), ns != 0
}

// Planned is how long the load is planned to last, graceful stops
// excluded; 0 when it is a count of iterations, not a time.
func (l *Live) Planned() time.Duration { return time.Duration(l.planned.Load()) }

// VUs is the number of VUs that exist now; MaxVUs the most there may be.
func (l *Live) VUs() int    { return int(l.vus.Load()) }
func (l *Live) MaxVUs() int { return int(l.maxVUs.Load()) }

// plannedDuration is how long p plans to run from its own start: 0 for
// the iteration-count executors, whose end is their work, not a time.
func (p plan) plannedDuration() (d time.Duration, vus int) {
	if p.closed != nil {
		if p.closed.cutIsEarly {
			return 0, p.closed.maxVUs()
		}
		return p.closed.end, p.closed.maxVUs()
	}
	return p.arrival.end, p.arrival.maxVUs
}
