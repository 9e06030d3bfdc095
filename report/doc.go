// Package report aggregates the sample stream into HdrHistograms (1 µs to
// 1 h, 3 significant digits) and per-second buckets, evaluates thresholds,
// and renders the results: the terminal summary and live progress line,
// lossless mergeable JSON, self-contained HTML and JUnit XML. It also merges
// the JSON results of several shards into one.
//
// Concurrency: the aggregator is a metrics.Sink safe for concurrent use by
// every VU; renderers work on a finished, immutable result.
package report
