package engine

import (
	"context"
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
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
