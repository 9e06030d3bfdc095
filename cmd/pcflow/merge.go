package main

import (
	"context"
	"errors"

	"github.com/pcflow/pcflow/report"
)

func runMerge(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("merge", "merge RESULT.json... --out json=FILE", `Combines the JSON results of the shards of one run (each started with
--segment i/n) into the result one process would have produced: histograms
added, counters summed, time series aligned by wall-clock time, thresholds
evaluated again on the merged data. Results of different scenarios, or
shards whose segments overlap, are refused.

Prints the merged summary; exits 1 when a merged threshold fails.

Example:
  pcflow merge shard-1.json shard-2.json shard-3.json --out json=run.json --out html=run.html`, std)
	var outs outputList
	fs.Var(&outs, "out", "write KIND=FILE (repeatable); KIND is json, html, junit, csv or text")
	quiet := fs.Bool("quiet", false, "do not print the summary")
	files, err := parseAnywhere(fs, args)
	if err != nil {
		return err
	}
	if len(files) < 1 {
		return usagef("merge: want one or more RESULT.json (see 'pcflow merge --help')")
	}
	var rs []*report.Result
	for _, path := range files {
		r, err := readResult(path)
		if err != nil {
			return err
		}
		rs = append(rs, r)
	}
	m, err := report.Merge(rs...)
	if err != nil {
		return usagef("%v", err)
	}
	if err := writeOutputs(outs, m, std); err != nil {
		return err
	}
	if !*quiet {
		if err := report.WriteSummary(std.out, m, report.SummaryOptions{Color: colorOut(std)}); err != nil {
			return err
		}
	}
	if !m.Passed() {
		return errors.New("merge: a threshold failed on the merged result")
	}
	return nil
}
