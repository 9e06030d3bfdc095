package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pcflow/pcflow/report"
)

func runReport(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("report", "report RESULT.json --out KIND=FILE...", `Re-renders a saved JSON result (from 'pcflow run --out json=FILE' or
'pcflow merge') in another format. Without --out it prints the end summary.

Kinds: json, html (one self-contained file, opens offline), junit (a testcase
per threshold), csv (the time series, one row per metric per point), text
(the summary). FILE "-" is standard output.

Example:
  pcflow report result.json --out html=report.html --out junit=junit.xml`, std)
	var outs outputList
	fs.Var(&outs, "out", "write KIND=FILE (repeatable); KIND is json, html, junit, csv or text")
	files, err := parseAnywhere(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usagef("report: want one RESULT.json, got %d arguments (see 'pcflow report --help')", len(files))
	}
	r, err := readResult(files[0])
	if err != nil {
		return err
	}
	if len(outs) == 0 {
		return report.WriteSummary(std.out, r, report.SummaryOptions{Color: colorOut(std)})
	}
	return writeOutputs(outs, r, std)
}

// outputList is a repeatable --out KIND=FILE flag.
type outputList []report.Output

func (l *outputList) String() string {
	parts := make([]string, len(*l))
	for i, o := range *l {
		parts[i] = o.Kind + "=" + o.Path
	}
	return strings.Join(parts, ",")
}

func (l *outputList) Set(s string) error {
	o, err := report.ParseOutput(s)
	if err != nil {
		return err
	}
	*l = append(*l, o)
	return nil
}

// readResult decodes a JSON result file.
func readResult(path string) (*report.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("%v", err)
	}
	defer f.Close()
	r, err := report.DecodeJSON(f)
	if err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	return r, nil
}

// writeOutputs renders r once per --out; "-" is standard output.
func writeOutputs(outs []report.Output, r *report.Result, std stdio) error {
	for _, o := range outs {
		if err := writeOutput(o, r, std.out); err != nil {
			return fmt.Errorf("--out %s=%s: %w", o.Kind, o.Path, err)
		}
	}
	return nil
}

func writeOutput(o report.Output, r *report.Result, stdout io.Writer) error {
	if o.Path == "-" {
		return report.Render(stdout, o.Kind, r)
	}
	f, err := os.Create(o.Path)
	if err != nil {
		return err
	}
	if err := report.Render(f, o.Kind, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// colorOut reports whether std.out is a terminal that takes colour
// (NO_COLOR unset).
func colorOut(std stdio) bool {
	f, ok := std.out.(*os.File)
	return ok && report.UseColor(f, os.Getenv)
}

// parseAnywhere parses flags that may come before, between or after the
// positional arguments ("pcflow report RESULT.json --out html=FILE"), which
// the flag package alone stops at, and returns the positional ones.
func parseAnywhere(fs *flagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil // everything after "--" is positional
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// startMetrics serves --metrics-addr during a run (nil when addr is ""):
// the aggregator's live histograms and counters, and the engine's VU
// counts as gauges. Close the server after the summary.
func startMetrics(addr string, agg *report.Aggregator, vus, maxVUs func() int) (*report.MetricsServer, error) {
	if addr == "" {
		return nil, nil
	}
	gauge := func(name, help string, f func() int) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return float64(f()) })
	}
	srv, err := report.ServeMetrics(addr, agg,
		gauge("pcflow_vus", "VUs running now.", vus), gauge("pcflow_vus_max", "The most VUs the run may use.", maxVUs))
	if err != nil {
		return nil, usagef("--metrics-addr %s: %v", addr, err)
	}
	return srv, nil
}
