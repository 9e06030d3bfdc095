package steps

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/pcflow/pcflow/privicore"
)

// tracer narrates the protocol for --trace: one line per step with the
// HTTP call, the command id, the awaited message and the latencies, never
// a parameter value (secrets and payloads stay out by construction). A nil
// *tracer is off. VUs share it; writes are serialised.
type tracer struct {
	mu  sync.Mutex
	w   io.Writer
	cat *Catalogue // names the wire call of a composite's inner operations
}

func (t *tracer) step(v *vu, st *cstep, c *call, err error, start, end time.Time) {
	if t == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "vu %d it %d  %s", v.id, v.iteration, st.name)
	if st.name != st.kind.Name {
		fmt.Fprintf(&b, " (%s)", st.kind.Name)
	}
	if m, p := wire(st, c); m != "" {
		fmt.Fprintf(&b, "  %s %s", m, p)
	}
	if c.status != 0 {
		fmt.Fprintf(&b, " → %d", c.status)
	}
	if c.commandID != "" {
		fmt.Fprintf(&b, "  command %s", c.commandID)
	}
	if c.hasMsg {
		fmt.Fprintf(&b, "  %s status %d", c.msg.Type, c.msg.CommandStatus)
		if c.msg.CommandStatus == privicore.StatusRejected {
			fmt.Fprintf(&b, " (%s)", c.msg.Body)
		}
		fmt.Fprintf(&b, " after %s", ms(max(c.timing.Ack(), 0)))
	} else if c.awaited {
		b.WriteString("  no message")
	}
	if !c.timing.Read.IsZero() {
		fmt.Fprintf(&b, "  http %s", ms(c.timing.HTTP()))
	}
	fmt.Fprintf(&b, "  total %s", ms(end.Sub(start)))
	if err != nil {
		fmt.Fprintf(&b, "  FAILED %s: %v", classify(err), err)
	} else {
		b.WriteString("  ok")
	}
	b.WriteString("\n")
	b.Write(c.traced) // the inner operations, under their step
	t.mu.Lock()
	_, _ = io.WriteString(t.w, b.String())
	t.mu.Unlock()
}

// inner narrates one inner operation of a composite, kept in the call to
// be written indented under the step's line: the wire call (from the
// catalogue's declaration of the operation of that name), the command
// id, the message and the latency.
func (t *tracer) inner(c *call, name string, a *privicore.Ack, tm privicore.Timing, err error, took time.Duration) {
	if t == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "vu %d it %d    · %s", c.vu.id, c.vu.iteration, name)
	if k, ok := t.cat.Lookup(name); ok && k.Method != "" {
		fmt.Fprintf(&b, "  %s %s", k.Method, k.Path)
	}
	if a != nil {
		if a.HTTPStatus != 0 {
			fmt.Fprintf(&b, " → %d", a.HTTPStatus)
		}
		if a.CommandID != "" {
			fmt.Fprintf(&b, "  command %s", a.CommandID)
		}
		if !a.Acked.IsZero() {
			fmt.Fprintf(&b, "  %s status %d after %s", a.Message.Type, a.Message.CommandStatus, ms(max(a.Timing.Ack(), 0)))
		}
	}
	if !tm.Read.IsZero() && !tm.Written.IsZero() {
		fmt.Fprintf(&b, "  http %s", ms(tm.HTTP()))
	}
	fmt.Fprintf(&b, "  total %s", ms(took))
	if err != nil {
		fmt.Fprintf(&b, "  FAILED %s: %v", classify(err), err)
	}
	b.WriteString("\n")
	c.traced = append(c.traced, b.String()...)
}
