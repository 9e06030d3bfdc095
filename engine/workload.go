package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

// workload is one workload's run. Its controller goroutine (closed.go,
// arrival.go) owns the plan and the VU list; VU goroutines share only the
// stop flag, the iteration context and, under shared-iterations, the
// count of iterations left (one atomic add per iteration).
type workload struct {
	r     *run
	name  string
	start time.Duration // start-time: offset from the run's clock
	plan  plan

	vus []*vuState // every VU made, in order; appended only by the controller

	stopping   atomic.Bool   // set with stopStart: no new iteration starts
	stopStart  chan struct{} // closed once, by finish
	iterCtx    context.Context
	cancelIter context.CancelFunc // the end of graceful-stop (or an abort)
	sharedLeft atomic.Int64       // shared-iterations: iterations not yet taken
	iterDone   sync.WaitGroup     // VU goroutines still able to iterate

	// Set by the controller, read after run returns.
	dropped int64
	cut     bool
	stuck   int64
	ended   time.Time
}

func newWorkload(r *run, name string, start time.Duration, p plan) *workload {
	w := &workload{r: r, name: name, start: start, plan: p, stopStart: make(chan struct{})}
	if p.closed != nil {
		w.sharedLeft.Store(p.closed.shared)
	}
	return w
}

// prepare makes the VUs the plan needs from the start and runs their
// vu-setup, SetupConcurrency at a time, before the clock starts.
func (w *workload) prepare(ctx context.Context) {
	n := 0
	if w.plan.closed != nil {
		n = w.plan.closed.maxVUs()
	} else {
		n = w.plan.arrival.preAllocatedVUs
	}
	var wg sync.WaitGroup
	for range n {
		v := w.newVU()
		if v == nil {
			continue
		}
		wg.Go(func() {
			w.r.setupSem <- struct{}{}
			defer func() { <-w.r.setupSem }()
			v.setup(ctx)
		})
	}
	wg.Wait()
}

// newVU makes the next VU; nil when the program refused to.
func (w *workload) newVU() *vuState {
	id := int(w.r.nextVU.Add(1))
	vu, err := w.r.prog.NewVU(w.name, id)
	if err != nil {
		w.r.noteError(w.name, err, "vu-setup")
		return nil
	}
	v := &vuState{w: w, vu: vu, id: id, wake: make(chan struct{}, 1)}
	w.vus = append(w.vus, v)
	if l := w.r.opts.Live; l != nil {
		l.vus.Add(1)
	}
	return v
}

// run waits for the workload's start-time, runs its executor and then its
// VUs' vu-teardown.
func (w *workload) run(clock time.Time) {
	w.iterCtx, w.cancelIter = context.WithCancel(w.r.abortCtx)
	defer w.cancelIter()
	if w.plan.closed != nil {
		w.runClosed(clock.Add(w.start))
	} else {
		w.runArrival(clock.Add(w.start))
	}
	w.ended = time.Now()
	w.teardownVUs()
}

// waitUntil waits until t; false when the run was stopped first or done
// closed first (nil: never). Every wait of a controller is one of these:
// bounded by the plan's own times.
func (w *workload) waitUntil(timer *time.Timer, t time.Time, done <-chan struct{}) bool {
	d := time.Until(t)
	if d <= 0 {
		return !w.r.stopped()
	}
	timer.Reset(d)
	select {
	case <-timer.C:
		return !w.r.stopped()
	case <-w.r.stopCh:
		return false
	case <-done:
		return false
	}
}

// finish stops the workload gracefully: no new iteration starts; the ones
// in flight have grace to end, then their context is cancelled; a VU that
// ignores its context is given up on after StuckTimeout.
func (w *workload) finish(grace time.Duration, beforeWait func()) {
	w.stopping.Store(true)
	close(w.stopStart)
	if beforeWait != nil {
		beforeWait()
	}
	done := make(chan struct{})
	go func() { w.iterDone.Wait(); close(done) }()
	cancel := time.AfterFunc(grace, w.cancelIter)
	defer cancel.Stop()
	select {
	case <-done:
		return
	case <-w.iterCtx.Done():
	}
	stuck := time.NewTimer(orDefault(w.r.opts.StuckTimeout, 10*time.Second))
	defer stuck.Stop()
	select {
	case <-done:
	case <-stuck.C:
		for _, v := range w.vus {
			if v.running.Load() {
				w.stuck++
			}
		}
	}
}

// teardownVUs runs every VU's vu-teardown (those whose setup failed too,
// as Program promises), bounded, with a fresh context that only an abort
// cuts short. A stuck VU is skipped: its goroutine still owns it.
func (w *workload) teardownVUs() {
	var wg sync.WaitGroup
	for _, v := range w.vus {
		if v.running.Load() {
			continue
		}
		wg.Go(func() {
			w.r.setupSem <- struct{}{}
			defer func() { <-w.r.setupSem }()
			v.teardown()
		})
	}
	wg.Wait()
}

func (w *workload) result() WorkloadResult {
	res := WorkloadResult{Name: w.name, Dropped: w.dropped, Cut: w.cut, VUs: len(w.vus)}
	for _, v := range w.vus {
		if v.running.Load() {
			continue // still owned by its goroutine
		}
		res.Iterations += v.iterations
		res.Failed += v.failed
		res.Interrupted += v.interrupted
		if v.setupFailed {
			res.SetupFailed++
		}
	}
	return res
}

// record sends one of the engine's own samples; the strings are the
// workload's, so it allocates nothing.
func (w *workload) record(metric string, v *vuState, n int64, start time.Time, d time.Duration, kind metrics.ErrorKind) {
	w.r.sink.Record(metrics.Sample{Metric: metric, Workload: w.name, Start: start, Duration: d, VU: v.id, Iteration: n, Error: kind})
}
