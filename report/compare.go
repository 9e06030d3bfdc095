package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

// CompareOptions set the tolerance of Compare.
type CompareOptions struct {
	// MaxRegression is the largest tolerated relative increase of a
	// percentile, 0.10 for "10%"; zero means 10 %.
	MaxRegression float64
	// MinTail is how many samples must lie beyond a percentile in both runs
	// for its change to mean anything (p99 of 300 samples is decided by 3
	// of them); zero means 10. Rows below it are flagged, never regressions.
	MinTail float64
	// MaxErrorRise is the largest tolerated rise of a step's failure rate,
	// in points as a fraction: 0.01 for one percentage point; zero means 1
	// point (set 1e-9 to tolerate none).
	MaxErrorRise float64
	// MinDelta is the smallest absolute slow-down that can regress: with
	// 1ms, a p50 of 0.4 → 0.6 ms (+50 %) is noise, not a regression. Zero
	// means any change beyond MaxRegression counts.
	MinDelta time.Duration
}

// Comparison is a baseline run against a new one, per metric and
// percentile.
type Comparison struct {
	Base, New *Result
	Opts      CompareOptions
	Rows      []CompareRow
	Errors    []ErrorRow // each step's failure rate
}

// CompareRow is one metric's percentile in both runs.
type CompareRow struct {
	Metric    string
	Stat      string // "p50", …, "p99.9"
	Base, New time.Duration
	// Change is (New − Base) / Base; +0.25 is 25 % slower.
	Change float64
	// TooFew is set when either run has too few samples beyond the
	// percentile to judge it.
	TooFew    bool
	Regressed bool
}

// comparedPercentiles are the percentiles Compare looks at.
func comparedPercentiles() []float64 { return []float64{50, 90, 95, 99, 99.9} }

// Compare compares every latency metric both runs measured (over all
// workloads) at p50, p90, p95, p99 and p99.9.
func Compare(base, new *Result, opts CompareOptions) *Comparison {
	if opts.MaxRegression <= 0 {
		opts.MaxRegression = 0.10
	}
	if opts.MinTail <= 0 {
		opts.MinTail = 10
	}
	if opts.MaxErrorRise <= 0 {
		opts.MaxErrorRise = 0.01
	}
	c := &Comparison{Base: base, New: new, Opts: opts}
	for _, name := range sortedKeys(base.Metrics) {
		// schedule_lag is the generator's lateness, not the target's speed.
		if _, w := splitTagged(name); w != "" || new.Metrics[name] == nil || name == metrics.MetricScheduleLag {
			continue
		}
		b, n := base.Metrics[name], new.Metrics[name]
		if b.Count == 0 || n.Count == 0 {
			continue
		}
		for _, p := range comparedPercentiles() {
			c.Rows = append(c.Rows, compareAt(name, p, b, n, opts))
		}
	}
	c.compareErrors()
	return c
}

func compareAt(name string, p float64, b, n *Metric, opts CompareOptions) CompareRow {
	row := CompareRow{Metric: name, Stat: "p" + trimFloat(p), Base: b.Quantile(p), New: n.Quantile(p)}
	if row.Base > 0 {
		row.Change = float64(row.New-row.Base) / float64(row.Base)
	} else if row.New > 0 {
		row.Change = math.Inf(1)
	}
	tail := func(count int64) float64 { return float64(count) * (100 - p) / 100 }
	row.TooFew = tail(b.Count) < opts.MinTail || tail(n.Count) < opts.MinTail
	row.Regressed = !row.TooFew && row.Change > opts.MaxRegression && row.New-row.Base >= opts.MinDelta
	return row
}

func trimFloat(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%g", v), ".0") }

// Regressed reports whether any percentile or failure rate regressed
// beyond its tolerance.
func (c *Comparison) Regressed() bool {
	for _, r := range c.Rows {
		if r.Regressed {
			return true
		}
	}
	for _, r := range c.Errors {
		if r.Regressed {
			return true
		}
	}
	return false
}

// WriteComparison writes the comparison as a table within 80 columns:
// metric, percentile, base, new, change and a mark — "✗" a regression,
// "?" too few samples to say — then each step's failure rate.
func WriteComparison(w io.Writer, c *Comparison, opts SummaryOptions) error {
	p := &printer{w: w, color: opts.Color}
	p.printf("%s\nbase %s (%s)  new %s (%s)  tolerance +%s\n\n", p.paint(bold, "pcflow compare "+c.New.Scenario),
		c.Base.StartedAt.Format("2006-01-02 15:04Z"), FormatDuration(c.Base.Duration()),
		c.New.StartedAt.Format("2006-01-02 15:04Z"), FormatDuration(c.New.Duration()),
		trimFloat(c.Opts.MaxRegression*100)+"%")
	p.printf("%s\n", p.paint(bold, fmt.Sprintf("%-30s%-7s%8s%8s%9s", "metric", "stat", "base", "new", "change")))
	last := ""
	for _, r := range c.Rows {
		name := ""
		if r.Metric != last {
			name, last = clip(r.Metric, 30), r.Metric
		}
		mark := ""
		switch {
		case r.Regressed:
			mark = p.paint(red, " ✗ regression")
		case r.TooFew:
			mark = p.paint(yellow, " ? too few samples")
		}
		p.printf("%-30s%-7s%8s%8s%9s%s\n", name, r.Stat, FormatDuration(r.Base), FormatDuration(r.New),
			formatChange(r.Change), mark)
	}
	p.writeErrors(c)
	if c.Regressed() {
		p.printf("\n%s\n", p.paint(red, "regression beyond the tolerance"))
	} else {
		p.printf("\n%s\n", p.paint(green, "no regression beyond the tolerance"))
	}
	return p.err
}

func formatChange(v float64) string {
	if math.IsInf(v, 1) {
		return "new"
	}
	return fmt.Sprintf("%+.1f%%", v*100)
}
