package engine

import (
	"runtime"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

// runArrival is the loop of the open-model executors: it hands every due
// iteration of the segment to a free VU the moment it is due, whatever
// the server does. An iteration that finds no VU free is dropped and
// counted, and a VU is added (up to max-vus) for the iterations to come,
// as k6 does; it does its vu-setup as it is added.
func (w *workload) runArrival(zero time.Time) {
	p := w.plan.arrival
	// Each VU is in the pool at most once and there are at most maxVUs,
	// so returning to it never blocks.
	pool := make(chan *vuState, max(p.maxVUs, len(w.vus)))
	for _, v := range w.vus {
		if v.setupOK {
			v.work = make(chan time.Time, 1)
			v.running.Store(true)
			w.iterDone.Add(1)
			go v.loopArrival(pool)
			pool <- v
		}
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	closeWork := func() {
		for _, v := range w.vus {
			if v.work != nil {
				close(v.work)
			}
		}
	}
	for g := p.first; ; g += p.stride {
		at, ok := p.due(g)
		if !ok {
			break
		}
		due := zero.Add(at)
		if !w.waitUntil(timer, due, nil) {
			w.finish(p.gracefulStop, closeWork)
			return
		}
		// A second look at the pool unless the dispatcher is already far
		// behind (then it must not yield and fall further behind).
		if v := w.freeVU(pool, time.Since(due) < maxYieldLag); v != nil {
			v.work <- due
		} else {
			w.dropped++
			w.r.sink.Add(metrics.DroppedIterations, w.name, 1)
			if len(w.vus) < p.maxVUs {
				w.addVU(pool)
			}
		}
	}
	w.waitUntil(timer, zero.Add(p.end), nil)
	w.finish(p.gracefulStop, closeWork)
}

// maxYieldLag is how late a due iteration may be for the dispatcher to
// still yield once before dropping it: timers wake up a few ms late on a
// busy machine and hand out iterations in bursts, which is no reason to
// drop; 100 ms behind is a generator the summary already calls behind.
const maxYieldLag = 100 * time.Millisecond

// freeVU takes a free VU from the pool, or nil. With second, an empty
// pool gets one more look after yielding the processor: a VU that
// finished its iteration but was not yet scheduled to return to the pool
// is free, and dropping its iteration would count the Go scheduler, not
// the load.
func (w *workload) freeVU(pool chan *vuState, second bool) *vuState {
	select {
	case v := <-pool:
		return v
	default:
	}
	if !second {
		return nil
	}
	runtime.Gosched()
	select {
	case v := <-pool:
		return v
	default:
		return nil
	}
}

// addVU makes a VU mid-run; it does its vu-setup in its own goroutine and
// joins the pool when ready.
func (w *workload) addVU(pool chan *vuState) {
	v := w.newVU()
	if v == nil {
		return
	}
	v.work = make(chan time.Time, 1)
	v.running.Store(true)
	w.iterDone.Add(1)
	go func() {
		v.setup(w.iterCtx)
		if !v.setupOK {
			v.running.Store(false)
			w.iterDone.Done()
			return
		}
		pool <- v
		v.loopArrival(pool)
	}()
}

// loopArrival is an open-model VU: it runs what the dispatcher hands it
// and goes back to the pool.
func (v *vuState) loopArrival(pool chan<- *vuState) {
	w := v.w
	defer func() { v.running.Store(false); w.iterDone.Done() }()
	for due := range v.work {
		v.iterate(w.iterCtx, due)
		pool <- v
	}
}
