// Package steps is the step catalogue and the VU program: every step kind
// a scenario can name, declared once (parameters, captures, metrics,
// example and run function), and Compile, which turns a loaded scenario
// into the engine.Program that runs it.
//
// The registry of kinds is a value built by Builtin(), never a
// package-level map filled in init(). Operation kinds live one file per
// API area (ops_*.go, as in package privicore), each a thin declaration
// over one client method; composites (onboard, upload, download, …) and
// the generic kinds (http, sleep, group, repeat) have a file each.
//
// Ownership at run time: one privicore.Client per target, shared by every
// VU (it is the HTTP connection pool); one privicore.Session per VU,
// opened by onboard or authenticate and reused across the VU's
// iterations; the VU also holds its variables (a scenario.Env), its AES
// key and the digests of what it stored.
//
// What a step's capture:, check: and expect: see as `response`: status
// (the HTTP status, or the APIError's), command_id (the awaited command or
// request), ack (status and reason of its WebSocket message), timing
// (http, ack, total in ms) and body — the client's result for operation
// kinds in its wire view (body.go: the wire's names, response.body.status),
// the parsed JSON for http. Kinds also bind captures of their own (upload's data_token);
// secret ones (tokens, client secrets, stream URLs) are privicore.Secret
// and also default the matching secret parameters of later steps.
//
// Failures are data: a failed step records its samples with a
// metrics.ErrorKind chosen by errors.As/errors.Is on privicore's typed
// errors (classify.go, the one place that maps them) and returns an
// *engine.StepError with a redacted diagnosis.
//
// Concurrency: a compiled step is immutable and shared by all VUs; all
// mutable state of a run lives in the VU, used from its own goroutine.
// The Program is safe for concurrent NewVU calls.
package steps
