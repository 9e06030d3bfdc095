package metrics

// Sink consumes what a run measures. The engine and the steps call it from
// every VU goroutine at once, so an implementation must be safe for
// concurrent use, and it must be cheap: Record sits on the hot path of
// every step (the reports issue budgets it at ≤ 100 ns, 0 allocations).
// Neither method may block for long or keep a reference beyond the call.
type Sink interface {
	// Record takes one sample.
	Record(s Sample)
	// Add adds n to a counter of a workload.
	Add(c Counter, workload string, n int64)
}

// Discard is a Sink that keeps nothing, for tests and tools that run
// steps without reporting.
type Discard struct{}

func (Discard) Record(Sample)              {}
func (Discard) Add(Counter, string, int64) {}
