package report

import (
	"sort"
	"strings"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

// displayMaxPoints is how many points a time chart draws at most: a
// percentile of one second's few dozen samples is noise at a glance, and
// 600 points do not fit 700 pixels anyway.
const displayMaxPoints = 150

// displayPoints merges neighbouring points (their histograms, exactly)
// into wider ones until at most displayMaxPoints remain.
func displayPoints(pts []Point, start time.Time) []Point {
	if len(pts) <= displayMaxPoints || pts[0].hist == nil {
		return pts
	}
	width := pts[0].Width
	span := (pts[len(pts)-1].TS-pts[0].TS)/width + 1
	for span > displayMaxPoints {
		width *= 2
		span = (pts[len(pts)-1].TS-pts[0].TS)/width + 1
	}
	se := &series{max: int(span) + 1, width: width}
	for _, p := range pts {
		pt := se.at(p.TS)
		addPacked(pt.hist, p.hist)
		pt.errors += p.Errors
	}
	return se.points(start)
}

// stepMetrics lists the run's step totals in scenario order (workloads in
// order, each workload's steps in order, each metric once).
func stepMetrics(r *Result) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range r.Workloads {
		for _, s := range w.Steps {
			for _, name := range []string{metrics.StepMetric(s, metrics.PhaseTotal), "group." + s} {
				if r.Metrics[name] != nil && !seen[name] {
					seen[name] = true
					out = append(out, name)
				}
			}
		}
	}
	return out
}

// latencyChart is one metric's p50 / p90 / p99 over time.
func latencyChart(r *Result, metric string) lineChart {
	c := lineChart{ID: "latency:" + metric, Title: metric + " — latency over time",
		XLabel: func(x float64) string { return clock(secondsDur(x)) }, YLabel: formatMs, XTime: true,
		XSpan: [2]float64{0, r.DurationS}}
	pts := displayPoints(r.Series[metric], r.StartedAt)
	p50, p90, p99 := lineSeries{Name: "p50"}, lineSeries{Name: "p90"}, lineSeries{Name: "p99"}
	for _, p := range pts {
		c.X = append(c.X, p.T+float64(p.Width)/2) // a point stands for its interval's middle
		p50.Y, p90.Y, p99.Y = append(p50.Y, p.P50Ms), append(p90.Y, p.P90Ms), append(p99.Y, p.P99Ms)
	}
	if len(pts) > 0 {
		c.Series = []lineSeries{p50, p90, p99}
	}
	return c
}

// throughputChart is iterations per second and failed steps per second.
func throughputChart(r *Result) lineChart {
	c := lineChart{ID: "throughput", Title: "throughput and errors over time",
		XLabel: func(x float64) string { return clock(secondsDur(x)) }, XTime: true,
		XSpan:  [2]float64{0, r.DurationS},
		YLabel: func(y float64) string { return formatRate(y) + "/s" }}
	type acc struct {
		t, width    float64
		iters, errs int64
	}
	byTS := map[int64]*acc{}
	get := func(p Point) *acc {
		a, ok := byTS[p.TS]
		if !ok {
			a = &acc{t: p.T, width: float64(p.Width)}
			byTS[p.TS] = a
		}
		return a
	}
	for _, p := range displayPoints(r.Series[metrics.MetricIteration], r.StartedAt) {
		get(p).iters += p.Count
	}
	for name, pts := range r.Series {
		if isStepTotal(name) {
			for _, p := range displayPoints(pts, r.StartedAt) {
				get(p).errs += p.Errors
			}
		}
	}
	keys := make([]int64, 0, len(byTS))
	for k := range byTS {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	it, errs := lineSeries{Name: "iterations/s"}, lineSeries{Name: "failed steps/s", Class: "err"}
	for _, k := range keys {
		a := byTS[k]
		c.X = append(c.X, a.t+a.width/2)
		it.Y = append(it.Y, float64(a.iters)/a.width)
		errs.Y = append(errs.Y, float64(a.errs)/a.width)
	}
	if len(keys) > 0 {
		c.Series = []lineSeries{it, errs}
	}
	return c
}

// spectrumPercentiles are the x values of the percentile spectrum.
func spectrumPercentiles() []float64 {
	return []float64{0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99}
}

// spectrumChart is each step's latency at every percentile, the x axis
// log-scaled as 1/(1−q) so that the tail (99 %, 99.9 %, 99.99 %) gets as
// much room as the median: HdrHistogram's classic plot. The y axis is by
// decades too: one step's 100 µs and another's 1 s both stay readable.
func spectrumChart(r *Result, steps []string) lineChart {
	c := lineChart{ID: "spectrum", Title: "latency by percentile (both axes log scale)", XLog: true, YLog: true,
		XLabel: func(x float64) string { return trimFloat(roundTo(100*(1-1/x), 2)) + "%" },
		XTicks: []float64{1, 10, 100, 1000, 10000}, YLabel: formatMs}
	for _, q := range spectrumPercentiles() {
		c.X = append(c.X, 1/(1-q/100))
	}
	shown := slowest(r, steps, maxSeriesColours)
	for _, name := range shown {
		m := r.Metrics[name]
		s := lineSeries{Name: strings.TrimSuffix(strings.TrimPrefix(name, "step."), ".total")}
		for _, q := range spectrumPercentiles() {
			s.Y = append(s.Y, float64(m.Quantile(q).Microseconds())/1000)
		}
		c.Series = append(c.Series, s)
	}
	if len(steps) > len(shown) {
		c.Title += " — the " + itoa(len(shown)) + " slowest steps by p99"
	}
	return c
}

// slowest keeps the n metrics with the highest p99, in their given order.
func slowest(r *Result, names []string, n int) []string {
	if len(names) <= n {
		return names
	}
	byP99 := append([]string(nil), names...)
	sort.SliceStable(byP99, func(i, j int) bool { return r.Metrics[byP99[i]].P99Ms > r.Metrics[byP99[j]].P99Ms })
	keep := map[string]bool{}
	for _, name := range byP99[:n] {
		keep[name] = true
	}
	var out []string
	for _, name := range names {
		if keep[name] {
			out = append(out, name)
		}
	}
	return out
}

// splitRows are the async steps and the async inner operations of
// composite steps (those with an ack half): p50 and p95 of each half.
func splitRows(r *Result) []splitRow {
	var rows []splitRow
	add := func(label, base string) {
		h, a := r.Metrics[base+"."+metrics.PhaseHTTP], r.Metrics[base+"."+metrics.PhaseAck]
		if h != nil && a != nil {
			rows = append(rows, splitRow{Step: label, Pcts: []string{"p50", "p95"},
				HTTP: []float64{h.P50Ms, h.P95Ms}, Ack: []float64{a.P50Ms, a.P95Ms}})
		}
	}
	for _, name := range stepMetrics(r) {
		step := strings.TrimSuffix(strings.TrimPrefix(name, "step."), ".total")
		add(step, "step."+step)
		for _, inner := range sortedKeys(r.Metrics) {
			rest, ok := strings.CutPrefix(inner, "step."+step+".")
			if op, isTotal := strings.CutSuffix(rest, "."+metrics.PhaseTotal); ok && isTotal && !strings.ContainsAny(op, ".{") {
				add(step+" › "+op, "step."+step+"."+op)
			}
		}
	}
	return rows
}

func itoa(n int) string { return trimFloat(float64(n)) }

// secondsDur turns a chart's x (seconds) into a duration.
func secondsDur(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
