// Package privicore is a client for the Privicore API, usable on its own by
// any Go program that talks to Privicore.
//
// It imports nothing else of pcflow and shares no code with package sim:
// the two are independent readings of the same wire reference
// (privicore-api.md), so each tests the other.
//
// # Shape
//
// A Client (New) holds the deployment's URLs and an HTTP client; it serves
// the operations that need no profile token: check-server-health,
// request-status, register-profile (awaited with WaitCommand, because a new
// profile has no channel), authenticate, the OAuth operations authenticated
// by Basic client credentials or a raw access token, generate-keys, and the
// upstream/downstream stream hosts.
//
// A Session (Client.OpenSession) is one authorization token: it carries
// every token-authenticated operation and one WebSocket joined to the
// token's channel before OpenSession returns. Async operations
// (202 + commandId) return after their X-DPT-CAB-ID message; async requests
// (request-data) after their X-DPT-CAB-REQUEST-ID (and STREAM-READY).
// Session.Submit is the lower level: it returns a *Pending once the 2xx is
// parsed, to be Waited later. Client.PollingSession gives the same methods
// without a socket, awaiting outcomes through request-status.
//
// With the default HTTP client (Options.HTTPClient nil), requests to a
// plain-http API URL with small bodies are sent on the package's own
// HTTP/1.1 connections rather than net/http's (issue 12: without net/http's
// three goroutines and ~60 allocations per exchange, the client's CPU per
// acked command about halved). They keep net/http's guarantees that matter
// here: one deadline bounds the whole exchange and ctx's cancellation ends
// it, header values are checked, an idle connection the server closed is
// not reused, a GET whose reused connection turned out closed is retried
// once and a POST never is, and idle connections close after 90 s. No gzip
// is asked for. Everything else goes through net/http.
//
// Every result carries a Timing (request written, response read, message
// arrived) so callers compute HTTP, ack and total latency; the package keeps
// no metrics.
//
// # Concurrency contract
//
// Client and Session are safe for concurrent use by any number of
// goroutines. Each socket has exactly one reader (the session's read loop)
// and one data writer at a time: the join, before the read loop adopts the
// socket, and the leave, by Close; keepalive pings are control frames
// (gorilla/websocket allows WriteControl concurrently). An idle session
// runs one goroutine, its read loop, and one timer, its clock (a
// time.AfterFunc that sends the pings, moves the read deadline, expires
// early messages and signals waiters past their ack deadline), so neither
// goroutines nor timers grow with the commands in flight. Many goroutines may
// Submit and Wait on one session at once: the correlator maps each command
// or request id to its one waiter under a mutex, stores the message in the
// waiter and signals a one-slot channel, so the read loop never blocks on a
// slow waiter. A *Pending is waited by one goroutine; waiting it again
// returns the same outcome. Every wait is bounded by the caller's context
// and by SessionOptions.AckTimeout counted from the command's response
// (Client.WaitCommand by ctx alone).
// A Client opens one socket Session per token (a second OpenSession is
// ErrTokenInUse until the first is closed or lost): the proxy forwards a
// profile's messages to every socket joined with its token, or round-robin,
// so a second socket would double or steal the first one's acks. Sessions
// of one profile with different tokens, or on different Clients, are not
// detected; give each virtual user its own profile.
//
// # Failure handling
//
// A message may arrive before the 202 that names its id is parsed: it is
// kept (SessionOptions.EarlyTTL, EarlyMax) and handed over when the waiter
// registers, else counted as an orphan. A second terminal message for an id
// settled within EarlyTTL (among its last 16,384 settled ids) is counted as
// a duplicate and dropped. Each of these stores grows with what the
// session holds and is released when it empties, so an idle session costs
// a few KiB whatever its caps. When no message arrives within
// AckTimeout, request-status is asked once; a terminal answer settles the
// command (Ack.Reconciled), otherwise Wait returns an *AckTimeoutError.
// When the socket drops, the read loop reconnects with backoff, re-joins,
// and asks request-status once for every pending command (acks sent while
// the socket was down are gone for good, per the WebSocket guide). A request
// (request-data) cannot be reconciled that way — request-status carries no
// payload — so RequestData (and Retrieve) re-issues it after every ack
// timeout, 5xx or transport failure until ctx's deadline (four tries when
// ctx has none). A
// session that cannot reconnect fails all its waiters with a
// *SessionLostError (errors.Is ErrSessionClosed) and refuses further use.
//
// A 401 on a session call is an *APIError (IsUnauthorized): the token was
// revoked or expired. It does not close the session, because commands
// already accepted still settle on the socket while the proxy keeps
// delivering them. Request-status cannot help then: only the token's
// profile may read its commands (a caller without a token sees
// register-profile's alone), so a command whose ack is lost after the
// token died ends in an *AckTimeoutError whose Cause is request-status's
// 401 (IsUnauthorized(err) is true) — the simulator detaches a revoked
// token's sockets, so there every command in flight at the revoke ends so.
// The caller classifies the error and decides (a load test counts it and
// usually closes, re-authenticates and opens a new session). The socket
// itself ends at its next re-join, with a *SessionLostError whose cause is
// the refused join (IsUnauthorized(Session.Err()) is true).
//
// Errors are typed (*APIError, *CommandRejectedError, *AckTimeoutError,
// *SessionLostError, *TransportError, *SocketError, *DecodeError and the
// Err… sentinels), prefixed "privicore: ", and classified with
// errors.As/Is, never by their text:
//
//   - *APIError: a non-2xx answer, or a join refused by an error frame
//     (IsUnauthorized, StatusOf).
//   - *TransportError: an HTTP exchange that failed below HTTP; Err is the
//     cause (context.DeadlineExceeded, syscall.ECONNREFUSED, …).
//   - *SocketError: a WebSocket dial (Stage SocketDial, with the HTTP
//     Status of a refused upgrade), frame write (SocketWrite) or frame read
//     (SocketRead), during the join (Op "join-channel") or in the read loop
//     (Op "read-loop"); Err is the cause (net errors, *websocket.CloseError,
//     websocket.ErrBadHandshake). Read-loop errors are handled by the
//     session (reconnect), so callers meet them inside a *SessionLostError,
//     whose Cause wraps both the drop's error and the last reconnect try's.
//   - *DecodeError (errors.Is ErrUnexpectedBody): a 2xx body that is not
//     the operation's answer; Err is the decoder's error.
//   - *CommandRejectedError, *AckTimeoutError (ErrAckTimeout) and
//     *SessionLostError (ErrSessionClosed): the async outcome.
//
// Passwords, tokens, client secrets, keys and
// stream URLs are Secret or redacted types: they print as [redacted] in
// every Error() and String(), and through encoding/json and MarshalText
// (so a structured logger cannot leak them either).
//
// # Wire readings chosen (reference §5.3)
//
//   - Provisioning follows the probe: register → poll → authenticate →
//     register-public-key with the token and only publicKey.
//   - Command ids are read from any of the three body shapes (string,
//     one-element array, {commandId}), falling back to the x-dpt-cab-id
//     header; request ids only from the x-dpt-cab-request-id header.
//   - request-status is POST /request-status/{id} with body {}; its answer is
//     a bare string or one-element array ("started", "succeeded",
//     "rejected"), the legacy {command_status} object is also read.
//   - reserve-token-space ttl is in minutes, default 5.
//   - output_type follows the guide: 0 inline base64 body, 1 downstream token
//     followed by STREAM-READY, correlated by data.id or data.requestId; a
//     STREAM-READY's streamUrl wins over the token. The site's reading is
//     accepted too: an output_type 1 body that is a full http(s) URL with
//     ?auth= settles the request at once (a STREAM-READY after it is
//     ignored, not a duplicate).
//   - Payloads up to Options.InlineLimit (50 KiB) of ciphertext go through
//     exchange-data-for-token, larger ones to the upstream stream URL.
//   - update-data-token uses the probe's form path, not the site's
//     /data-token/update-data JSON.
//   - Policies are addressed by policyId; the voting configuration is linked
//     by name in votingConfigurationId; policy/voting-configuration/voting
//     bodies are JSON.
//   - OAuth follows the probe's five-step flow: Basic client:secret for
//     retrieve-authorization-code and obtain-access-token, Basic with the
//     raw access token for refresh and scope.
//   - PROPOSED operations (K1, O7, A2, A3, A10–A12, PL3, PL4, PL7, PL8) use
//     the reference's proposed paths and shapes.
package privicore
