package steps

import (
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// emit is the one adapter from privicore's Timing to samples: the step's
// http half (request written → response read), its ack half (response
// read → message arrived) and its total, each tagged with the step, the VU
// and the iteration, the failure's kind on the phase it belongs to. It
// also adds the counters the step gathered. Metric names were built at
// compile time, so emitting allocates nothing.
func (v *vu) emit(st *cstep, c *call, kind metrics.ErrorKind, start, end time.Time) {
	if len(st.kind.Metrics) > 0 {
		names := phaseNames{http: st.mHTTP, ack: st.mAck, total: st.mTotal}
		v.record(st.name, &names, c.timing, c.awaited, kind, start, end)
	} else {
		// sleep times nothing; the step after a think time must not count
		// it as schedule lag (the engine's schedule_lag shows the lag).
		v.scheduled = time.Time{}
	}
	name := v.w.src.Name
	for i, n := range c.count {
		if n != 0 {
			v.p.sink.Add(metrics.Counter(i), name, n)
		}
	}
}

// record emits the samples of one timed operation: the step itself, or
// one inner operation of a composite.
func (v *vu) record(step string, n *phaseNames, t privicore.Timing, awaited bool, kind metrics.ErrorKind, start, end time.Time) {
	s := metrics.Sample{Workload: v.w.src.Name, Step: step, VU: v.id, Iteration: v.iteration}
	if !t.Written.IsZero() && !t.Read.IsZero() {
		s.Metric, s.Start, s.Duration, s.Error = n.http, t.Written, t.Read.Sub(t.Written), httpPhase(kind)
		v.p.sink.Record(s)
	}
	if awaited && !t.Read.IsZero() {
		s.Metric, s.Start, s.Error = n.ack, t.Read, ackPhase(kind)
		switch {
		case !t.Acked.IsZero():
			s.Duration = max(t.Acked.Sub(t.Read), 0) // an ack may beat its 202
			v.p.sink.Record(s)
		case s.Error != metrics.ErrNone:
			s.Duration = end.Sub(t.Read) // how long it waited for nothing
			v.p.sink.Record(s)
		}
	}
	if !v.scheduled.IsZero() && v.scheduled.Before(start) {
		// The iteration's first sample counts from its scheduled start, so
		// a generator that fell behind a stalled server shows the stall.
		start = v.scheduled
	}
	v.scheduled = time.Time{}
	s.Metric, s.Start, s.Duration, s.Error = n.total, start, end.Sub(start), kind
	v.p.sink.Record(s)
}

// httpPhase is the kind the http sample carries: only failures of the
// HTTP exchange itself.
func httpPhase(k metrics.ErrorKind) metrics.ErrorKind {
	switch k {
	case metrics.ErrConnect, metrics.ErrHTTP4xx, metrics.ErrHTTP5xx:
		return k
	}
	return metrics.ErrNone
}

// ackPhase is the kind the ack sample carries: only failures of the wait.
func ackPhase(k metrics.ErrorKind) metrics.ErrorKind {
	switch k {
	case metrics.ErrAckRejected, metrics.ErrAckTimeout, metrics.ErrWSClosed:
		return k
	}
	return metrics.ErrNone
}

// innerOp records one synchronous inner operation of a composite as
// step.NAME.INNER.PHASE and adds its request to the step's counters.
func (c *call) innerOp(name string, t privicore.Timing, err error) error {
	c.count[metrics.Requests]++
	return c.innerTimed(name, t, nil, err)
}

// innerAck is innerOp for an async inner operation: it also counts the
// command and its outcome, and traces the command id and its message.
func (c *call) innerAck(name string, a privicore.Ack, err error) error {
	c.count[metrics.Requests]++
	c.count[metrics.Commands]++
	if k, ok := ackCounter(err); ok {
		c.count[k]++
	}
	return c.innerTimed(name, a.Timing, &a, err)
}

// innerSocket records an inner WebSocket operation (the join): timed like
// an operation, but not an HTTP request.
func (c *call) innerSocket(name string, t privicore.Timing, err error) error {
	return c.innerTimed(name, t, nil, err)
}

func (c *call) innerTimed(name string, t privicore.Timing, a *privicore.Ack, err error) error {
	if err != nil {
		c.inner = name
		if s := privicore.StatusOf(err); s != 0 {
			c.status = s
		}
	} else if t.Read.After(t.Written) {
		c.status = 200
	}
	end := t.Acked
	if end.IsZero() {
		end = t.Read
	}
	if end.IsZero() || err != nil {
		end = time.Now()
	}
	start := t.Start
	if start.IsZero() {
		start = end
	}
	c.vu.p.trace.inner(c, name, a, t, err, end.Sub(start))
	n := c.st.inner[name]
	if n == nil {
		return err
	}
	scheduled := c.vu.scheduled
	c.vu.scheduled = time.Time{} // only the step's own total counts from the schedule
	c.vu.record(c.st.name, n, t, a != nil, innerKind(c.st.src.Expect, classify(err)), start, end)
	c.vu.scheduled = scheduled
	return err
}

// innerKind is the kind an inner operation's samples carry. A composite
// whose expect: asks for a rejection (command-status rejected or any) or a
// 4xx/5xx status gets exactly that from one of its inner operations; that
// failure was the point of the step, so — as for a plain operation step
// whose expectation held — it is not counted among the run's errors.
func innerKind(e *scenario.Expect, k metrics.ErrorKind) metrics.ErrorKind {
	if e == nil {
		return k
	}
	switch {
	case k == metrics.ErrAckRejected && (e.CommandStatus == "rejected" || e.CommandStatus == "any"):
		return metrics.ErrNone
	case (k == metrics.ErrHTTP4xx || k == metrics.ErrHTTP5xx) && e.Status >= 400:
		return metrics.ErrNone
	}
	return k
}
