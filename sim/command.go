package sim

import (
	"net/http"

	"github.com/pcflow/pcflow/sim/internal/pipeline"
)

// outcome is how a command ends (see pipeline.Outcome); the area
// handlers' resolve functions return one of the three below.
type outcome = pipeline.Outcome

// succeeded is the outcome of a command that did what it was asked.
func succeeded() outcome { return pipeline.Success() }

// rejected is the outcome of a command refused for reason (a domain.snake_case key).
func rejected(reason string) outcome { return pipeline.Rejection(reason) }

// pending is the outcome of a command whose terminal ack comes later,
// when Server.complete ends it (a voting pool).
func pending() outcome { return pipeline.Pending() }

// command is an accepted command as a handler holds it: the pipeline's
// record, and the sequence number its dice were rolled with (the 202's
// id shape is one more roll).
type command struct {
	*pipeline.Command
	seq uint64
}

// accept makes a command of op owned by owner: it writes the 202 with the
// command id in the configured shape and schedules resolve on the worker
// pool after the configured latency.
func (s *Server) accept(w http.ResponseWriter, owner *profile, op string, resolve func() outcome) command {
	return s.acceptWithID(w, owner, op, func(string) outcome { return resolve() })
}

// acceptWithID is accept for a command whose resolution needs its own id
// (a device, configuration, policy, pool, reservation or OAuth application
// is named after, or mapped from, the command that made it [P]).
func (s *Server) acceptWithID(w http.ResponseWriter, owner *profile, op string, resolve func(id string) outcome) command {
	c := s.newCommand(owner, op, resolve)
	s.submit(c, func() { s.writeAccepted(w, c) })
	return c
}

// newCommand registers a started command and decides its faults; submit
// schedules it. Handlers that write their own 202, or must record the id
// before the command can resolve, call the two themselves.
func (s *Server) newCommand(owner *profile, op string, resolve func(id string) outcome) command {
	seq := s.commandSeq.Add(1)
	id := s.ids.uuid7()
	c := s.pipeline.Accept(id, owner.id, s.dice.plan(seq, &s.opts), &s.stats.op(op).Counters, resolve)
	return command{Command: c, seq: seq}
}

// submit schedules c and calls respond, which writes the HTTP answer.
func (s *Server) submit(c command, respond func()) { s.pipeline.Submit(c.Command, respond) }

// complete ends a pending command (a voting pool that ended); false when
// id is unknown or already ended.
func (s *Server) complete(id string, o outcome) bool { return s.pipeline.Complete(id, o) }

// writeAccepted answers 202 with the command id in the shape the dice
// pick, and the x-dpt-cab-id header.
func (s *Server) writeAccepted(w http.ResponseWriter, c command) {
	// One backing array for both header values (keys already canonical):
	// this runs once per command.
	vals := []string{"application/json", c.ID}
	h := w.Header()
	h["Content-Type"], h["X-Dpt-Cab-Id"] = vals[0:1:1], vals[1:2:2]
	w.WriteHeader(http.StatusAccepted)
	w.Write(commandIDBody(s.dice.shape(c.seq, s.opts.CommandIDShape), c.ID))
}

// commandIDBody is the CommandAccepted body in shape (§1.5).
func commandIDBody(shape, id string) []byte {
	b := make([]byte, 0, len(id)+20)
	switch shape {
	case ShapeString:
		return appendString(b, id)
	case ShapeObject:
		b = append(b, `{"commandId":`...)
		return append(appendString(b, id), '}')
	default:
		b = append(b, '[')
		return append(appendString(b, id), ']')
	}
}

// newPipeline makes the command pipeline of s: acks encoded as
// messages.go says and delivered by the hub.
func (s *Server) newPipeline() *pipeline.Pipeline {
	o := s.opts
	return pipeline.New(pipeline.Config{Workers: o.Workers, ResultTTL: o.ResultTTL, MaxResults: o.MaxResults,
		StallFor: o.StallFor, FreezeFor: o.Stall.HoldFor, FreezeEvery: o.Stall.Period, Clock: o.Clock, AckBeforeResponse: o.AckBeforeResponse, EmitPending: o.EmitPendingStatus,
		Ack: func(id string, status int, body string) []byte {
			return appendAck(make([]byte, 0, 128+len(body)), id, status, body)
		},
		StartedAck: pendingAck, Publish: s.hub.Publish, Faults: &s.stats.faults.pipeline})
}
