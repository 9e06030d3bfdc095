package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/report"
	"github.com/pcflow/pcflow/scenario"
	"github.com/pcflow/pcflow/steps"
)

const testDescription = `Runs each scenario once as an end-to-end test: one virtual user, one
iteration of every workload (setup, vu-setup, the steps, vu-teardown and
teardown), stopping at the first failing step. A directory stands for every
*.yaml and *.yml file under it.

Each scenario gets a line, ✓ or ✗ and its time. A failing one is followed by
a diagnosis to act on: the step and where it is declared (FILE:LINE:COL),
the request (method, path, redacted body), the response status and body,
the awaited WebSocket message or how long it was waited for in vain, and
the expectation that failed. --trace narrates every step the same way.

Target: as for 'pcflow run' — --api/--ws, PRIVICORE_API_URL/PRIVICORE_WS_URL,
or else one built-in simulator (--sim-… knobs) shared by all the scenarios.

--out junit=FILE writes a JUnit XML report for CI: a testcase per step, the
failing one with its diagnosis, the ones after it skipped.

Examples:
  pcflow test --out junit=report.xml scenarios/
  pcflow test --trace scenarios/store-retrieve.yaml
  pcflow test --sim-reject-rate 1 scenarios/negative/    (expect rejections)

Exit codes: 0 every scenario passed; 1 one failed; 2 the command line or a
scenario is wrong (every problem of every file is listed before anything runs).`

func runTest(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("test", "test [flags] SCENARIO.yaml|DIR...", testDescription, std)
	var c commonFlags
	c.define(fs, "test")
	junit := ""
	fs.Func("out", "write a JUnit XML report, a testcase per step, `junit=FILE` (- is stdout)", func(v string) error {
		kind, file, ok := strings.Cut(v, "=")
		if !ok || kind != "junit" || file == "" {
			return fmt.Errorf("want junit=FILE")
		}
		junit = file
		return nil
	})
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := c.finish(fs); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("test: want at least one SCENARIO.yaml or directory (see 'pcflow test --help')")
	}
	paths, err := scenarioPaths(fs.Args())
	if err != nil {
		return err
	}
	scns, err := loadAll(paths)
	if err != nil {
		return err
	}
	tgt, err := c.startTarget(std)
	if err != nil {
		return err
	}
	defer tgt.close()
	failed, ran := 0, 0
	var suites []report.TestSuite
	for _, scn := range scns {
		if ctx.Err() != nil {
			break
		}
		ran++
		suite, ok := testOne(ctx, scn, &c, tgt, std)
		if !ok {
			failed++
		}
		suites = append(suites, suite)
	}
	if junit != "" {
		if err := writeJUnit(junit, suites, std); err != nil {
			return err
		}
	}
	fmt.Fprintf(std.out, "\n%d passed, %d failed", ran-failed, failed)
	if ran < len(scns) {
		fmt.Fprintf(std.out, ", %d not run (interrupted)", len(scns)-ran)
	}
	fmt.Fprintln(std.out)
	switch {
	case ran < len(scns):
		return &runFailed{msg: "test: interrupted"}
	case failed > 0:
		return &runFailed{msg: fmt.Sprintf("test: %d of %s failed", failed, counted(int64(len(scns)), "scenario"))}
	}
	return nil
}

// scenarioPaths expands directories into their *.yaml and *.yml files,
// sorted, and keeps files as given.
func scenarioPaths(args []string) ([]string, error) {
	var paths []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, usagef("test: %v", err)
		}
		if !st.IsDir() {
			paths = append(paths, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				found = append(found, p)
			}
			return err
		})
		if err != nil {
			return nil, usagef("test: %v", err)
		}
		if len(found) == 0 {
			return nil, usagef("test: %s holds no *.yaml or *.yml file", a)
		}
		sort.Strings(found)
		paths = append(paths, found...)
	}
	return paths, nil
}

// loadAll loads every file and reports the problems of all of them
// together, before anything runs.
func loadAll(paths []string) ([]*scenario.Scenario, error) {
	var scns []*scenario.Scenario
	var msgs []string
	for _, p := range paths {
		scn, err := loadScenario(p)
		if err != nil {
			msgs = append(msgs, err.Error())
			continue
		}
		scns = append(scns, scn)
	}
	if len(msgs) > 0 {
		return nil, &usageError{msg: strings.Join(msgs, "\n")}
	}
	return scns, nil
}

// testOne runs one scenario once, prints its line and, when it failed,
// the diagnosis; it reports whether it passed.
func testOne(ctx context.Context, scn *scenario.Scenario, c *commonFlags, tgt *target, std stdio) (report.TestSuite, bool) {
	start := time.Now()
	times := newStepTimes()
	prog, err := steps.Compile(scn, c.stepsOptions(tgt, times, std))
	var res engine.Result
	if err == nil {
		res, err = engine.Run(ctx, scn, prog, engine.Options{Once: true, FailFast: true})
	}
	took := time.Since(start)
	ok := err == nil && res.FirstError == nil && res.StopReason == metrics.StopNormal
	mark := "✓"
	if !ok {
		mark = "✗"
	}
	fmt.Fprintf(std.out, "%s %s  %s  (%s)\n", mark, scn.Name, took.Round(time.Millisecond), scn.File)
	switch {
	case err != nil:
		fmt.Fprintf(std.out, "    %v\n", err)
	case res.FirstError != nil:
		writeDiagnosis(std.out, res.FirstError, res.FirstErrorPhase)
	case !ok:
		fmt.Fprintf(std.out, "    stopped: %s\n", res.StopReason)
	}
	suite := testSuite(scn, res, times, start, took)
	if err != nil {
		suite.Cases = append(suite.Cases, report.TestCase{Step: "compile", Failure: &report.TestFailure{ErrorKind: "other", Message: err.Error()}})
	}
	return suite, ok
}

// writeJUnit writes test mode's JUnit XML ("-" is stdout).
func writeJUnit(file string, suites []report.TestSuite, std stdio) error {
	if file == "-" {
		return report.WriteJUnitTests(std.out, suites)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := report.WriteJUnitTests(f, suites); err != nil {
		f.Close()
		return fmt.Errorf("--out junit=%s: %w", file, err)
	}
	return f.Close()
}

// writeDiagnosis prints a failed step as a QA engineer acts on it.
func writeDiagnosis(w io.Writer, e *engine.StepError, phase string) {
	where := e.Pos
	if where == "" {
		where = "(no position)"
	}
	fmt.Fprintf(w, "    step %s (%s) at %s, in %s", e.Step, e.Kind, where, phase)
	if e.Workload != "" {
		fmt.Fprintf(w, " of workload %s", e.Workload)
	}
	fmt.Fprintf(w, "\n    %s", e.Message)
	if e.ErrorKind != "" {
		fmt.Fprintf(w, " [%s]", e.ErrorKind)
	}
	fmt.Fprintln(w)
	for _, line := range strings.Split(strings.TrimRight(e.Diagnosis, "\n"), "\n") {
		if line != "" {
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
}
