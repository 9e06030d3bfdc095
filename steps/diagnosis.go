package steps

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// stepError describes a failed step for `pcflow test` and JUnit: one line
// of what failed, and a diagnosis a QA engineer can act on — the request
// (method, path, parameters with secrets redacted), the answer, the
// awaited message or its absence with the time waited, the expectation.
// Every text here is already redacted: privicore's errors redact
// themselves, and secret parameters print as [redacted].
func (v *vu) stepError(st *cstep, c *call, kind metrics.ErrorKind, err error, took time.Duration) *engine.StepError {
	msg := "failed"
	if err != nil {
		msg = err.Error()
	}
	return &engine.StepError{
		Workload: v.w.src.Name, Step: st.name, Kind: st.kind.Name, Pos: st.pos,
		ErrorKind: kind.String(), Message: msg, Diagnosis: diagnose(st, c, err, took),
	}
}

func diagnose(st *cstep, c *call, err error, took time.Duration) string {
	var b strings.Builder
	if m, p := wire(st, c); m != "" {
		fmt.Fprintf(&b, "request:  %s %s", m, p)
	} else {
		fmt.Fprintf(&b, "step:     %s", st.kind.Name)
	}
	if c.inner != "" {
		fmt.Fprintf(&b, " (failed in %s)", c.inner)
	}
	b.WriteString("\n")
	if p := paramText(st, c); p != "" {
		b.WriteString("params:   " + p + "\n")
	}
	var api *privicore.APIError
	switch {
	case errors.As(err, &api):
		fmt.Fprintf(&b, "response: HTTP %d %s\n", api.Status, api.Body)
	case c.status != 0:
		fmt.Fprintf(&b, "response: HTTP %d\n", c.status)
	}
	if c.commandID != "" {
		fmt.Fprintf(&b, "command:  %s\n", c.commandID)
	}
	switch {
	case c.hasMsg:
		fmt.Fprintf(&b, "message:  %s command_status %d after %s", c.msg.Type, c.msg.CommandStatus,
			ms(max(c.timing.Ack(), 0)))
		if c.msg.CommandStatus == privicore.StatusRejected {
			b.WriteString(": " + c.msg.Body)
		}
		if c.msg.Reconciled {
			b.WriteString(" (learned through request-status)")
		}
		b.WriteString("\n")
	case c.awaited:
		waited := took
		if !c.timing.Read.IsZero() {
			waited = took - c.timing.Read.Sub(c.timing.Start)
		}
		fmt.Fprintf(&b, "message:  none arrived within %s\n", ms(waited))
	}
	if e := st.src.Expect; e != nil && (e.Status != 0 || e.CommandStatus != "" || e.Reason != "") {
		b.WriteString("expected: " + expectation(e) + "\n")
	}
	fmt.Fprintf(&b, "took:     %s", ms(took))
	return b.String()
}

// wire is the step's HTTP call: what the kind declares, or what it sent.
func wire(st *cstep, c *call) (method, path string) {
	if c.method != "" {
		return c.method, c.path
	}
	return st.kind.Method, st.kind.Path
}

// paramText lists the step's evaluated parameters, secrets redacted.
func paramText(st *cstep, c *call) string {
	var parts []string
	for i, p := range st.params {
		if i >= len(c.vals) {
			break
		}
		val := "[redacted]"
		switch x := c.vals[i].(type) {
		case revealer:
		case map[string]any:
			// Headers, forms and JSON bodies of the http kind can carry
			// tokens and passwords under any name: show the keys only.
			val = "{" + strings.Join(sortedKeys(x), ", ") + "} (values not shown)"
		default:
			if !p.secret {
				val = fmt.Sprint(x)
				if len(val) > 80 {
					val = val[:77] + "..."
				}
			}
		}
		parts = append(parts, p.name+"="+val)
	}
	return strings.Join(parts, " ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// expectation says what an expect: asked for in its own words: the zero
// status is any 2xx, the empty command-status is ok, the empty reason any.
func expectation(e *scenario.Expect) string {
	status := "any 2xx"
	if e.Status != 0 {
		status = strconv.Itoa(e.Status)
	}
	cs := e.CommandStatus
	if cs == "" {
		cs = "ok"
	}
	s := "HTTP status " + status + ", command-status " + cs
	if e.Reason != "" {
		s += " with reason " + e.Reason
	}
	return s
}
