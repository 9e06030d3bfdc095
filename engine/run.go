package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

// Run runs every workload of scn at once, each under its own load model
// and from its own start-time, driving the VUs that prog makes:
//
//  1. setup, once; a failure ends the run (stop reason "error") before
//     any VU exists;
//  2. every VU the load models plan (the pre-allocated ones of the
//     arrival-rate executors) is made and does its vu-setup, before the
//     clock starts, so that onboarding never counts as schedule lag;
//  3. the clock starts and the workloads iterate; a cancelled ctx (Ctrl-C)
//     or Options.Stop stops them gracefully: no new iteration starts and
//     in-flight ones have graceful-stop to finish;
//  4. each workload's VUs do their vu-teardown when it ends, and teardown
//     runs once at the end, each with a fresh context, bounded, even after
//     an interrupt.
//
// The error is only for a load that cannot run (an override that does not
// fit an executor, a bad segment): `pcflow` exits 2 for it. Everything
// that happens while running is in the Result.
func Run(ctx context.Context, scn *scenario.Scenario, prog Program, opts Options) (Result, error) {
	r, err := newRun(scn, prog, opts)
	if err != nil {
		return Result{}, err
	}
	return r.run(ctx), nil
}

// run is the state of one Run; every field is set before the workloads
// start, except the stop state (under stopOnce) and firstErr (atomic).
type run struct {
	prog      Program
	opts      Options
	sink      metrics.Sink
	workloads []*workload
	nextVU    atomic.Int64
	setupSem  chan struct{} // bounds concurrent vu-setups and vu-teardowns

	stopOnce sync.Once
	stopCh   chan struct{} // closed by stop: no workload starts another iteration
	reason   metrics.StopReason

	abortCtx context.Context // cancelled by Options.Abort: in-flight work ends at once
	abort    context.CancelFunc

	firstErr atomic.Pointer[failure]
}

type failure struct {
	err   *StepError
	phase string
}

func newRun(scn *scenario.Scenario, prog Program, opts Options) (*run, error) {
	if !opts.Segment.valid() {
		return nil, &SegmentError{Segment: opts.Segment}
	}
	conc := opts.SetupConcurrency
	if conc <= 0 {
		conc = 256
	}
	r := &run{prog: prog, opts: opts, sink: opts.sink(), stopCh: make(chan struct{}), setupSem: make(chan struct{}, conc)}
	for _, wl := range scn.Workloads {
		l, err := effectiveLoad(wl.Load, opts.Overrides, opts.Once)
		if err != nil {
			return nil, err
		}
		p, err := newPlan(l, opts.Segment)
		if err != nil {
			return nil, err
		}
		r.workloads = append(r.workloads, newWorkload(r, wl.Name, l.StartTime, p))
	}
	if live := opts.Live; live != nil {
		for _, w := range r.workloads {
			d, vus := w.plan.plannedDuration()
			if d > 0 {
				live.planned.Store(max(live.planned.Load(), int64(w.start+d)))
			}
			live.maxVUs.Add(int64(vus))
		}
	}
	return r, nil
}

// stop makes every workload stop starting iterations, once; the first
// reason wins.
func (r *run) stop(reason metrics.StopReason) {
	r.stopOnce.Do(func() {
		r.reason = reason
		close(r.stopCh)
	})
}

func (r *run) stopped() bool {
	select {
	case <-r.stopCh:
		return true
	default:
		return false
	}
}

// watch turns the outside's signals into stops until the run is done.
func (r *run) watch(ctx context.Context, done <-chan struct{}) {
	for {
		select {
		case <-ctx.Done():
			r.stop(metrics.StopInterrupted)
			ctx = context.Background() // keep watching Abort and Stop
		case reason, ok := <-r.opts.Stop:
			if ok {
				r.stop(reason)
			}
			r.opts.Stop = nil
		case <-r.opts.Abort:
			r.stop(metrics.StopInterrupted)
			r.abort()
			return
		case <-done:
			return
		}
	}
}

func (r *run) run(ctx context.Context) Result {
	r.abortCtx, r.abort = context.WithCancel(context.WithoutCancel(ctx))
	defer r.abort()
	done := make(chan struct{})
	defer close(done)
	go r.watch(ctx, done)

	res := Result{Segment: r.opts.Segment.norm()}
	if r.setup(ctx) {
		r.load(ctx, &res)
	}
	r.teardown()
	for _, w := range r.workloads {
		res.Workloads = append(res.Workloads, w.result())
		res.Stuck += int(w.stuck)
	}
	if f := r.firstErr.Load(); f != nil {
		res.FirstError, res.FirstErrorPhase = f.err, f.phase
	}
	res.StopReason = r.stopReason(res)
	return res
}

// setup runs the scenario's setup, bounded by SetupTimeout and ctx.
func (r *run) setup(ctx context.Context) bool {
	sctx, cancel := context.WithTimeout(ctx, orDefault(r.opts.SetupTimeout, 5*time.Minute))
	defer cancel()
	if err := r.prog.Setup(sctx); err != nil {
		r.noteError("", err, "setup")
		r.stop(metrics.StopError)
		return false
	}
	return !r.stopped()
}

// load prepares every workload's VUs, starts the clock and waits for the
// workloads to end.
func (r *run) load(ctx context.Context, res *Result) {
	var wg sync.WaitGroup
	for _, w := range r.workloads {
		wg.Go(func() { w.prepare(ctx) })
	}
	wg.Wait()
	res.Started = time.Now()
	if r.opts.Live != nil {
		r.opts.Live.started.Store(res.Started.UnixNano())
	}
	for _, w := range r.workloads {
		wg.Go(func() { w.run(res.Started) })
	}
	wg.Wait()
	for _, w := range r.workloads {
		res.Duration = max(res.Duration, w.ended.Sub(res.Started))
	}
}

// teardown runs the scenario's teardown with a fresh context: it must
// run after an interrupt too, and only an abort cuts it short.
func (r *run) teardown() {
	tctx, cancel := context.WithTimeout(r.abortCtx, orDefault(r.opts.TeardownTimeout, time.Minute))
	defer cancel()
	if err := r.prog.Teardown(tctx); err != nil {
		r.noteError("", err, "teardown")
	}
}

func (r *run) stopReason(res Result) metrics.StopReason {
	if r.stopped() {
		return r.reason
	}
	for _, w := range res.Workloads {
		if w.Cut {
			return metrics.StopDuration
		}
	}
	return metrics.StopNormal
}

// noteError keeps the run's first failure and, under FailFast, stops the
// run. It is off the hot path: only failures reach it, and after the
// first one it is one atomic load.
func (r *run) noteError(workload string, err error, phase string) {
	if r.firstErr.Load() == nil {
		se, ok := err.(*StepError)
		if !ok {
			se = &StepError{Workload: workload, Step: phase, Kind: phase, ErrorKind: metrics.ErrOther.String(), Message: err.Error()}
		}
		r.firstErr.CompareAndSwap(nil, &failure{err: se, phase: phase})
	}
	if r.opts.FailFast {
		r.stop(metrics.StopError)
	}
}
