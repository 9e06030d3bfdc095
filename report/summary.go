package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/pcflow/pcflow/metrics"
)

// SummaryOptions control the end-of-run summary.
type SummaryOptions struct {
	// Color adds ANSI colours; set it only for a terminal without NO_COLOR
	// (see UseColor).
	Color bool
}

// Column widths of the summary table: 18 + 6 + 7 + 7×7 = 80 columns.
const (
	nameWidth  = 18
	countWidth = 6 // "12.3M" and a space
	statWidth  = 7
)

// WriteSummary writes the plain end-of-run summary: run facts, per
// workload and step the latency table (the http / ack split under each
// async step), counters, checks, thresholds with ✓/✗, the stop reason and
// warnings.
func WriteSummary(w io.Writer, r *Result, opts SummaryOptions) error {
	p := &printer{w: w, color: opts.Color}
	p.header(r)
	for _, wl := range r.Workloads {
		p.workload(r, wl)
	}
	p.otherMetrics(r)
	p.counters(r.Counters)
	p.thresholds(r.Thresholds)
	p.stop(r)
	p.warnings(r.Warnings)
	return p.err
}

// printer accumulates the first write error, so the sections read as
// plain prints.
type printer struct {
	w     io.Writer
	color bool
	err   error
	shown map[string]bool // metric keys already in a table
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// paint wraps s in an ANSI colour when colour is on.
func (p *printer) paint(code, s string) string {
	if !p.color {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

const (
	bold   = "1"
	dim    = "2"
	red    = "31"
	green  = "32"
	yellow = "33"
)

func (p *printer) header(r *Result) {
	seg := ""
	if r.Segment != "" && r.Segment != "0/1" { // a shard says which; a whole run needs no word on it
		seg = " · segment " + r.Segment
	}
	p.printf("%s\nstarted %s · ran %s%s · stop: %s\n\n", p.paint(bold, "pcflow "+r.Scenario),
		r.StartedAt.Format("2006-01-02 15:04:05Z"), FormatDuration(r.Duration()), seg, r.StopReason)
}

func (p *printer) tableHead(title string) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s%*s%*s", nameWidth, clip(title, nameWidth), countWidth, "count", statWidth, "rate/s")
	for _, h := range []string{"min", "p50", "p90", "p95", "p99", "p99.9", "max"} {
		fmt.Fprintf(&b, "%*s", statWidth, h)
	}
	p.printf("%s\n", p.paint(bold, b.String()))
}

// row prints one metric's line, if it was measured.
func (p *printer) row(r *Result, label, key string) {
	m := r.Metrics[key]
	if m == nil {
		return
	}
	p.markShown(key)
	rate := 0.0
	if r.DurationS > 0 {
		rate = float64(m.Count) / r.DurationS
	}
	p.printf("%-*s%*s%*s", nameWidth, clipLabel(label, nameWidth), countWidth, formatCount(m.Count),
		statWidth, formatRate(rate))
	for _, v := range []float64{m.MinMs, m.P50Ms, m.P90Ms, m.P95Ms, m.P99Ms, m.P999Ms, m.MaxMs} {
		p.printf("%*s", statWidth, formatMs(v))
	}
	p.printf("\n")
}

func (p *printer) workload(r *Result, wl Workload) {
	key := func(metric string) string {
		if len(r.Workloads) > 1 {
			return TaggedName(metric, wl.Name)
		}
		return metric
	}
	p.tableHead(wl.Name)
	var failed []string
	groups := false
	for _, step := range wl.Steps {
		if m := r.Metrics[key(metrics.StepMetric(step, metrics.PhaseTotal))]; m != nil && m.Errors > 0 {
			failed = append(failed, fmt.Sprintf("%s %d of %d (%s): %s", step, m.Errors, m.Count,
				percent(m.Errors, m.Count), kindsText(m.ErrorKinds)))
		}
		label := "  " + step
		if r.Metrics[key("group."+step)] != nil {
			p.row(r, "  ["+step+"]", key("group."+step)) // brackets: a group, survives clipping
			groups = true
			continue
		}
		p.row(r, label, key(metrics.StepMetric(step, metrics.PhaseTotal)))
		httpKey := key(metrics.StepMetric(step, metrics.PhaseHTTP))
		if r.Metrics[key(metrics.StepMetric(step, metrics.PhaseAck))] != nil {
			p.row(r, "      http", httpKey)
			p.row(r, "      ack", key(metrics.StepMetric(step, metrics.PhaseAck)))
		}
		// A synchronous step's http is its total: not worth a second row.
		p.markShown(httpKey)
		p.innerRows(r, step, key)
	}
	p.row(r, "  iteration", key(metrics.MetricIteration))
	p.row(r, "  schedule lag", key(metrics.MetricScheduleLag))
	if groups {
		p.printf("  %s\n", p.paint(dim, "[name] is a group: its steps timed as one"))
	}
	for _, f := range failed { // one line each: kinds make them long
		p.printf("  %s %s\n", p.paint(red, "failed:"), f)
	}
	p.printf("\n")
}

// innerRows shows a composite step's inner operations
// ("step.onboard.register.total" → "    register"), each by its total.
func (p *printer) innerRows(r *Result, step string, key func(string) string) {
	prefix := "step." + step + "."
	for _, name := range sortedKeys(r.Metrics) {
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok || !strings.Contains(rest, ".") || name != key(name[:len(name)-len(suffixTag(name))]) {
			continue
		}
		if inner, ok := strings.CutSuffix(strings.TrimSuffix(rest, suffixTag(name)), "."+metrics.PhaseTotal); ok {
			p.row(r, "    "+inner, name)
			continue
		}
		p.markShown(name) // an inner operation's http / ack: its total stands for it
	}
}

// suffixTag is the "{workload:…}" part of a metric key, or "".
func suffixTag(name string) string {
	if i := strings.Index(name, "{"); i >= 0 {
		return name[i:]
	}
	return ""
}

// otherMetrics lists untagged metrics no workload table showed (a step
// recorded without its step tag, say), so that nothing measured is hidden.
func (p *printer) otherMetrics(r *Result) {
	var rest []string
	for _, name := range sortedKeys(r.Metrics) {
		if _, w := splitTagged(name); w == "" && !p.shown[name] && !p.shownTagged(r, name) {
			rest = append(rest, name)
		}
	}
	if len(rest) == 0 {
		return
	}
	p.tableHead("other")
	for _, name := range rest {
		p.row(r, "  "+name, name)
	}
	p.printf("\n")
}

// shownTagged reports whether a per-workload copy of metric was shown.
func (p *printer) shownTagged(r *Result, metric string) bool {
	for _, wl := range r.Workloads {
		if p.shown[TaggedName(metric, wl.Name)] {
			return true
		}
	}
	return false
}

// kindsText lists error kinds by count, most first: "ack_timeout 10,
// http_5xx 5".
func kindsText(kinds map[string]int64) string {
	names := sortedKeys(kinds)
	sort.SliceStable(names, func(i, j int) bool { return kinds[names[i]] > kinds[names[j]] })
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + " " + strconv.FormatInt(kinds[k], 10)
	}
	return strings.Join(parts, ", ")
}

func (p *printer) markShown(key string) {
	if p.shown == nil {
		p.shown = map[string]bool{}
	}
	p.shown[key] = true
}

// percent shows part/all as a percentage with 2 significant decimals.
func percent(part, all int64) string {
	if all == 0 {
		return "0%"
	}
	return strconv.FormatFloat(roundTo(100*float64(part)/float64(all), 2), 'f', -1, 64) + "%"
}

// clipLabel fits an indented row label into n columns (one kept for the
// gap) by cutting the middle of the name, so that "register-profile" and
// "register-public-key" stay distinguishable: "register…ofile",
// "register…c-key".
func clipLabel(label string, n int) string {
	r := []rune(label)
	if len(r) <= n-1 {
		return label
	}
	indent := len(r) - len([]rune(strings.TrimLeft(label, " ")))
	name := r[indent:]
	keep := n - 1 - indent - 1 // columns for the name, less the ellipsis
	head := (keep + 1) / 2
	return string(r[:indent]) + string(name[:head]) + "…" + string(name[len(name)-(keep-head):])
}

// clip cuts s to n columns (one kept for the gap) with an ellipsis.
func clip(s string, n int) string {
	if len([]rune(s)) <= n-1 {
		return s
	}
	return string([]rune(s)[:n-2]) + "…"
}

func formatMs(v float64) string {
	return FormatDuration(fromMicros(int64(v*1000 + 0.5)))
}
