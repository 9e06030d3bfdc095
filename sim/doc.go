// Package sim is an in-memory Privicore simulator: the HTTP API, the
// WebSocket proxy, the upstream and downstream stream services and the
// asynchronous command pipeline, with latency and fault injection and
// read-only introspection for tests (Server.Stats).
//
// It imports nothing else of pcflow and shares no code with package
// privicore: the two are independent readings of the same wire reference
// (privicore-api.md), so each tests the other. Nothing persists; it is a
// test double for demos, tests and load runs.
//
// # Shape, and how to extend it
//
// One route table (routes.go) lists every operation: method, path,
// operation name (the key of Stats.Operations), credential kind and
// handler, one function per area (utilityRoutes, profileRoutes, …). A new
// area adds a file with its own xxxRoutes function and one line in
// apiRoutes; new per-profile records become fields of profile (state.go),
// guarded by the profile's mutex.
//
// Synchronous operations answer directly. Asynchronous ones validate
// synchronously (401/404/409/422), then call Server.accept (or newCommand
// and submit, to write their own 202), which answers 202 with the command
// id and schedules the command's resolve function on a fixed worker pool
// after the configured latency (a heap and one timer goroutine, no
// goroutine per command). resolve changes the state and returns the
// outcome: succeeded() or rejected(reason); the ack is published to every
// socket joined for the owning profile and the outcome is kept for
// request-status. resolve may return pending(): the command stays
// "started" until Server.complete(id, outcome) ends it — how a
// voting-gated command waits for its pool. Faults (reject, drop,
// duplicate, stall) are decided per command before it runs; an injected
// rejection skips resolve and calls the command's onReject.
//
// # Wire readings
//
// Live-wire paths, methods and encodings follow the probe ([P]); the
// legacy paths of the guides and docset are served as aliases. Every
// POST takes a form or a JSON body (by Content-Type), field[] keys as
// arrays. Choices where the sources disagree (privicore-api.md §5.3):
//   - authenticate works without a public key; register-public-key needs
//     a token and refuses username/password fields (422).
//     Options.RequirePublicKeyForAuth restores the guides' order.
//   - 202 bodies are ["<id>"] by default (Options.CommandIDShape), with an
//     X-DPT-CAB-ID header; request-data answers 202 with a null body and
//     the x-dpt-cab-id and x-dpt-cab-request-id headers.
//   - request-status: POST and GET /request-status/{id} answer
//     ["started"|"succeeded"|"rejected"], token optional (with a token,
//     only that profile's commands); the legacy GET
//     /utility/request-command-id-status/{id} answers
//     {"commandId","command_status","body"}.
//   - reserve-token-space ttl is minutes, optional, default 5, 1..60
//     (300 → 422 "data_token.ttl_out_of_range").
//   - reauthorize answers 200 with a new token (ttl seconds, 60..31536000)
//     and the old token stops working.
//   - output_type follows the guides: 0 = base64 blob inline in body, 1 =
//     body is the downstream token, followed by STREAM-READY carrying both
//     id and requestId and the full streamUrl.
//   - WebSocket: correlationId accepted at the top level or in data and
//     echoed; leave by channelId or authorizationToken; channel ids are
//     "chn-<uuidv7>"; fan-out to all sockets of the profile; a refused
//     join answers {"status":401,…} and leaves the socket open.
//   - update-data-token (form, metadata) and update-data (JSON, replaces
//     the bytes) both served, onto the same record.
//   - Unknown identifiers of the caller's own records (and every
//     identifier of another profile) are a synchronous 404 on the async
//     data-token operations; a record that vanishes before the command
//     resolves gives ack 3 "data_token.not_found".
//
// # Concurrency contract
//
// Every exported method of Server is safe for concurrent use. Inside,
// state.mu guards the profile and token maps, each profile's own mutex
// guards its records (lock order: state, then profile), the command table,
// the clock and the hub have one mutex each, and every socket has exactly
// one reader and one writer goroutine; publishing only queues bytes (a
// socket 4096 messages behind is cut off rather than slowing everyone).
//
// # Memory bounds
//
//   - command outcomes: at most Options.MaxResults (200,000), each kept at
//     most Options.ResultTTL (10 min), oldest evicted first.
//   - held commands (stalled without StallFor, pending on a vote): at most
//     100,000 at once; they stay until resolved or Close, and a command
//     that would exceed the bound acks 3 "sim.too_many_held_commands"
//     without resolving.
//   - reservations: expire after their ttl (≤ 60 min), at most 10,000 live
//     per profile; stream tokens expire with them; download tokens after
//     5 min.
//   - authorization tokens: expire after Options.TokenTTL (8 h), at most
//     256 live per profile (the oldest is revoked).
//   - pre-join buffers: Options.PreJoinBufferTTL (10 s) per message, at
//     most 1024 messages per profile; empty channels are deleted.
//   - per socket: a queue of 4096 messages, frames of at most 64 KiB.
//   - request bodies: Options.MaxBodyBytes (4 MiB); uploads
//     Options.MaxUploadBytes (64 MiB).
//   - data tokens are the stored data: they live until deleted or Close.
//
// The janitor evicts once a second.
//
// # Secrets
//
// Passwords are stored as SHA-256(salt || password) with a 16-byte random
// salt and compared with crypto/subtle. A deliberately fast hash: load
// tests register thousands of profiles and a slow KDF would dominate what
// they measure; this is a test double, not a vault. The simulator logs
// nothing, so no password, token, key or stored ciphertext is ever logged,
// and no error body echoes a submitted value.
package sim
