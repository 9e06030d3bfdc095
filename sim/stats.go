package sim

import (
	"sync/atomic"

	"github.com/pcflow/pcflow/sim/internal/pipeline"
)

// Stats is a snapshot of what the simulator saw and did, for tests to
// assert on the server side.
type Stats struct {
	// Operations maps an operation name (e.g. "reserve-token-space") to
	// its counters. Operations never called are absent.
	Operations map[string]OpStats
	Faults     FaultStats
	// Commands is the number of commands accepted (202), all operations.
	Commands int64
	// Acks is the number of acks published (a duplicate counts twice,
	// a dropped ack not at all), all operations.
	Acks int64
	// Delivered is the number of WebSocket frames written to sockets
	// (acks, request-data messages and join/leave replies).
	Delivered int64
	// Undelivered is the number of messages published for a profile with no
	// joined socket whose pre-join buffer expired or overflowed, or was off.
	Undelivered int64
	// SlowSockets is the number of sockets cut off (close 1008) for
	// lagging socketQueueLen messages or socketQueueBytes bytes behind.
	SlowSockets int64
	// StoredBytes is the stored ciphertext of every profile now (filled
	// reservations and data tokens), counted against MaxStoredBytes.
	StoredBytes int64
	// Profiles is the number of profiles now (registered, registering and
	// pre-provisioned), counted against MaxProfiles.
	Profiles int
	// Connections is the number of connections open now on the four
	// services, WebSockets included, counted against MaxConnections.
	Connections int64
	// Uploads is the number of upstream uploads being read now, counted
	// against MaxUploads; BusyUploads counts those refused with 503 at it.
	Uploads, BusyUploads int64
}

// OpStats counts one operation.
type OpStats struct {
	Requests int64 // HTTP requests routed to the operation (including 4xx and injected 503s)
	Commands int64 // commands accepted
	Acks     int64 // acks published
	Faults   int64 // faults injected into its requests or commands
}

// FaultStats counts injected faults by kind.
type FaultStats struct {
	Rejections    int64 // commands resolved 3 with "sim.injected_rejection"
	DroppedAcks   int64
	DuplicateAcks int64
	HTTPErrors    int64 // requests answered 503
	StalledAcks   int64 // commands held by a stall, by count or by a time window (each once)
	WSDrops       int64 // sockets dropped by WSDropEvery
}

// stats holds the live counters. Every field is atomic; the per-operation
// map is built once at Start from the route table and never changes, so
// counting takes no lock.
type stats struct {
	ops                    map[string]*opCounters
	delivered, undelivered atomic.Int64
	slowSockets            atomic.Int64
	faults                 faultCounters
	other                  opCounters // an op missing from the table (none should be); not in Stats
}

// opCounters count one operation: its requests here, its commands in
// the pipeline.
type opCounters struct {
	requests atomic.Int64
	pipeline.Counters
}

// faultCounters count injected faults: the HTTP and socket ones here,
// the command ones in the pipeline.
type faultCounters struct {
	httpErrors, wsDrops atomic.Int64
	pipeline            pipeline.FaultCounts
}

func newStats(ops []string) *stats {
	st := &stats{ops: make(map[string]*opCounters, len(ops))}
	for _, op := range ops {
		if st.ops[op] == nil {
			st.ops[op] = &opCounters{}
		}
	}
	return st
}

// op returns the counters of op.
func (st *stats) op(op string) *opCounters {
	if c := st.ops[op]; c != nil {
		return c
	}
	return &st.other
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	st := s.stats
	out := Stats{Operations: map[string]OpStats{}, Delivered: st.delivered.Load(), Undelivered: st.undelivered.Load(),
		SlowSockets: st.slowSockets.Load(),
		StoredBytes: s.state.stored.used.Load(), Profiles: s.state.count(),
		Connections: s.conns.open.Load(), Uploads: s.uploads.open.Load(), BusyUploads: s.uploads.refused.Load()}
	for name, c := range st.ops {
		o := OpStats{Requests: c.requests.Load(), Commands: c.Commands.Load(), Acks: c.Acks.Load(), Faults: c.Faults.Load()}
		if o != (OpStats{}) {
			out.Operations[name] = o
		}
		out.Commands += o.Commands
		out.Acks += o.Acks
	}
	f := &st.faults
	pf := &f.pipeline
	out.Faults = FaultStats{Rejections: pf.Rejected.Load(), DroppedAcks: pf.Dropped.Load(), DuplicateAcks: pf.Duplicated.Load(),
		HTTPErrors: f.httpErrors.Load(), StalledAcks: pf.Stalled.Load(), WSDrops: f.wsDrops.Load()}
	return out
}
