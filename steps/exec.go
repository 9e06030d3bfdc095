package steps

import (
	"context"
	"errors"
	"time"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// runStep runs one step with its common fields, in the order a reader
// expects: if → parameters → run (under timeout) → expect → captures →
// checks; then samples, counters and the trace line. It returns a
// *engine.StepError when the step failed.
func (v *vu) runStep(ctx context.Context, st *cstep, depth int) error {
	if st.src.If != nil {
		ok, err := st.src.If.Bool(v.env)
		if err != nil {
			return v.fail(st, nil, metrics.ErrExpression, err, time.Now(), time.Now())
		}
		if !ok {
			return nil
		}
	}
	c := v.callAt(depth)
	c.reset(v, st)
	start := time.Now()
	if err := c.evalParams(); err != nil {
		return v.fail(st, c, metrics.ErrExpression, err, start, time.Now())
	}
	if st.kind.Session && v.sess == nil {
		err := failure(metrics.ErrWSClosed, "no session: run onboard or authenticate (e.g. in vu-setup) before "+st.kind.Name)
		return v.fail(st, c, metrics.ErrWSClosed, err, start, time.Now())
	}
	if st.src.Timeout > 0 {
		// Only an explicit timeout: costs a context; the run's default is
		// enforced by the client's own request and ack timeouts.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, st.src.Timeout)
		defer cancel()
	}
	err := st.kind.run(ctx, c)
	if c.outlastable && st.src.Timeout > v.p.ackTimeout() && ctx.Err() == nil {
		err = c.outlastAck(ctx, err)
	}
	end := time.Now()
	if c.status == 0 {
		c.status = privicore.StatusOf(err) // a kind that did not say (join-channel, composites)
	}
	kind, err := judge(st.src.Expect, c, err)
	if kind == metrics.ErrNone {
		kind, err = v.afterwards(st, c)
	}
	if kind != metrics.ErrNone {
		return v.fail(st, c, kind, err, start, end)
	}
	v.emit(st, c, metrics.ErrNone, start, end)
	v.p.trace.step(v, st, c, nil, start, end)
	return nil
}

// afterwards evaluates the step's capture: and check: against its
// response; a check that does not hold fails the step.
func (v *vu) afterwards(st *cstep, c *call) (metrics.ErrorKind, error) {
	s := st.src
	if len(s.Capture) == 0 && len(s.Check) == 0 {
		return metrics.ErrNone, nil
	}
	v.env.SetResponse(v.response(c))
	defer v.env.SetResponse(nil)
	for _, cp := range s.Capture {
		x, err := cp.Expr.Eval(v.env)
		if err != nil {
			return metrics.ErrExpression, failure(metrics.ErrExpression, "capture "+cp.Name+": "+err.Error())
		}
		v.env.Set(cp.Name, x)
	}
	name := v.w.src.Name
	for _, chk := range s.Check {
		ok, err := chk.Bool(v.env)
		if err != nil {
			return metrics.ErrExpression, failure(metrics.ErrExpression, "check "+chk.Source+": "+err.Error())
		}
		if !ok {
			v.p.sink.Add(metrics.ChecksFailed, name, 1)
			return metrics.ErrCheck, failure(metrics.ErrCheck, "check failed: "+chk.Source)
		}
		v.p.sink.Add(metrics.ChecksPassed, name, 1)
	}
	return metrics.ErrNone, nil
}

// response fills the VU's reusable Response from what the step reported.
func (v *vu) response(c *call) *scenario.Response {
	t := c.timing
	v.resp = scenario.Response{
		Status: c.status, Body: c.body, CommandID: c.commandID,
		Timing: scenario.Timing{HTTP: scenario.Millis(t.HTTP()), Total: scenario.Millis(t.Total())},
	}
	if c.hasMsg {
		v.respAck = scenario.Ack{Status: c.msg.CommandStatus, Body: c.msg.Body}
		if c.msg.CommandStatus == privicore.StatusRejected {
			v.respAck.Reason = c.msg.Body
		}
		v.resp.Ack = &v.respAck
		v.resp.Timing.Ack = scenario.Millis(max(t.Ack(), 0))
	}
	return &v.resp
}

// fail records a failed step and builds its *engine.StepError.
func (v *vu) fail(st *cstep, c *call, kind metrics.ErrorKind, err error, start, end time.Time) error {
	if c == nil {
		c = v.callAt(st.depth)
		c.reset(v, st)
	}
	v.emit(st, c, kind, start, end)
	v.p.trace.step(v, st, c, err, start, end)
	v.cause = err
	var inner *engine.StepError
	if errors.As(err, &inner) {
		return inner // a step inside a group or repeat already said what failed
	}
	return v.stepError(st, c, kind, err, end.Sub(start))
}

// childFailure is how a group or repeat sees the step inside it that
// failed: as that step's report and, beneath it, the outcome it judged —
// so that the block's own expect: can match an HTTP status or a
// rejection of its inner step (a negative test of a whole block).
type childFailure struct {
	se    *engine.StepError
	cause error
}

func (f *childFailure) Error() string   { return f.se.Error() }
func (f *childFailure) Unwrap() []error { return []error{f.se, f.cause} }
