package scenario

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/expr-lang/expr/vm"
)

// ErrFeederExhausted is what BeginIteration returns when a feeder with
// `on-end: stop` has no row left for the iteration: the workload stops
// starting iterations.
var ErrFeederExhausted = errors.New("scenario: a feeder with on-end: stop ran out of rows")

// Env holds the run-time names a VU's expressions read: the built-ins
// (vu, iteration, workload, env.NAME, random.*, now()), the workload's
// vars, the feeder rows, the captures of earlier steps (and of setup and
// vu-setup), and inside a step's capture/check/expect the step's
// response. Every name an expression uses was resolved when the scenario
// was loaded, so a lookup here cannot miss at run time.
//
// An Env belongs to one VU and is used from that VU's goroutine only.
type Env struct {
	w         *Workload // nil for the setup phase's Env
	vu        int
	iteration int64
	workload  string
	// vals is the expressions' environment: built-ins, vars (also bare),
	// feeder rows and captures, as expr-lang reads it.
	vals      map[string]any
	vars      map[string]any
	captures  map[string]any // what Set bound: all that a shared Env passes on
	response  *Response
	rng       *rand.Rand
	machine   vm.VM  // reused by every evaluation: no VM allocation per run
	buf       []byte // reused by template expansion
	exhausted bool   // a stop feeder had no row for this VU
}

// NewEnv returns the Env of VU number vu of workload w. shared holds the
// setup phase's captures (nil when there was no setup) and is only read.
// w may be nil for the Env the setup and teardown phases run in.
func NewEnv(w *Workload, vu int, shared *Env) *Env {
	e := &Env{w: w, vu: vu, iteration: -1, vars: map[string]any{}, captures: map[string]any{}}
	e.rng = rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(vu)))
	e.vals = map[string]any{
		"vu": vu, "iteration": -1, "vars": e.vars,
		"random": randomFuncs(e), "now": time.Now,
	}
	if w != nil {
		e.workload = w.Name
		e.vals["workload"] = w.Name
		e.vals["env"] = w.env
	} else {
		e.vals["workload"] = ""
		e.vals["env"] = map[string]any{}
	}
	if shared != nil {
		for k, v := range shared.captures {
			e.vals[k] = v
		}
	}
	if w != nil {
		e.pickFeeders(true)
	}
	return e
}

// Seed makes the Env's random.* functions and random feeders
// deterministic (tests, --seed): the stream depends on seed and the VU
// number. Call it before the first iteration.
func (e *Env) Seed(seed uint64) {
	e.rng = rand.New(rand.NewPCG(seed, uint64(e.vu)))
	if e.w != nil && e.iteration < 0 {
		e.pickFeeders(true) // the VU's first random rows, drawn again from the seeded stream
	}
}

// VU returns the VU number; Iteration the current iteration (-1 before
// the first).
func (e *Env) VU() int          { return e.vu }
func (e *Env) Iteration() int64 { return e.iteration }

// BeginIteration moves the Env to iteration n (0-based): it evaluates the
// workload's vars in order and picks the feeder rows for it. A var whose
// expression fails is an error; a feeder with on-end stop and no rows
// left returns ErrFeederExhausted.
func (e *Env) BeginIteration(n int64) error {
	e.iteration = n
	e.vals["iteration"] = int(n)
	e.SetResponse(nil)
	if e.w == nil {
		return nil
	}
	if e.exhausted || !e.pickFeeders(false) {
		return ErrFeederExhausted
	}
	for _, v := range e.w.Vars {
		x, err := v.Value.Eval(e)
		if err != nil {
			return err
		}
		e.vars[v.Name] = x
		e.vals[v.Name] = x
	}
	return nil
}

// Set binds a capture: a name declared by a step's capture: or by its
// kind's Captures. It stays bound for the rest of the VU's life (captures
// of vu-setup) or until overwritten.
func (e *Env) Set(name string, v any) {
	if !isBuiltin(name) {
		e.vals[name] = v
		e.captures[name] = v
	}
}

// Get returns a bound capture, var or shared capture by name.
func (e *Env) Get(name string) (any, bool) {
	if isBuiltin(name) {
		return nil, false
	}
	v, ok := e.vals[name]
	return v, ok
}

// SetResponse makes r the step response that capture, check and expect
// expressions see as `response`; nil clears it.
func (e *Env) SetResponse(r *Response) {
	e.response = r
	if r == nil {
		delete(e.vals, "response")
		return
	}
	e.vals["response"] = r
}

// run evaluates a compiled expression against env.
func (c *compiled) run(e *Env) (any, error) {
	if c.prog == nil {
		return e.lookup(c.path), nil
	}
	v, err := e.machine.Run(c.prog, e.vals)
	if err != nil {
		return nil, &EvalError{Pos: c.pos, Source: c.src, Err: err}
	}
	return v, nil
}

// lookup resolves a simple path checked at load; a name bound at load but
// not yet at run time (a capture of a step that was skipped) is nil.
func (e *Env) lookup(path []string) any {
	switch path[0] {
	case "vu":
		return e.vu
	case "iteration":
		return int(e.iteration)
	}
	v := e.vals[path[0]]
	for _, name := range path[1:] {
		switch m := v.(type) {
		case map[string]any:
			v = m[name]
		case map[string]string:
			v = m[name]
		default:
			return nil
		}
	}
	return v
}

// EvalError is an expression that failed at run time; steps report it as
// a step error of kind "expression".
type EvalError struct {
	Pos    Pos
	Source string
	Err    error
}

func (e *EvalError) Error() string {
	return e.Pos.String() + ": expression `" + e.Source + "`: " + e.Err.Error()
}

func (e *EvalError) Unwrap() error { return e.Err }

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
