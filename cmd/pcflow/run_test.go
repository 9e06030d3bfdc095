package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/report"
)

// TestMain lets the test binary act as pcflow itself, so that a test can
// run it as a subprocess and send it real signals.
func TestMain(m *testing.M) {
	if os.Getenv("PCFLOW_TEST_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// writeFile writes a scenario (or anything) into dir and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runResult runs pcflow in-process with a deadline, with --out json into
// a temporary file, and returns the exit code, stdout, stderr and the
// decoded result (nil when none was written).
func runResult(t *testing.T, args ...string) (int, string, string, *report.Result) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "result.json")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var o, e bytes.Buffer
	full := append([]string{"run", "--quiet", "--out", "json=" + out}, args...)
	code := run(ctx, full, stdio{out: &o, err: &e})
	f, err := os.Open(out)
	if err != nil {
		return code, o.String(), e.String(), nil
	}
	defer f.Close()
	rr, err := report.DecodeJSON(f)
	if err != nil {
		t.Fatalf("decoding the result: %v", err)
	}
	return code, o.String(), e.String(), rr
}

const healthStep = "steps:\n  - http: {method: GET, path: /health}\n"

// TestEachExecutorAppliesItsLoadToTheSimulator runs every executor against
// the embedded simulator (acks at once) and checks the counts its
// schedule implies: exact for the iteration-count and arrival-rate models,
// within the bounds that sleep: 50ms imposes for the time-bound ones.
func TestEachExecutorAppliesItsLoadToTheSimulator(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, load string
		min, max   int64 // iterations (+ dropped, for the arrival-rate models)
		sleep      bool
	}{
		{"per-vu-iterations", "{executor: per-vu-iterations, vus: 3, iterations: 4}", 12, 12, false},
		{"shared-iterations", "{executor: shared-iterations, vus: 3, iterations: 10}", 10, 10, false},
		{"constant-vus", "{executor: constant-vus, vus: 2, duration: 1s}", 2, 40, true},
		{"ramping-vus", "{executor: ramping-vus, start-vus: 0, stages: [{duration: 500ms, target: 2}, {duration: 500ms, target: 0}], graceful-ramp-down: 1s}", 1, 22, true},
		{"constant-arrival-rate", "{executor: constant-arrival-rate, rate: 20/s, duration: 1s, pre-allocated-vus: 5, max-vus: 10}", 20, 20, false},
		{"ramping-arrival-rate", "{executor: ramping-arrival-rate, stages: [{duration: 1s, target: 40}], pre-allocated-vus: 5, max-vus: 10}", 20, 20, false},
	} {
		steps := healthStep
		if tc.sleep {
			steps += "  - sleep: 50ms\n"
		}
		path := writeFile(t, dir, tc.name+".yaml", "name: "+tc.name+"\nload: "+tc.load+"\n"+steps)
		code, _, errOut, rr := runResult(t, "--sim-ack-latency", "0s", path)
		if code != exitOK || rr == nil {
			t.Errorf("%s: exit %d\n%s", tc.name, code, errOut)
			continue
		}
		its, dropped := rr.Counters.Get(metrics.Iterations), rr.Counters.Get(metrics.DroppedIterations)
		if its+dropped < tc.min || its+dropped > tc.max || rr.Counters.Get(metrics.Requests) != its || rr.StopReason != metrics.StopNormal {
			t.Errorf("%s: %d iterations + %d dropped, %d requests, stop %s; want %d..%d, a request each, normal",
				tc.name, its, dropped, rr.Counters.Get(metrics.Requests), rr.StopReason, tc.min, tc.max)
		}
	}
}

// TestSegmentsAddUpToTheUnsegmentedRun: 3 segments of a shared-iterations
// and of an arrival-rate scenario run exactly the iterations of the whole.
func TestSegmentsAddUpToTheUnsegmentedRun(t *testing.T) {
	dir := t.TempDir()
	for _, load := range []string{
		"{executor: shared-iterations, vus: 2, iterations: 31}",
		"{executor: constant-arrival-rate, rate: 31/s, duration: 1s, pre-allocated-vus: 4, max-vus: 8}",
	} {
		path := writeFile(t, dir, "s.yaml", "name: seg\nload: "+load+"\n"+healthStep)
		count := func(args ...string) (int64, string) {
			code, _, errOut, rr := runResult(t, append([]string{"--sim-ack-latency", "0s"}, append(args, path)...)...)
			if code != exitOK || rr == nil {
				t.Fatalf("%s %v: exit %d\n%s", load, args, code, errOut)
			}
			return rr.Counters.Get(metrics.Iterations) + rr.Counters.Get(metrics.DroppedIterations), rr.Segment
		}
		whole, _ := count()
		sum := int64(0)
		for i := 0; i < 3; i++ {
			n, seg := count("--segment", []string{"0/3", "1/3", "2/3"}[i])
			if want := []string{"0/3", "1/3", "2/3"}[i]; seg != want {
				t.Errorf("%s: result segment %q, want %q", load, seg, want)
			}
			sum += n
		}
		if whole != 31 || sum != whole {
			t.Errorf("%s: whole %d, segments sum to %d; want 31 both", load, whole, sum)
		}
	}
}

// TestTestModeDiagnosesTheFailingScenario: 'pcflow test DIR' with one
// passing and one failing scenario prints ✓ and ✗ lines, and the failing
// one's diagnosis names the step's file:line, the expectation and the
// response; exit 1. The JUnit report has the failure and skips the step
// after it.
func TestTestModeDiagnosesTheFailingScenario(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a-pass.yaml", "name: passes\n"+healthStep)
	fail := writeFile(t, dir, "b-fail.yaml", "name: fails\nsteps:\n  - http: {method: GET, path: /health}\n"+
		"  - http: {method: GET, path: /health, expect: {status: 201}}\n  - sleep: 1ms\n")
	junit := filepath.Join(t.TempDir(), "junit.xml")
	code, out, errOut := runCLI(t, "test", "--quiet", "--sim-ack-latency", "0s", "--out", "junit="+junit, dir)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"✓ passes", "✗ fails", fail + ":4:5", "201", "HTTP 200", "1 passed, 1 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	xml, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`tests="4" failures="1"`, `skipped="1"`, fail + ":4:5"} {
		if !strings.Contains(string(xml), want) {
			t.Errorf("JUnit report lacks %q:\n%s", want, xml)
		}
	}
}

func TestTestModeBadScenarioIsExit2BeforeRunning(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ok.yaml", "name: ok\n"+healthStep)
	writeFile(t, dir, "bad.yaml", "name: bad\nstepz: []\n")
	code, out, errOut := runCLI(t, "test", "--quiet", dir)
	if code != exitBadArgs || strings.Contains(out, "✓") || !strings.Contains(errOut, "bad.yaml:2:1") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 2 naming bad.yaml:2:1 and nothing run", code, out, errOut)
	}
}

func TestRunUsageErrors(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "s.yaml", "name: s\n"+healthStep)
	ramp := writeFile(t, dir, "ramp.yaml", "name: ramp\nload: {executor: ramping-vus, stages: [{duration: 1s, target: 2}]}\n"+healthStep)
	for _, tc := range []struct {
		args    []string
		mention string
	}{
		{[]string{"run", "--vus", "3", ramp}, "--vus cannot replace the stages"},
		{[]string{"run"}, "want one SCENARIO.yaml"},
		{[]string{"run", "--rate", "fast", path}, "--rate"},
		{[]string{"run", "--segment", "3/3", path}, "--segment"},
		{[]string{"run", "--out", "xml=f", path}, "unknown kind"},
		{[]string{"run", "--sim-ack-latency", "soon", path}, "--sim-ack-latency"},
		{[]string{"run", "--api", "http://127.0.0.1:1", path}, "both"},
		{[]string{"run", "--api", "http://127.0.0.1:1", "--ws", "ws://127.0.0.1:1", "--sim-reject-rate", "0.5", path}, "--sim-reject-rate"},
		{[]string{"run", "--vus", "3", path + ".missing"}, "cannot read"},
		{[]string{"test", "--sim-stall", "9/1", path}, "--sim-stall"},
	} {
		code, _, errOut := runCLI(t, tc.args...)
		if code != exitBadArgs || !strings.Contains(errOut, tc.mention) {
			t.Errorf("%v: exit %d, stderr %q; want 2 mentioning %q", tc.args, code, errOut, tc.mention)
		}
	}
}

func TestRunAndTestHelpTeach(t *testing.T) {
	for _, tc := range []struct{ cmd, want string }{
		{"run", "--sim-ack-latency"}, {"run", "scheduled start"}, {"run", "-segment i/n"},
		{"test", "FILE:LINE:COL"}, {"test", "-sim-reject-rate"},
	} {
		code, out, _ := runCLI(t, tc.cmd, "--help")
		if code != exitOK || !strings.Contains(out, tc.want) {
			t.Errorf("%s --help: exit %d, lacks %q", tc.cmd, code, tc.want)
		}
	}
}

// TestAbortOnFailStopsTheRunWithStopReasonThreshold: a threshold with
// abort-on-fail that fails mid-run stops it early (stop_reason threshold,
// exit 1) with the result written.
func TestAbortOnFailStopsTheRunWithStopReasonThreshold(t *testing.T) {
	path := writeFile(t, t.TempDir(), "abort.yaml", "name: abort\nload: {executor: constant-vus, vus: 1, duration: 10m}\n"+
		"thresholds:\n  iteration: [{expr: \"max < 1ns\", abort-on-fail: true}]\n"+healthStep+"  - sleep: 10ms\n")
	code, _, errOut, rr := runResult(t, "--sim-ack-latency", "0s", path)
	if code != exitFailed || rr == nil || rr.StopReason != metrics.StopThreshold {
		t.Fatalf("exit %d, result %v; want 1 and stop_reason threshold\n%s", code, rr != nil, errOut)
	}
}

// TestRunTakesEverySimKnobWithThePrefix: the embedded simulator's flags
// are 'pcflow sim's, each with --sim- before it — one definition serves
// both, so none can be missing — but for the four listen addresses: the
// embedded simulator always takes free loopback ports.
func TestRunTakesEverySimKnobWithThePrefix(t *testing.T) {
	_, simHelp, _ := runCLI(t, "sim", "--help")
	_, runHelp, _ := runCLI(t, "run", "--help")
	_, testHelp, _ := runCLI(t, "test", "--help")
	n := 0
	for _, line := range strings.Split(simHelp, "\n") {
		if name, ok := strings.CutPrefix(line, "  -"); ok {
			name, _, _ = strings.Cut(name, " ")
			if strings.HasSuffix(name, "-addr") {
				continue
			}
			n++
			for cmd, help := range map[string]string{"run": runHelp, "test": testHelp} {
				if !strings.Contains(help, "  -sim-"+name) {
					t.Errorf("%s --help lacks -sim-%s", cmd, name)
				}
			}
		}
	}
	if n < 20 {
		t.Fatalf("found only %d sim flags in its help", n)
	}
}

func TestTraceNarratesEveryStep(t *testing.T) {
	path := writeFile(t, t.TempDir(), "trace.yaml", "name: trace\nload: {executor: per-vu-iterations, vus: 1, iterations: 2}\n"+healthStep)
	code, out, errOut := runCLI(t, "run", "--quiet", "--trace", "--sim-ack-latency", "0s", path)
	if code != exitOK || strings.Count(out, "GET /health") != 2 {
		t.Fatalf("exit %d; want one narrated line per iteration's step:\n%s%s", code, out, errOut)
	}
}
