// Package sim is an in-memory Privicore simulator: the HTTP API, the
// WebSocket proxy, the upstream and downstream stream services and the
// asynchronous command pipeline, with latency and fault injection and
// read-only introspection for tests.
//
// It imports nothing else of pcflow and shares no code with package
// privicore: the two are independent readings of the same wire reference
// (privicore-api.md), so each tests the other. Nothing persists; it is a
// test double for demos, tests and load runs.
//
// # Shape
//
// One route table (routes.go) lists every operation: method, path,
// operation name, credential kind and handler, one function per area.
// Synchronous operations answer directly. Asynchronous ones validate
// synchronously (401/404/409/422), then call Server.accept, which answers
// 202 with the command id and schedules the command's resolve function on
// a fixed worker pool after the configured latency (a heap and one timer
// goroutine, no goroutine per command). A resolve function changes the
// state and returns the outcome (status 2 or 3 and a body); the ack is
// published to every socket joined for the owning profile and the outcome
// is kept for request-status. A resolve function may return pending():
// the command stays "started" until Server.complete ends it (voting).
//
// # Concurrency contract
//
// Every exported method of Server is safe for concurrent use. Inside,
// state.mu guards the profile and token maps, each profile's own mutex
// guards its records (lock order: state, then profile), the command table
// and the hub have one mutex each, and every socket has exactly one
// reader and one writer goroutine; publishing only queues bytes.
//
// # Passwords
//
// Passwords are stored as SHA-256(salt || password) with a 16-byte random
// salt and compared with crypto/subtle. A deliberately fast hash: load
// tests register thousands of profiles and a slow KDF would dominate what
// they measure; this is a test double, not a vault. Nothing the simulator
// does logs a password, token, key or stored ciphertext (it logs nothing).
package sim
