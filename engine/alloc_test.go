package engine

import (
	"context"
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

type nopVU struct{}

func (nopVU) Setup(context.Context) error          { return nil }
func (nopVU) Run(context.Context, Iteration) error { return nil }
func (nopVU) Teardown(context.Context) error       { return nil }

func newBenchVU() *vuState {
	r := &run{sink: metrics.Discard{}, stopCh: make(chan struct{})}
	w := &workload{r: r, name: "w"}
	return &vuState{w: w, vu: nopVU{}, id: 1}
}

// TestIterationAllocatesNothing: the engine's own path per iteration (the
// schedule_lag and iteration samples, the iterations counter) allocates
// nothing, under both kinds of executor.
func TestIterationAllocatesNothing(t *testing.T) {
	v := newBenchVU()
	ctx := context.Background()
	due := time.Now()
	if n := testing.AllocsPerRun(1000, func() { v.iterate(ctx, due) }); n != 0 {
		t.Errorf("arrival-rate iteration: %v allocs, want 0", n)
	}
	if n := testing.AllocsPerRun(1000, func() { v.iterate(ctx, time.Time{}) }); n != 0 {
		t.Errorf("closed-model iteration: %v allocs, want 0", n)
	}
}

func BenchmarkIteration(b *testing.B) {
	v := newBenchVU()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		v.iterate(ctx, time.Time{})
	}
}

// BenchmarkArrivalRate schedules b.N iterations of no-op VUs at 500,000/s
// through the open-model dispatcher: ns/op is the wall time per scheduled
// iteration (2,000 ns when the engine keeps up), dropped/op the share it
// could not start — the engine's own ceiling, with no server and no steps.
func BenchmarkArrivalRate(b *testing.B) {
	n := int64(b.N)
	l := scenario.Load{Executor: scenario.ConstantArrivalRate, Rate: scenario.Rate{N: 5e5, Per: time.Second},
		Duration: time.Duration(n) * 2000, PreAllocatedVUs: 64, MaxVUs: 64, GracefulStop: time.Minute}
	b.ReportAllocs()
	b.ResetTimer()
	res, err := Run(context.Background(), oneWorkload(l), nopProgram{}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	w := res.Workloads[0]
	b.ReportMetric(float64(w.Dropped)/float64(n), "dropped/op")
}

type nopProgram struct{}

func (nopProgram) Setup(context.Context) error    { return nil }
func (nopProgram) Teardown(context.Context) error { return nil }
func (nopProgram) NewVU(string, int) (VU, error)  { return nopVU{}, nil }
