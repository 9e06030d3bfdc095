package report_test

import (
	"fmt"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/report"
)

// The aggregator is the run's metrics.Sink; at the end a Snapshot with the
// run's facts gives the Result that every renderer reads.
func ExampleAggregator() {
	start := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	agg := report.NewAggregator(report.Options{Thresholds: []metrics.Threshold{{
		Metric: "step.upload.total", Stat: metrics.Stat{Kind: metrics.StatPercentile, Percentile: 95},
		Op: metrics.OpLess, Value: float64(400 * time.Millisecond), Unit: metrics.UnitDuration,
		Source: "p95 < 400ms",
	}}})
	var sink metrics.Sink = agg // what the engine and the steps record into
	for i := range 100 {
		sink.Record(metrics.Sample{Metric: "step.upload.total", Workload: "writers",
			Start: start.Add(time.Duration(i) * 100 * time.Millisecond), Duration: time.Duration(10+i) * time.Millisecond})
		sink.Add(metrics.Iterations, "writers", 1)
	}
	agg.Close()
	r := agg.Snapshot(report.RunFacts{Scenario: "store", StartedAt: start, Duration: 10 * time.Second})
	m := r.Metrics["step.upload.total"]
	fmt.Println(m.Count, m.P50Ms, m.MaxMs, r.Counters.Get(metrics.Iterations)) // ms, to the histogram's 3 digits
	for _, t := range r.Thresholds {
		fmt.Println(t.Name(), t.Expr(), t.OK, t.Value())
	}
	// Output:
	// 100 59.007 109.055 100
	// step.upload.total p95 < 400ms true 104ms
}
