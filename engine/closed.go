package engine

import (
	"context"
	"time"
)

// runClosed is the loop of the closed-model executors: it walks the
// plan's VU steps, activating and retiring VUs at their instants, until
// the plan's end, the VUs ran out of iterations, or the run stopped.
func (w *workload) runClosed(zero time.Time) {
	p := w.plan.closed
	for _, v := range w.vus {
		if v.setupOK {
			v.running.Store(true)
			w.iterDone.Add(1)
			go v.loopClosed()
		}
	}
	allDone := make(chan struct{})
	go func() { w.iterDone.Wait(); close(allDone) }()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	if !w.waitUntil(timer, zero, nil) {
		w.finish(p.gracefulStop, nil)
		return
	}
	for _, st := range p.steps {
		if st.At >= p.end || !w.waitUntil(timer, zero.Add(st.At), allDone) {
			break
		}
		w.setActive(st.VUs)
	}
	reachedEnd := w.waitUntil(timer, zero.Add(p.end), allDone)
	w.cut = reachedEnd && p.cutIsEarly
	w.finish(p.gracefulStop, nil)
}

// setActive makes the first k VUs active and retires the rest: a retired
// VU finishes its iteration within graceful-ramp-down, then is cancelled.
// k6 also retires the most recently added VUs first.
func (w *workload) setActive(k int) {
	for i, v := range w.vus {
		switch want := i < k; {
		case want && !v.active.Load():
			if v.rampDown != nil {
				v.rampDown.Stop()
			}
			v.active.Store(true)
			select {
			case v.wake <- struct{}{}:
			default:
			}
		case !want && v.active.Load():
			v.active.Store(false)
			v.rampDown = time.AfterFunc(w.plan.closed.gracefulRampDown, v.interruptIfRetired)
		}
	}
}

// interruptIfRetired cancels the iteration of a VU still retired when its
// graceful-ramp-down ends.
func (v *vuState) interruptIfRetired() {
	if !v.active.Load() {
		if c := v.cancelCur.Load(); c != nil {
			(*c)()
		}
	}
}

// loopClosed is a closed-model VU: while wanted, iteration after
// iteration, until its budget or the workload's time ran out. Its context
// is made once per activation, not per iteration.
func (v *vuState) loopClosed() {
	w := v.w
	p := w.plan.closed
	defer func() { v.running.Store(false); w.iterDone.Done() }()
	var ctx context.Context
	cancel := context.CancelFunc(func() {})
	defer func() { cancel() }()
	// stopped() is a lock-free check of a channel: a run stopped by
	// FailFast or a signal starts no iteration even before the controller
	// got to set stopping.
	for !w.stopping.Load() && !w.r.stopped() {
		if !v.active.Load() {
			cancel()
			ctx = nil
			select {
			case <-v.wake:
			case <-w.stopStart:
				return
			}
			continue
		}
		if p.perVU > 0 && v.n >= p.perVU {
			return
		}
		if p.shared > 0 && w.sharedLeft.Add(-1) < 0 {
			return
		}
		if ctx == nil || ctx.Err() != nil {
			if w.iterCtx.Err() != nil {
				return // graceful-stop ended or the run was aborted
			}
			cancel()
			var c context.CancelFunc
			ctx, c = context.WithCancel(w.iterCtx)
			cancel = c
			v.cancelCur.Store(&c)
		}
		v.iterate(ctx, time.Time{})
	}
}
