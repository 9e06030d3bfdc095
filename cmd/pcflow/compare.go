package main

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/pcflow/pcflow/report"
)

func runCompare(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("compare", "compare [flags] BASE.json NEW.json", `Compares a new run with a baseline, per metric and percentile (p50, p90,
p95, p99, p99.9): the change, marked ✗ where it slowed down by more than
--max-regression, and ? where either run has too few samples beyond the
percentile to say (fewer than --min-tail); then each step's failure rate,
marked ✗ where it rose by more than --max-error-rise. Exits 1 on a
regression, so CI can gate a build on it.

Example:
  pcflow compare main.json branch.json --max-regression 5%`, std)
	maxReg := fs.String("max-regression", "10%", "largest tolerated slow-down of a percentile, as a percentage or a fraction")
	minTail := fs.Float64("min-tail", 10, "samples that must lie beyond a percentile in both runs to judge it")
	minDelta := fs.Duration("min-delta", 0, "smallest absolute slow-down of a percentile that can regress (e.g. 1ms)")
	maxErr := fs.String("max-error-rise", "1%", "largest tolerated rise of a step's failure rate, in percentage points")
	files, err := parseAnywhere(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 2 {
		return usagef("compare: want BASE.json NEW.json, got %d arguments", len(files))
	}
	tol, err := parseFraction(*maxReg)
	if err != nil {
		return usagef("compare: --max-regression %q: %v", *maxReg, err)
	}
	errRise, err := parseFraction(*maxErr)
	if err != nil {
		return usagef("compare: --max-error-rise %q: %v", *maxErr, err)
	}
	base, err := readResult(files[0])
	if err != nil {
		return err
	}
	next, err := readResult(files[1])
	if err != nil {
		return err
	}
	c := report.Compare(base, next, report.CompareOptions{MaxRegression: tol, MinTail: *minTail, MaxErrorRise: errRise, MinDelta: *minDelta})
	if err := report.WriteComparison(std.out, c, report.SummaryOptions{Color: colorOut(std)}); err != nil {
		return err
	}
	if c.Regressed() {
		return errors.New("compare: a percentile or a failure rate regressed beyond its tolerance")
	}
	return nil
}

// parseFraction reads "10%" or "0.1" as 0.1.
func parseFraction(s string) (float64, error) {
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || v < 0 {
		return 0, strconv.ErrSyntax
	}
	if pct {
		v /= 100
	}
	return v, nil
}
