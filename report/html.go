package report

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

// The page's template, style and script are embedded files, so the HTML is
// one self-contained document: no CDN, no fonts, no network.
var (
	//go:embed html/page.html
	pageHTML string
	//go:embed html/page.css
	pageCSS string
	//go:embed html/page.js
	pageJS string
)

// htmlPage is what the template renders.
type htmlPage struct {
	R          *Result
	Title      string
	Started    string
	Duration   string
	Passed     bool
	CSS        template.CSS
	JS         template.JS
	Thresholds []htmlThreshold
	Tables     []htmlTable
	Counters   []htmlCounter
	Charts     []template.HTML // the time charts
	Spectrum   template.HTML
	Split      template.HTML
}

type htmlThreshold struct {
	OK                 bool
	Name, Expr, Value  string
	NoData, AbortOnErr bool
}

type htmlTable struct {
	Workload string
	Rows     []htmlRow
}

type htmlRow struct {
	Label, Count, Rate, Failed string
	Kinds                      string // the failures by kind, shown on hover
	Stats                      []string
	Sub                        bool // an http / ack half or an inner operation
}

type htmlCounter struct {
	Name  string
	Value string
	Bad   bool
}

// WriteHTML writes the self-contained HTML report: run facts, thresholds,
// the per-step table, and the charts (latency percentiles over time,
// throughput and errors over time, the percentile spectrum, the http vs
// ack split).
func WriteHTML(w io.Writer, r *Result) error {
	t, err := template.New("page").Parse(pageHTML)
	if err != nil {
		return err
	}
	return t.Execute(w, buildPage(r))
}

func buildPage(r *Result) htmlPage {
	p := htmlPage{R: r, Title: "pcflow · " + r.Scenario, Passed: r.Passed(),
		Started:  r.StartedAt.UTC().Format(time.RFC3339),
		Duration: FormatDuration(r.Duration()),
		CSS:      template.CSS(pageCSS), JS: template.JS(pageJS)} // our own embedded files
	for _, t := range r.Thresholds {
		p.Thresholds = append(p.Thresholds, htmlThreshold{OK: t.OK, Name: t.Name(), Expr: t.Expr(),
			Value: t.Value(), NoData: t.NoData, AbortOnErr: t.Threshold.AbortOnFail})
	}
	for _, wl := range r.Workloads {
		p.Tables = append(p.Tables, htmlTableOf(r, wl))
	}
	for _, c := range metrics.Counters() {
		n := r.Counters.Get(c)
		bad := n > 0 && (c == metrics.AcksRejected || c == metrics.AcksTimeout || c == metrics.ChecksFailed ||
			c == metrics.DroppedIterations || c == metrics.AcksOrphan || c == metrics.AcksDuplicate)
		v := strconv.FormatInt(n, 10)
		if c == metrics.BytesSent || c == metrics.BytesReceived {
			v = formatBytes(n)
		}
		p.Counters = append(p.Counters, htmlCounter{Name: c.String(), Value: v, Bad: bad})
	}
	for _, k := range metrics.ErrorKinds() {
		if n := r.Counters.ErrorCount(k); n > 0 {
			p.Counters = append(p.Counters, htmlCounter{Name: "errors." + k.String(), Value: strconv.FormatInt(n, 10), Bad: true})
		}
	}
	steps := stepMetrics(r)
	p.Charts = append(p.Charts, template.HTML(throughputChart(r).render()))
	for _, name := range append(steps, metrics.MetricIteration) {
		if len(r.Series[name]) > 0 {
			p.Charts = append(p.Charts, template.HTML(latencyChart(r, name).render()))
		}
	}
	p.Spectrum = template.HTML(spectrumChart(r, steps).render())
	p.Split = template.HTML(renderSplit("split", "http vs ack per async step (p50, p95)", splitRows(r)))
	return p
}

// htmlTableOf is the summary's table of one workload.
func htmlTableOf(r *Result, wl Workload) htmlTable {
	key := func(metric string) string {
		if len(r.Workloads) > 1 {
			return TaggedName(metric, wl.Name)
		}
		return metric
	}
	t := htmlTable{Workload: wl.Name}
	add := func(label, k string, sub bool) {
		if m := r.Metrics[k]; m != nil {
			t.Rows = append(t.Rows, htmlRowOf(r, label, m, sub))
		}
	}
	for _, s := range wl.Steps {
		add(s, key(metrics.StepMetric(s, metrics.PhaseTotal)), false)
		add(s+" (group)", key("group."+s), false)
		if r.Metrics[key(metrics.StepMetric(s, metrics.PhaseAck))] != nil {
			add("http", key(metrics.StepMetric(s, metrics.PhaseHTTP)), true)
			add("ack", key(metrics.StepMetric(s, metrics.PhaseAck)), true)
		}
		for _, name := range sortedKeys(r.Metrics) { // a composite's inner operations
			rest, ok := strings.CutPrefix(name, "step."+s+".")
			if inner, isTotal := strings.CutSuffix(rest, "."+metrics.PhaseTotal); ok && isTotal && !strings.ContainsAny(inner, ".{") {
				add(inner, key(name), true)
			}
		}
	}
	add("iteration", key(metrics.MetricIteration), false)
	add("schedule lag", key(metrics.MetricScheduleLag), false)
	return t
}

func htmlRowOf(r *Result, label string, m *Metric, sub bool) htmlRow {
	rate := 0.0
	if r.DurationS > 0 {
		rate = float64(m.Count) / r.DurationS
	}
	row := htmlRow{Label: label, Count: formatCount(m.Count), Rate: formatRate(rate), Sub: sub}
	if m.Errors > 0 {
		row.Failed = formatCount(m.Errors) + " (" + percent(m.Errors, m.Count) + ")"
		row.Kinds = kindsText(m.ErrorKinds)
	}
	for _, v := range []float64{m.MinMs, m.P50Ms, m.P90Ms, m.P95Ms, m.P99Ms, m.P999Ms, m.MaxMs} {
		row.Stats = append(row.Stats, formatMs(v))
	}
	return row
}
