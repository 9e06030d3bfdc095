package privicore

import "time"

// Timing is when each half of a call happened, so callers compute latency
// themselves (this package keeps no metrics). Zero fields did not happen.
type Timing struct {
	// Start is when the call began (before the request was built).
	Start time.Time
	// Written is when the request was fully written to the connection.
	Written time.Time
	// Read is when the response body was fully read.
	Read time.Time
	// Acked is when the command's or request's WebSocket message arrived
	// (or when request-status settled it); zero for synchronous calls.
	Acked time.Time
}

// HTTP is request written → response read.
func (t Timing) HTTP() time.Duration { return since(t.Written, t.Read) }

// Ack is response read → message arrived. It is negative when the message
// arrived before the response was read (ack before response).
func (t Timing) Ack() time.Duration {
	if t.Acked.IsZero() || t.Read.IsZero() {
		return 0
	}
	return t.Acked.Sub(t.Read)
}

// Total is start → the last thing that happened (message, else response).
func (t Timing) Total() time.Duration {
	end := t.Read
	if t.Acked.After(end) {
		end = t.Acked
	}
	return since(t.Start, end)
}

func since(a, b time.Time) time.Duration {
	if a.IsZero() || b.IsZero() {
		return 0
	}
	return b.Sub(a)
}
