// Package pipeline is the life of an asynchronous command in the
// Privicore simulator: accepted, scheduled after its latency, resolved on
// a fixed pool of workers, published to its owner, and kept for
// request-status until its outcome ages out.
//
// It exists apart from package sim so that the part every write goes
// through can be tested by itself, with no HTTP and no wall clock: time
// comes from a Clock (Wall in production, a fake in tests), the wire
// encoding of acks and their delivery are functions of Config, and what a
// command does is the Resolve function its area handler wrote.
//
// A command's faults are decided before it runs (a Plan: reject, drop,
// duplicate, stall, delay), so that the same seed gives the same faults
// however the workers interleave:
//
//	New → Submit ─┬─ stall, StallFor 0 → held until Complete or Close
//	              ├─ delay → due heap → timer goroutine ─┐
//	              └─ no delay ───────────────────────────┴→ worker: Resolve
//	worker: Resolve → Succeeded / Rejected → finish → Publish (dropped, duplicated)
//	                → Pending → held until Complete
//
// An injected rejection skips Resolve and calls the command's OnReject.
//
// A freeze (Config.FreezeFor of every FreezeEvery) is the one fault decided
// by time rather than per command: a command due inside a window goes to
// the due heap for the window's end, and finish, inside a window, puts
// the outcome on the due heap instead of publishing it (a vote completed
// during the freeze, a worker running behind), so no ack leaves while a
// window is open and all that was held leaves when it closes.
//
// Concurrency: every method of Pipeline is safe for concurrent use. One
// mutex guards the command table, one the due heap; neither is held while
// Resolve, OnReject or Publish runs, so a Resolve may take its own locks
// and call Complete (a vote that decides at once). Close resolves what is
// queued or due now, ends what is held as rejected (ReasonShuttingDown),
// and runs what is submitted afterwards on the submitter's goroutine.
package pipeline
