// Package metrics holds the leaf value types every other part of pcflow
// speaks in: a Sample (one timed thing), metric names, the closed set of
// error kinds, stop reasons, thresholds and the Sink interface that
// consumes samples.
//
// It imports only the standard library so that the engine, the steps and
// the reports can share these types without depending on each other.
//
// Concurrency: the types here are plain values, safe to copy and to read
// from many goroutines. A Sink implementation documents its own contract;
// the engine calls it from many VU goroutines at once.
package metrics
