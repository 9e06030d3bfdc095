// Package report aggregates the sample stream into HdrHistograms (1 µs to
// 1 h, 3 significant digits) and time series, evaluates thresholds, and
// renders the results: the terminal summary and live progress line,
// lossless mergeable JSON, self-contained HTML, JUnit XML and CSV. It also
// merges the JSON results of several shards into one and compares two.
//
// How cmd/pcflow uses it in a run:
//
//	agg := report.NewAggregator(report.Options{
//		Thresholds: scn.Thresholds,   // []metrics.Threshold
//		Workloads:  order,            // optional: scenario order of workloads and steps
//	})
//	res, err := engine.Run(ctx, scn, prog, engine.Options{Sink: agg, ...})
//	// meanwhile, about once a second, the engine (or cmd) asks:
//	//   if t, failed := agg.AbortFailed(elapsed); failed { stop with metrics.StopThreshold }
//	agg.Close()
//	result := agg.Snapshot(report.RunFacts{
//		Scenario: scn.Name, StopReason: reason, StartedAt: start,
//		Duration: elapsed, Segment: "1/1",
//	})
//	report.WriteSummary(os.Stdout, result, report.SummaryOptions{
//		Color: report.UseColor(os.Stdout, os.Getenv),
//	})
//	report.EncodeJSON(file, result)   // --out json=FILE
//	if !result.Passed() { exit 1 }
//
// Concurrency: the Aggregator is a metrics.Sink safe for concurrent use by
// every VU (see its doc for how it avoids one contended lock); Snapshot,
// AbortFailed, Totals and a Prometheus scrape may be called at any time,
// while VUs record and also racing with Close. Renderers read a finished
// Result and never modify it, so several may run at once.
package report
