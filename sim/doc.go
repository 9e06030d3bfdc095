// Package sim is an in-memory Privicore simulator: the HTTP API, the
// WebSocket proxy, the upstream and downstream stream services and the
// asynchronous command pipeline, with latency and fault injection and
// read-only introspection for tests.
//
// It imports nothing else of pcflow and shares no code with package
// privicore: the two are independent readings of the same wire reference,
// so each tests the other. Nothing persists; it is a test double for demos,
// tests and load runs.
package sim
