package steps

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// call is one running step as its kind sees it: the evaluated parameters
// to read, the VU's session and client, and the methods through which the
// kind reports what happened. A VU keeps one call per nesting depth and
// resets it for every step, so running a step allocates nothing here.
type call struct {
	vu   *vu
	st   *cstep
	sess *privicore.Session // the VU's session; nil until onboard or authenticate
	vals []any              // st.params evaluated, same order

	// What happened, set by the kind.
	timing    privicore.Timing
	status    int    // HTTP status of the answer (or of the APIError)
	commandID string // the awaited command's (or request's) id
	awaited   bool   // the kind awaited a WebSocket message
	msg       privicore.Message
	hasMsg    bool
	body      any // the result as response.body; set only when st.needsBody
	inner     string
	method    string // the wire call when the kind's declaration cannot say (http)
	traced    []byte // trace lines of inner operations, written after the step's line
	path      string
	count     [metrics.Reconnects + 1]int64 // counters to add when the step ends
	// outlastable: the step's command got no ack within the session's ack
	// timeout, and request-status can still tell its outcome.
	outlastable bool
}

func (c *call) reset(v *vu, st *cstep) {
	vals, traced := c.vals[:0], c.traced[:0]
	*c = call{vu: v, st: st, sess: v.sess, vals: vals, traced: traced}
}

// evalParams evaluates every parameter once, before the kind runs, so a
// kind reads plain values and an expression error never reaches the wire.
func (c *call) evalParams() error {
	for _, p := range c.st.params {
		if p.val.Type == scenario.TypeExpr {
			c.vals = append(c.vals, nil) // evaluated by the kind, as often as it needs
			continue
		}
		x, err := p.val.Eval(c.vu.env)
		if err != nil {
			return failure(metrics.ErrExpression, err.Error())
		}
		c.vals = append(c.vals, x)
	}
	return nil
}

// get returns the evaluated parameter, or nil when the step has none.
func (c *call) get(name string) any {
	for i := range c.st.params {
		if c.st.params[i].name == name {
			return c.vals[i]
		}
	}
	return nil
}

// has reports whether the step gave the parameter (or it has a default).
func (c *call) has(name string) bool { return c.get(name) != nil }

// str reads a parameter as text: strings, secrets (revealed for the wire)
// and numbers are all accepted, since a whole-string template keeps its
// expression's type.
func (c *call) str(name string) string {
	switch x := c.get(name).(type) {
	case string:
		return x
	case revealer:
		return x.Reveal()
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	default:
		return ""
	}
}

// revealer is a value holding a secret that gives its text only when
// asked: a privicore.Secret, or a scenario.SecretText (a template with a
// secret part, such as "Bearer ${token}").
type revealer interface{ Reveal() string }

// secret reads a parameter as a privicore.Secret.
func (c *call) secret(name string) privicore.Secret { return privicore.Secret(c.str(name)) }

// num reads a whole-number (or size) parameter.
func (c *call) num(name string) int64 {
	switch x := c.get(name).(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case float64:
		return int64(x)
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

// int reads a whole-number parameter as an int.
func (c *call) int(name string) int { return int(c.num(name)) }

// flag reads a boolean parameter.
func (c *call) flag(name string) bool {
	b, _ := c.get(name).(bool)
	return b
}

// dur reads a duration parameter.
func (c *call) dur(name string) time.Duration {
	d, _ := c.get(name).(time.Duration)
	return d
}

// strs reads a list parameter as strings.
func (c *call) strs(name string) []string {
	switch x := c.get(name).(type) {
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, textOf(e))
		}
		return out
	case string:
		return []string{x}
	}
	return nil
}

// fields reads a map parameter as string fields.
func (c *call) fields(name string) map[string]string {
	m, _ := c.get(name).(map[string]any)
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = textOf(v)
	}
	return out
}

func textOf(x any) string {
	switch v := x.(type) {
	case string:
		return v
	case revealer:
		return v.Reveal()
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// done records a synchronous answer and passes its error through. A
// failed call has the APIError's status, or none (nothing answered 2xx).
func (c *call) done(t privicore.Timing, err error) error {
	c.timing = t
	c.count[metrics.Requests]++
	c.status = 200
	if err != nil {
		c.status = privicore.StatusOf(err)
	}
	return err
}

// doneStatus is done for answers that carry their 2xx status.
func (c *call) doneStatus(r privicore.Result, err error) error {
	c.done(r.Timing, err)
	if err == nil {
		c.status = r.HTTPStatus
	}
	return err
}

// ack records an async command's (or request's) outcome and passes its
// error through. The Ack carries its timing even when the command was
// rejected or timed out.
func (c *call) ack(a privicore.Ack, err error) error {
	c.timing = a.Timing
	c.count[metrics.Requests]++
	c.awaited = true
	c.commandID = a.CommandID
	c.status = statusOf(err, a.HTTPStatus)
	if !a.Acked.IsZero() {
		c.msg, c.hasMsg = a.Message, true
	}
	if a.CommandID != "" || a.RequestID != "" {
		c.count[metrics.Commands]++
		if k, ok := ackCounter(err); ok {
			c.count[k]++
			// A command (not a request: request-status knows no request
			// ids) whose ack timed out may still be waited for (outlastAck).
			c.outlastable = k == metrics.AcksTimeout && a.RequestID == "" && a.CommandID != ""
		}
	}
	return err
}

// statusOf is the HTTP status of an async outcome: the APIError's, else
// the 2xx the command was accepted with (a rejection or an ack timeout
// happened after it; zero when the HTTP half never answered).
func statusOf(err error, accepted int) int {
	if err == nil {
		return accepted // no errors.As on the hot path: its target escapes
	}
	if s := privicore.StatusOf(err); s != 0 {
		return s
	}
	return accepted
}

// keep makes v, in its wire view (wireView), the step's response.body
// when an expression may read it. Generic so that the value is boxed only
// when it is kept.
func keep[T any](c *call, v T) {
	if c.st.needsBody {
		c.body = wireView(v)
	}
}

// set binds one of the kind's own captures for later steps.
func (c *call) set(name string, v any) { c.vu.env.Set(name, v) }

// runChildren runs nested steps (group, repeat) one level deeper.
func (c *call) runChildren(ctx context.Context, steps []*cstep) error {
	err := c.vu.runList(ctx, steps, c.st.depth+1)
	var se *engine.StepError
	if errors.As(err, &se) {
		return &childFailure{se: se, cause: c.vu.cause}
	}
	return err
}

// env is the VU's Env, for kinds that evaluate expressions themselves.
func (c *call) env() *scenario.Env { return c.vu.env }

// value returns a parameter's unevaluated Value, for kinds that evaluate
// it more than once (repeat's while).
func (c *call) value(name string) *scenario.Value {
	for i := range c.st.params {
		if c.st.params[i].name == name {
			return c.st.params[i].val
		}
	}
	return nil
}

// secretOr reads a secret parameter; when the step gives none it is the
// secret this VU last captured under capture. Secrets captured by kinds
// reach later steps this way rather than through a ${…} template, so
// their value never passes through text that could be printed.
func (c *call) secretOr(param, capture string) privicore.Secret {
	if s := c.secret(param); s != "" {
		return s
	}
	return c.vu.secrets[capture]
}

// setSecret captures a secret for expressions (as a privicore.Secret,
// which prints redacted) and for the defaults of later secret parameters.
func (c *call) setSecret(name string, s privicore.Secret) {
	c.vu.secrets[name] = s
	c.set(name, s)
}
