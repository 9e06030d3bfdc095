package engine

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

// vuState is one VU as the engine drives it. Its counters are owned by
// the VU's goroutine and read only after it returned (running false).
type vuState struct {
	w  *workload
	vu VU
	id int

	n                               int64 // the VU's next iteration number
	iterations, failed, interrupted int64
	setupOK                         bool
	setupFailed                     bool        // its vu-setup failed on its own, not because the run was stopping
	running                         atomic.Bool // its goroutine may still touch it

	// Closed models: whether the plan wants the VU now, how the controller
	// wakes it, and how a graceful ramp-down interrupts its iteration.
	active    atomic.Bool
	wake      chan struct{}
	cancelCur atomic.Pointer[context.CancelFunc]
	rampDown  *time.Timer // owned by the controller

	// Arrival models: the scheduled starts the dispatcher hands it.
	work chan time.Time
}

// setup runs vu-setup, bounded by SetupTimeout; a failure retires the VU.
func (v *vuState) setup(ctx context.Context) {
	sctx, cancel := context.WithTimeout(ctx, orDefault(v.w.r.opts.SetupTimeout, 5*time.Minute))
	defer cancel()
	if err := v.vu.Setup(sctx); err != nil {
		// A setup cut short by a stop (Ctrl-C during onboarding) is not a
		// failure of the VU: the run's stop reason already says why.
		if ctx.Err() == nil {
			v.setupFailed = true
			v.w.r.noteError(v.w.name, err, "vu-setup")
		}
		return
	}
	v.setupOK = true
}

// teardown runs vu-teardown with a fresh, bounded context.
func (v *vuState) teardown() {
	r := v.w.r
	tctx, cancel := context.WithTimeout(r.abortCtx, orDefault(r.opts.TeardownTimeout, time.Minute))
	defer cancel()
	if l := r.opts.Live; l != nil {
		defer l.vus.Add(-1)
	}
	if err := v.vu.Teardown(tctx); err != nil {
		r.noteError(v.w.name, err, "vu-teardown")
	}
}

// iterate runs one iteration and records it. Under an arrival-rate
// executor scheduled is when the iteration was due: its lag is recorded
// and the iteration is timed from it, so a stall that delayed its start
// shows in the iteration's duration. Otherwise (zero scheduled) it starts
// now. An iteration whose context the engine cancelled (the end of
// graceful-stop or -ramp-down) is counted as interrupted, not recorded:
// its duration says nothing about the server.
func (v *vuState) iterate(ctx context.Context, scheduled time.Time) {
	w := v.w
	n := v.n
	v.n++
	start := time.Now()
	if scheduled.IsZero() {
		scheduled = start
	} else {
		w.record(metrics.MetricScheduleLag, v, n, scheduled, start.Sub(scheduled), metrics.ErrNone)
	}
	err := v.vu.Run(ctx, Iteration{N: n, Scheduled: scheduled})
	if err != nil && ctx.Err() != nil {
		v.interrupted++
		return
	}
	kind := metrics.ErrNone
	if err != nil {
		kind = errorKind(err)
		v.failed++
		w.r.noteError(w.name, err, "iteration")
	}
	w.record(metrics.MetricIteration, v, n, scheduled, time.Since(scheduled), kind)
	w.r.sink.Add(metrics.Iterations, w.name, 1)
	v.iterations++
}

// errorKind classifies an iteration's error: a *StepError carries its
// kind; anything else is a classification bug of the program.
func errorKind(err error) metrics.ErrorKind {
	if se, ok := err.(*StepError); ok {
		if k, ok := metrics.ParseErrorKind(se.ErrorKind); ok {
			return k
		}
	}
	return metrics.ErrOther
}
