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
//	srv, _ := report.ServeMetrics(addr, agg) // --metrics-addr, optional; srv.Close() at the end
//	pw := report.NewProgressWriter(os.Stderr, report.ProgressModeFor(os.Stderr, quiet))
//	res, err := engine.Run(ctx, scn, prog, engine.Options{Sink: agg, ...})
//	// meanwhile, about once a second:
//	//   pw.Update(report.Progress{Elapsed: e, Planned: p, VUs: v, MaxVUs: m, Counters: agg.Totals()})
//	//   if t, failed := agg.AbortFailed(e); failed { stop with metrics.StopThreshold }
//	pw.Done()
//	agg.Close()
//	result := agg.Snapshot(report.RunFacts{
//		Scenario: scn.Name, StopReason: reason, StartedAt: start,
//		Duration: elapsed, Segment: "0/1",
//	})
//	report.WriteSummary(os.Stdout, result, report.SummaryOptions{
//		Color: report.UseColor(os.Stdout, os.Getenv),
//	})
//	report.Render(file, "json", result) // --out KIND=FILE: json, html, junit, csv, text
//	if !result.Passed() { exit 1 }
//
// pcflow test writes JUnit with WriteJUnitTests from TestSuite values;
// pcflow report, merge and compare use DecodeJSON, Merge and Compare.
//
// Concurrency: the Aggregator is a metrics.Sink safe for concurrent use by
// every VU (see its doc for how it avoids one contended lock); Snapshot,
// AbortFailed, Totals and a Prometheus scrape may be called at any time,
// while VUs record and also racing with Close. Renderers read a finished
// Result and never modify it, so several may run at once.
package report
