// Package sim is an in-memory Privicore simulator: the HTTP API, the
// WebSocket proxy, the upstream and downstream stream services and the
// asynchronous command pipeline, with latency and fault injection and
// read-only introspection for tests (Server.Stats).
//
// It imports nothing else of pcflow and shares no code with package
// privicore: the two are independent readings of the same wire reference
// (docs/wire.md), so each tests the other. Nothing persists; it is a
// test double for demos, tests and load runs.
//
// # Shape, and how to extend it
//
// Three parts below sim, each a small value tested by itself with an
// explicit clock and no HTTP, and each knowing nothing of sim:
//   - internal/pipeline: the life of an asynchronous command — accept,
//     schedule after its latency, resolve on a worker, publish, keep the
//     outcome for request-status — with its faults decided up front.
//   - internal/hub: delivery of messages to the sockets joined for a
//     profile (fan-out, round-robin, pre-join buffer, unbinding).
//   - internal/vote: the arithmetic of quorum strategies and the state
//     machine of one voting pool.
//
// Package sim is the HTTP and WebSocket faces around them and the state
// they act on. One route table (routes.go) lists every operation: method,
// path, operation name (the key of Stats.Operations), credential kind and
// handler, one function per area (utilityRoutes, profileRoutes, …). A new
// area adds a file with its own xxxRoutes function and one line in
// apiRoutes; new per-profile records become fields of profile
// (profilestate.go) or of its holdings (holdings.go) with methods that
// take the profile's lock.
//
// The areas, one file each (with its route table); the ids are the
// operation table's in docs/wire.md §4:
//   - utility.go: health and request-status (U1, U2).
//   - profile.go, profilestate.go, state.go: profiles, passwords,
//     authorization tokens (P1–P8); publickey.go: signed Curve25519 keys
//     and the CAB's key (K1–K4).
//   - datatoken.go, datatoken_manage.go, datarecords.go, stream.go:
//     reservations, data tokens, request-data and the upstream/downstream
//     services (D1–D11).
//   - device.go, storage.go, authenticator.go: devices and their storage
//     and authenticator roles, and a profile's voting defaults (V1–V8,
//     S1–S4, A1–A8), kept in profile.held (holdings.go, with the
//     per-profile bounds).
//   - votingconfig.go, policy.go, pool.go, voting.go: voting
//     configurations (A9–A12), policy templates and policies (PL1–PL9),
//     and voting pools (VT1, VT2, cancel-pool). voting.go runs package
//     vote's pools in time — timers, virtual authenticators, gating: an
//     active policy on an event makes the operation's command wait for a
//     pool named after it.
//   - oauth.go, oauth_token.go, oauth_registry.go: OAuth applications,
//     codes and tokens (O1–O8), in their own registry since client
//     credentials name no profile.
//   - hooks.go: the simulator's own /_sim/ endpoints (describe, cast a
//     ballot as an authenticator would, with the pool owner's token). A
//     pool opened with POST /voting/create?sim-ballots=manual gets no
//     virtual ballots whatever Options.Vote says, so a client casting
//     through the hook is not beaten to them by approving authenticators.
//   - options.go, flags.go: the knobs, their defaults and their flags.
//
// Synchronous operations answer directly. Asynchronous ones validate
// synchronously (401/404/409/422), then call Server.accept (or newCommand
// and submit, to write their own 202), which answers 202 with the command
// id and hands the command's resolve function to the pipeline. resolve
// changes the state and returns the outcome: succeeded() or
// rejected(reason); the pipeline publishes the ack through the hub to
// every socket joined for the owning profile and keeps the outcome for
// request-status. resolve may return pending(): the command stays
// "started" until Server.complete(id, outcome) ends it — how a
// voting-gated command waits for its pool.
//
// # Wire readings
//
// Live-wire paths, methods and encodings follow the probe ([P]); the
// legacy paths of the guides and docset are served as aliases. Every
// POST takes a form or a JSON body (by Content-Type), field[] keys as
// arrays. Choices where the sources disagree (docs/wire.md §5.3):
//   - authenticate works without a public key; register-public-key needs
//     a token and refuses username/password fields (422).
//     Options.RequirePublicKeyForAuth restores the guides' order.
//   - a profile can authenticate as soon as register-profile is accepted
//     (the probe suite, aligned with the live wire, does so right after
//     the 202); Options.StrictRegistration waits for the command's ack.
//   - pcflow sim's --ack-latency defaults to the reference's 20ms..200ms
//     (§1.6), so that a client that subscribes after reading the 202 still
//     sees its ack; Options' zero value is instant, for fast tests.
//   - 202 bodies are ["<id>"] by default (Options.CommandIDShape), with an
//     X-DPT-CAB-ID header; request-data answers 202 with a null body and
//     the x-dpt-cab-id and x-dpt-cab-request-id headers.
//   - request-status: POST and GET /request-status/{id} answer
//     ["started"|"succeeded"|"rejected"], token optional: with a token,
//     only that profile's commands; without one, only the onboarding
//     commands the live wire's poller asks about token-less
//     (register-profile's and register-public-key's); any other id is 404
//     like an unknown one; the legacy GET
//     /utility/request-command-id-status/{id} answers
//     {"commandId","command_status","body"}.
//   - reserve-token-space ttl is minutes, optional, default 5, 1..60
//     (300 → 422 "data_token.ttl_out_of_range").
//   - reauthorize answers 200 with a new token (ttl seconds, 60..31536000)
//     and the old token stops working.
//   - output_type follows the guides: 0 = base64 blob inline in body, 1 =
//     body is the downstream token, followed by STREAM-READY carrying both
//     id and requestId and the full streamUrl. Options.OutputTypeMode
//     "site" takes [W]'s reading instead: body is the full download URL
//     with ?auth=…, and no STREAM-READY follows.
//   - WebSocket: correlationId accepted at the top level or in data and
//     echoed; leave by channelId or authorizationToken; channel ids are
//     "chn-<uuidv7>"; fan-out to all sockets of the profile ([W]), or with
//     Options.Fanout "roundrobin" each message to one of them in turn (a
//     queue with several consumers, [A]); a message is the unit, so a
//     STREAM-READY may go to another socket than its
//     X-DPT-CAB-REQUEST-ID. A refused join answers {"status":401,…} and
//     leaves the socket open.
//   - Only terminal acks by default; Options.EmitPendingStatus adds one
//     command_status 1 (body null) before every command's terminal
//     message, never dropped or duplicated by the ack faults.
//   - The storage prerequisite (§2.5) is off by default; with
//     Options.RequireStorageDevice an exchange of a profile with no
//     storage device acks 3 "storage.no_device" (the reference's other
//     choice, holding the ack for ever, is not offered). Uploads have no
//     command and are not checked.
//   - update-data-token (form, metadata) and update-data (JSON, replaces
//     the bytes) both served, onto the same record.
//   - Voting (§1.10, §2.6–2.10): a pool is named after the command that
//     opened it (the gated command, or /voting/create's), and that
//     command's single terminal message goes out when the pool ends.
//     Strategies count responding authenticators; a pool ends early once
//     its outcome is certain, else at its time limit; a timeout, a failed
//     quorum and a rejection each start a new attempt until
//     numberOfAttempts. Quorum and attempts come from the profile's
//     defaults, strategy and time limit from the linked configuration if
//     any; targets are the authenticators at creation (those the
//     configuration lists, minus skipAuthenticatorDevices) and stay fixed;
//     no targets, or a quorum above them, fail the pool at once.
//     A gated request-data that loses its vote is answered with
//     X-DPT-CAB-REQUEST-ID status 3, the message its caller waits for.
//
// # Faults and stalls
//
// Every fault but one is decided per command from the seed before it runs
// (Options.RejectRate, DropAckRate, DuplicateAckRate, AckLatency, the
// count form of Stall), so the same seed and requests give the same
// faults. Options.Stall (--stall HOLD/EVERY) takes two forms:
//   - counts, --stall 1/10: the acks of HOLD out of every EVERY commands
//     are held for Options.StallFor (--stall-for), or until Close. It
//     delays the same share of commands in open and closed load models
//     alike, so it cannot reveal coordinated omission.
//   - durations, --stall 1s/5s: no ack leaves during the first HOLD of
//     every EVERY, counted on Options.Clock from Start. Commands due in a
//     window, and acks that would leave in it (a vote that ended then),
//     leave together when it closes, as from a server frozen for HOLD
//     (wrk2's and Gatling's stall demonstrations). HTTP answers are not
//     held, so an open-model client keeps sending and each command it
//     sends into the window waits it out, while a closed-model client,
//     waiting for its ack, sends one: the omission shows in the
//     percentiles of the first and not of the second. StallFor does not
//     apply; Close still ends everything at once.
//
// Each held ack counts once in Stats.Faults.StalledAcks.
//
// # Synchronous 404 or ack 3: one rule
//
// §1.13 says the HTTP layer validates syntax and business validation is
// asynchronous, and also lists 404 for a few unknown identifiers. The
// simulator reads both as one rule:
//   - Reads (retrieve-…, list-…, check-pool-status, the stream services)
//     are synchronous and answer 404 for anything unknown.
//   - Asynchronous writes answer 401/413/415/422 for credentials and
//     syntax, 409 for a username taken (P1), and a synchronous 404 only for
//     the identifiers §1.13 lists: reservations (temporary token spaces),
//     data tokens, pools, OAuth records (client, application, code).
//     Another profile's identifier of these kinds is unknown too: 404.
//   - Every other business rule — an unknown device, policy, template or
//     voting configuration, a name taken, a device in the wrong state, a
//     wrong current password, a bound reached — is a 202 and ack 3 with a
//     domain.snake_case reason. A record that vanishes between the 202 and
//     the resolution also acks 3 (e.g. "data_token.not_found").
//
// # Concurrency contract
//
// Every exported method of Server is safe for concurrent use. State
// guards itself: each mutex is taken only by the methods of the value it
// belongs to, never by a handler, and each such method takes it for its
// own work only.
//
// Lock order (a lock on the left may be held while taking one on its
// right, never the other way round):
//
//	state.mu → profile.mu → byteQuota (atomic, no lock)
//
// state.mu guards the profile and token maps and each profile's token
// list; a profile's mu guards its records, devices, configurations,
// policies and pools — never two profiles at once. Everything else is a
// leaf, held while taking no other lock: the OAuth registry, the stream
// store, the pipeline (its table and its due heap) and the hub each have
// their own mutex. A resolve runs on a pipeline worker with no lock held
// and asks the profile itself; a pool that ends hands its command's
// outcome to the pipeline only after the profile's lock is released
// (inHoldings returns what to do afterwards). Pool timers and virtual
// ballots are time.AfterFunc callbacks that do nothing once Close began.
// Every socket has exactly one reader and one writer goroutine;
// publishing only queues bytes (a socket too far behind is cut off
// rather than slowing everyone).
//
// # Memory bounds
//
//   - command outcomes: at most Options.MaxResults (200,000), each kept at
//     most Options.ResultTTL (10 min), oldest evicted first.
//   - held commands (stalled without StallFor, pending on a vote): at most
//     100,000 at once; they stay until resolved or Close, and a command
//     that would exceed the bound acks 3 "sim.too_many_held_commands"
//     without resolving. Commands waiting for their latency or for a
//     stall window to close wait on the due heap: as many as were
//     accepted in that time.
//   - reservations: expire after their ttl (≤ 60 min), at most 10,000 live
//     per profile; stream tokens expire with them; download tokens after
//     5 min.
//   - authorization tokens: expire after Options.TokenTTL (8 h), at most
//     256 live per profile (the oldest is revoked).
//   - pre-join buffers: Options.PreJoinBufferTTL (10 s) per message, at
//     most 1024 messages and 1 MiB per profile; empty channels are deleted.
//   - per socket: a queue of at most 4096 messages and 8 MiB, grown as
//     used (a socket that never joins costs none); a socket further
//     behind is closed with 1008 and counted in Stats.SlowSockets. Client
//     frames of at most 64 KiB. A socket that has not joined a channel
//     within Options.JoinTimeout (60 s, --join-timeout) is closed
//     with 1008.
//   - connections: at most Options.MaxConnections (10,000,
//     --max-connections) open on the four services together, WebSockets
//     included (Stats.Connections); beyond, new ones wait in the listen
//     backlog until one closes.
//   - request bodies: Options.MaxBodyBytes (4 MiB); uploads
//     Options.MaxUploadBytes (64 MiB) each, at most Options.MaxUploads
//     (256, --max-uploads) read at once — beyond, 503
//     "stream.too_many_uploads" with Retry-After: 1, the stream token
//     unspent — and charged to MaxStoredBytes as their bytes arrive (a
//     body that would pass it is cut with 507). A body is read only after its
//     route's credential is checked, and a declared size above 64 KiB is
//     read as it arrives, never allocated up front. A request must arrive
//     whole within Options.ReadTimeout (30 s, --read-timeout; uploads at
//     least 10 min).
//   - devices 10,000, voting configurations 1,000 (each listing at most
//     1,000 devices), policies 1,000 and pools 10,000 per profile; beyond,
//     the command acks 3 (…too_many…). Ended pools are forgotten oldest
//     first to make room; a pool's timers end with it.
//   - OAuth: 256 applications per profile, 1,024 outstanding code requests
//     per requesting profile, all applications together (codes live 5 min;
//     counted per requester, so one profile cannot lock another out of its
//     application); an access grant lives until its
//     refresh token expires (30 days) or is used. QR tokens: 64 per
//     profile, 5 min.
//   - stored ciphertext (filled reservations and data tokens, all
//     profiles together), with the objects clients may store at will
//     (update-data's meta, a policy's configuration, as JSON): at most
//     Options.MaxStoredBytes (1 GiB). Beyond, an exchange, a growing
//     update-data or a policy registration acks 3
//     "storage.quota_exceeded" and an upload answers 507 with
//     {"message":"storage.quota_exceeded"}; delete-data and an expiring
//     filled reservation give the bytes back. Data tokens still live
//     until deleted or Close; a run storing without end hits the bound
//     instead of exhausting memory. Not counted: a deleted or replaced
//     blob still behind an unused download token (at most 5 min). A 507
//     spends the stream token (single use); the reservation stays empty
//     and may still be exchanged.
//   - profiles: at most Options.MaxProfiles (1,000,000), counting those
//     still registering and the pre-provisioned; beyond, register-profile
//     answers 202 and acks 3 "profile.limit_reached" (a bound reached is
//     business validation), and nothing is evicted. Profiles live until
//     Close; each costs a few hundred bytes empty.
//   - negative MaxStoredBytes or MaxProfiles: unbounded (counted, never refused).
//
// The janitor evicts once a second, and unbinds the sockets joined with a
// token that expired.
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
