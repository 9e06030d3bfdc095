package engine

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

// fakeProgram is a Program whose VUs count what the engine makes them do.
// An iteration takes iterTime (0: returns at once) or, with block, waits
// for its context; failAt makes iteration numbers >= failAt fail.
type fakeProgram struct {
	iterTime time.Duration
	block    bool
	ignore   chan struct{} // non-nil: Run ignores ctx and waits for this to close
	setupErr error
	vuErr    error
	vuBlock  bool  // vu-setup waits for its context
	failAt   int64 // 0: never

	newVUs, setups, teardowns, runs, vuTeardowns atomic.Int64
	active, maxActive                            atomic.Int64
	runsBeforeSetupEnd                           atomic.Int64 // Runs that started while a vu-setup was in progress
	settingUp                                    atomic.Int64
}

func (p *fakeProgram) Setup(ctx context.Context) error { p.setups.Add(1); return p.setupErr }
func (p *fakeProgram) Teardown(ctx context.Context) error {
	p.teardowns.Add(1)
	return nil
}
func (p *fakeProgram) NewVU(workload string, id int) (VU, error) {
	p.newVUs.Add(1)
	return &fakeVU{p: p, id: id}, nil
}

type fakeVU struct {
	p  *fakeProgram
	id int
}

func (v *fakeVU) Setup(ctx context.Context) error {
	v.p.settingUp.Add(1)
	defer v.p.settingUp.Add(-1)
	if v.p.vuBlock {
		<-ctx.Done()
		return ctx.Err()
	}
	return v.p.vuErr
}

func (v *fakeVU) Teardown(ctx context.Context) error { v.p.vuTeardowns.Add(1); return nil }

func (v *fakeVU) Run(ctx context.Context, it Iteration) error {
	p := v.p
	p.runs.Add(1)
	if p.settingUp.Load() > 0 {
		p.runsBeforeSetupEnd.Add(1)
	}
	n := p.active.Add(1)
	defer p.active.Add(-1)
	for m := p.maxActive.Load(); n > m && !p.maxActive.CompareAndSwap(m, n); m = p.maxActive.Load() {
	}
	switch {
	case p.ignore != nil:
		<-p.ignore
		return ctx.Err()
	case p.block:
		<-ctx.Done()
		return ctx.Err()
	case p.iterTime > 0:
		t := time.NewTimer(p.iterTime)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if p.failAt > 0 && it.N >= p.failAt {
		return &StepError{Workload: "w", Step: "s", Kind: "http", Pos: "f.yaml:3:5", ErrorKind: "http_5xx", Message: "503"}
	}
	return nil
}

// countSink counts samples by metric and the counters, with atomics.
type countSink struct {
	iterations, lags, failedIterations, negativeLag, startNotScheduled atomic.Int64
	counters                                                           [32]atomic.Int64
}

func (s *countSink) Record(x metrics.Sample) {
	switch x.Metric {
	case metrics.MetricIteration:
		s.iterations.Add(1)
		if x.Failed() {
			s.failedIterations.Add(1)
		}
	case metrics.MetricScheduleLag:
		s.lags.Add(1)
		if x.Duration < 0 {
			s.negativeLag.Add(1)
		}
	}
}

func (s *countSink) Add(c metrics.Counter, workload string, n int64) { s.counters[c].Add(n) }

// oneWorkload is a single-form scenario with load l.
func oneWorkload(l scenario.Load) *scenario.Scenario {
	return &scenario.Scenario{Name: "t", Workloads: []*scenario.Workload{{Name: "t", Load: l}}}
}

var errSetup = errors.New("setup failed")
