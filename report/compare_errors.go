package report

import (
	"fmt"
	"strconv"
)

// ErrorRow is one step's failure rate in both runs: a build that gets
// faster by failing more must not pass a latency gate.
type ErrorRow struct {
	Metric      string // "step.upload.total"
	Base, New   float64
	BaseN, NewN int64 // samples the rates are of
	Regressed   bool
	RisePoints  float64 // New − Base, a fraction: 0.02 is 2 percentage points
	TooFew      bool    // either run has fewer than MinTail samples
}

// compareErrors fills c.Errors for the step totals both runs measured.
func (c *Comparison) compareErrors() {
	for _, name := range sortedKeys(c.Base.Metrics) {
		b, n := c.Base.Metrics[name], c.New.Metrics[name]
		if !isStepTotal(name) || n == nil || b.Count == 0 || n.Count == 0 {
			continue
		}
		row := ErrorRow{Metric: name, BaseN: b.Count, NewN: n.Count,
			Base: float64(b.Errors) / float64(b.Count), New: float64(n.Errors) / float64(n.Count)}
		row.RisePoints = row.New - row.Base
		row.TooFew = float64(b.Count) < c.Opts.MinTail || float64(n.Count) < c.Opts.MinTail
		row.Regressed = !row.TooFew && row.RisePoints > c.Opts.MaxErrorRise
		c.Errors = append(c.Errors, row)
	}
}

// writeErrors prints the failure-rate rows under the latency table.
func (p *printer) writeErrors(c *Comparison) {
	if len(c.Errors) == 0 {
		return
	}
	p.printf("\n%s\n", p.paint(bold, fmt.Sprintf("%-30s%-7s%8s%8s%9s", "failure rate", "", "base", "new", "change")))
	for _, r := range c.Errors {
		mark := ""
		switch {
		case r.Regressed:
			mark = p.paint(red, " ✗ regression")
		case r.TooFew:
			mark = p.paint(yellow, " ? too few samples")
		}
		p.printf("%-30s%-7s%8s%8s%9s%s\n", clip(r.Metric, 30), "", pct(r.Base), pct(r.New),
			strconv.FormatFloat(roundTo(r.RisePoints*100, 2), 'f', -1, 64)+"pt", mark)
	}
}

func pct(v float64) string { return strconv.FormatFloat(roundTo(v*100, 2), 'f', -1, 64) + "%" }
