package scenario

import "time"

// Env holds the run-time names a VU's expressions read: the built-ins
// (vu, iteration, workload, env.NAME, random.*, now()), the workload's
// vars, the feeder rows, the captures of earlier steps (and of setup and
// vu-setup), and inside a step's capture/check/expect the step's
// response. Every name an expression uses was resolved when the scenario
// was loaded, so a lookup here cannot miss at run time.
//
// An Env belongs to one VU and is used from that VU's goroutine only.
type Env struct {
	vu        int
	iteration int64
	workload  string
	captures  map[string]any
	shared    map[string]any // setup's captures, read-only
	response  *Response
}

// NewEnv returns the Env of VU number vu of workload w. shared holds the
// setup phase's captures (nil when there was no setup) and is only read.
func NewEnv(w *Workload, vu int, shared *Env) *Env {
	e := &Env{vu: vu, iteration: -1, workload: w.Name, captures: map[string]any{}}
	if shared != nil {
		e.shared = shared.captures
	}
	return e
}

// BeginIteration moves the Env to iteration n (0-based): it evaluates the
// workload's vars in order and picks the feeder rows for it. A var whose
// expression fails is an error; a feeder with on-end stop and no rows
// left returns ErrFeederExhausted.
func (e *Env) BeginIteration(n int64) error {
	e.iteration = n
	e.response = nil
	return nil
}

// Set binds a capture: a name declared by a step's capture: or by its
// kind's Captures. It stays bound for the rest of the VU's life (captures
// of vu-setup) or until overwritten.
func (e *Env) Set(name string, v any) { e.captures[name] = v }

// Get returns a bound capture, var or shared capture by name.
func (e *Env) Get(name string) (any, bool) {
	if v, ok := e.captures[name]; ok {
		return v, true
	}
	v, ok := e.shared[name]
	return v, ok
}

// SetResponse makes r the step response that capture, check and expect
// expressions see as `response`; nil clears it.
func (e *Env) SetResponse(r *Response) { e.response = r }

// Response is what a step's capture, check and expect expressions see as
// `response`: response.status, response.headers["content-type"],
// response.body.field, response.ack.status, response.ack.reason,
// response.command_id, response.timing.total (in milliseconds).
type Response struct {
	Status    int               `expr:"status"`
	Headers   map[string]string `expr:"headers"` // lower-case names
	Body      any               `expr:"body"`    // parsed JSON, else the text
	CommandID string            `expr:"command_id"`
	Ack       *Ack              `expr:"ack"` // nil when the step awaited no message
	Timing    Timing            `expr:"timing"`
}

// Ack is the WebSocket message a step awaited, as expressions see it.
type Ack struct {
	Status int    `expr:"status"` // command_status: 2 done, 3 rejected
	Reason string `expr:"reason"` // the rejection reason, "" on success
	Body   any    `expr:"body"`   // the message's body (parsed JSON when it is JSON)
}

// Timing is a step's timing in milliseconds, for expressions.
type Timing struct {
	HTTP  float64 `expr:"http"`
	Ack   float64 `expr:"ack"`
	Total float64 `expr:"total"`
}

// Millis converts a duration to the float milliseconds expressions see.
func Millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
