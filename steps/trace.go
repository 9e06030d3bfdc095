package steps

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pcflow/pcflow/privicore"
)

// tracer narrates the protocol for --trace, for a newcomer reading along:
// a head line per step (who, which step, how long, ok or FAILED), then one
// line each for the HTTP call, the command id, the awaited message with
// its latency, and a composite's inner operations indented beneath — every
// line within 80 columns (a long failure is wrapped), never a parameter
// value (secrets and payloads stay out by construction). A nil *tracer is
// off. VUs share it; writes are serialised.
type tracer struct {
	mu  sync.Mutex
	w   io.Writer
	cat *Catalogue // names the wire call of a composite's inner operations
}

// traceWidth is the width every narrated line keeps within.
const traceWidth = 80

// Indents of the lines under a step's head line, and under an inner
// operation's.
const (
	detailIndent = "      "
	innerIndent  = detailIndent + "    "
)

func (t *tracer) step(v *vu, st *cstep, c *call, err error, start, end time.Time) {
	if t == nil {
		return
	}
	var b strings.Builder
	head := fmt.Sprintf("vu %d it %d  %s", v.id, v.iteration, st.name)
	if st.name != st.kind.Name {
		head += " (" + st.kind.Name + ")"
	}
	verdict := "ok"
	if err != nil {
		verdict = "FAILED"
	}
	b.WriteString(columns(head, ms(end.Sub(start))+" "+verdict))
	m, p := wire(st, c)
	writeCall(&b, detailIndent, m, p, c.status, c.timing)
	if c.commandID != "" && len(c.traced) == 0 { // a composite's inner operations name their own
		b.WriteString(detailIndent + "command " + c.commandID + "\n")
	}
	if c.hasMsg && len(c.traced) == 0 {
		b.WriteString(detailIndent + message(c.msg, c.timing) + "\n")
	} else if c.awaited && len(c.traced) == 0 {
		b.WriteString(detailIndent + "no message came\n")
	}
	b.Write(c.traced) // the inner operations, under their step
	if err != nil {
		wrap(&b, detailIndent, fmt.Sprintf("FAILED %s: %v", classify(err), err))
	}
	t.mu.Lock()
	_, _ = io.WriteString(t.w, b.String())
	t.mu.Unlock()
}

// inner narrates one inner operation of a composite, kept in the call to
// be written indented under the step's head line: the wire call (from the
// catalogue's declaration of the operation of that name), the command
// id, the message and the latency.
func (t *tracer) inner(c *call, name string, a *privicore.Ack, tm privicore.Timing, err error, took time.Duration) {
	if t == nil {
		return
	}
	var b strings.Builder
	b.WriteString(columns(detailIndent+"· "+name, ms(took)))
	method, path := "", ""
	if k, ok := t.cat.Lookup(name); ok {
		method, path = k.Method, k.Path
	}
	status := 0
	if a != nil {
		status = a.HTTPStatus
	}
	writeCall(&b, innerIndent, method, path, status, tm)
	if a != nil && a.CommandID != "" {
		b.WriteString(innerIndent + "command " + a.CommandID + "\n")
	}
	if a != nil && !a.Acked.IsZero() {
		b.WriteString(innerIndent + message(a.Message, a.Timing) + "\n")
	}
	if err != nil {
		// Neutral words: the step may have expected exactly this (a
		// negative test); its head line says whether it failed.
		wrap(&b, innerIndent, fmt.Sprintf("gave %s: %v", classify(err), err))
	}
	c.traced = append(c.traced, b.String()...)
}

// writeCall writes the HTTP call line: method, path, status and the http
// half of the timing, when the step made a call.
func writeCall(b *strings.Builder, indent, method, path string, status int, tm privicore.Timing) {
	if method == "" {
		return
	}
	line := indent + method + " " + path
	if status != 0 {
		line += fmt.Sprintf(" → %d", status)
	}
	if !tm.Read.IsZero() && !tm.Written.IsZero() {
		line += " in " + ms(tm.HTTP())
	}
	b.WriteString(line + "\n")
}

// message is the awaited message's line: its type, status (with the
// rejection reason) and how long after the response it came — or, for an
// outcome learned by polling request-status, that it was polled.
func message(m privicore.Message, tm privicore.Timing) string {
	how := "←"
	if m.Reconciled {
		how = "← (polled, request-status)"
	}
	s := fmt.Sprintf("%s %s status %d", how, m.Type, m.CommandStatus)
	if m.CommandStatus == privicore.StatusRejected {
		s += " (" + m.Body + ")"
	}
	return s + " after " + ms(max(tm.Ack(), 0))
}

// columns writes left and right on one line of traceWidth, right-aligned;
// when they do not fit, one space parts them.
func columns(left, right string) string {
	pad := traceWidth - utf8.RuneCountInString(left) - utf8.RuneCountInString(right)
	return left + strings.Repeat(" ", max(pad, 1)) + right + "\n"
}

// wrap writes text indented, broken at spaces to keep within traceWidth.
func wrap(b *strings.Builder, indent, text string) {
	line := indent
	for _, w := range strings.Fields(text) {
		if line != indent && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > traceWidth {
			b.WriteString(line + "\n")
			line = indent + "  "
		} else if line != indent && line != indent+"  " {
			line += " "
		}
		line += w
	}
	b.WriteString(line + "\n")
}
