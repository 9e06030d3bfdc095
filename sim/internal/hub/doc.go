// Package hub routes the simulator's WebSocket messages to the sockets
// joined for a profile: the part of Privicore's proxy that stands in for
// the per-profile message queue.
//
// It exists apart from package sim so that fan-out, round-robin, the
// pre-join buffer and unbinding can be tested by themselves, with no
// network and no wall clock: a Socket is anything with a queue that never
// blocks, and time comes from Config.Now.
//
// A message for a profile goes to every socket joined for it ("all"), or
// to one of them in turn (RoundRobin). With none joined it waits in the
// profile's pre-join buffer for BufferTTL (at most MaxBuffered messages
// and MaxBufferedBytes bytes, oldest dropped first) and goes to the first socket that joins. A socket
// is joined to one profile at a time, with the token it joined with, so
// that revoking or expiring that token unbinds it.
//
// Concurrency: every method of Hub is safe for concurrent use. One mutex
// guards every channel and every socket's join state; the hub holds it
// while it calls Socket.Send, Abort and Shutdown, which must therefore
// only queue or close and never call back into the hub.
package hub
