package scenarios_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/scenario"
	"github.com/pcflow/pcflow/steps"
)

// pcflowBin is the pcflow binary TestMain builds once for every test.
var pcflowBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pcflow-scenarios-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "scenarios test:", err)
		os.Exit(1)
	}
	pcflowBin = filepath.Join(dir, "pcflow")
	build := exec.Command("go", "build", "-o", pcflowBin, "../cmd/pcflow")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "scenarios test: go build ../cmd/pcflow: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// simFlags make the embedded simulator ack within a few milliseconds (the
// scenarios test what happens, not how long the live wire takes) and take
// the strict reading of the storage prerequisite: an exchange of a
// profile without a storage device is refused, as a deployment may.
var simFlags = []string{"--sim-ack-latency", "1ms..5ms", "--sim-require-storage-device"}

// plan is how the test runs one scenario file. Files without a plan run
// once as an end-to-end test (`pcflow test --trace`), so a new scenario is
// covered the day it is added.
type plan struct {
	// run: `pcflow run` (a load scenario, shortened by args); else
	// `pcflow test`. args are added either way.
	run  bool
	args []string
	// demo: no simulator flags (the README shows this command as it is).
	demo bool
	// lax: the simulator without the storage prerequisite (a file that
	// enrols no storage device).
	lax bool
	// also: further `pcflow test` runs, each with these flags (what the
	// file's header promises it passes under).
	also [][]string
}

var plans = map[string]plan{
	// The README's first command, shortened. ramping-vus needs --vus with --duration.
	"store-retrieve.yaml": {run: true, args: []string{"--duration", "2s", "--vus", "4"}, lax: true},
	// The narrated demo, exactly as the README shows it.
	"onboarding.yaml":      {run: true, args: []string{"--trace"}, demo: true},
	"mixed-workloads.yaml": {run: true, args: []string{"--duration", "2s"}},
	// ramping-arrival-rate stages cannot be shortened by --duration; the
	// file's own shape is 9 s.
	"spike.yaml":     {run: true},
	"soak.yaml":      {run: true, args: []string{"--duration", "3s"}},
	"scale-out.yaml": {run: true},
	// Looks up its policy through gate-with-vote, which waits for it to
	// become visible; authenticators that take their time are waited for.
	"voting-gated.yaml": {also: [][]string{{"--sim-policy-visibility-delay", "100ms", "--sim-vote-latency", "1ms..20ms"}}},
	// Casts its own ballots; the pools it opens get no virtual ones, so it
	// passes under rejecting authenticators too.
	"voting-ballots.yaml": {also: [][]string{{"--sim-vote", "reject"}}},
}

// loadMode are the end-to-end scenarios that also claim (in their header)
// to run under load: they get a short run besides their test.
var loadMode = []string{"device-lifecycle.yaml", "storage-devices.yaml", "data-token-lifecycle.yaml",
	"profile-tokens.yaml", "voting-gated.yaml", "oauth-application.yaml", "voting-ballots.yaml"}

func scenarioFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scenarios/*.yaml")
	}
	return files
}

// TestScenarios runs every scenario against the embedded simulator and
// requires it to pass: exit code 0 and the evidence in the output that it
// ran what it says (every step traced, every step's metric counted).
func TestScenarios(t *testing.T) {
	t.Parallel()
	for _, file := range scenarioFiles(t) {
		p := plans[file]
		t.Run(strings.TrimSuffix(file, ".yaml"), func(t *testing.T) {
			t.Parallel()
			if p.run {
				runLoad(t, file, p)
				return
			}
			runTest(t, file, p.args, p.lax)
		})
		for i, flags := range p.also {
			t.Run(fmt.Sprintf("%s/flags-%d", strings.TrimSuffix(file, ".yaml"), i+1), func(t *testing.T) {
				t.Parallel()
				runTest(t, file, flags, p.lax)
			})
		}
		if slices.Contains(loadMode, file) {
			t.Run(strings.TrimSuffix(file, ".yaml")+"/load", func(t *testing.T) {
				t.Parallel()
				runLoad(t, file, plan{run: true, args: append([]string{"--iterations", "6", "--vus", "3"}, p.args...), lax: p.lax})
			})
		}
	}
}

// runTest runs file with `pcflow test --trace` and checks the verdict and
// that every top-level step that is not behind an if: was traced.
func runTest(t *testing.T, file string, extra []string, lax bool) {
	junit := filepath.Join(t.TempDir(), "junit.xml")
	args := append([]string{"test", "--quiet", "--trace", "--out", "junit=" + junit}, simArgs(lax)...)
	args = append(append(args, extra...), file)
	out, code := pcflow(t, 2*time.Minute, args...)
	scn := load(t, file)
	if code != 0 {
		t.Fatalf("pcflow test %s: exit %d, want 0\n%s", file, code, out)
	}
	checkJUnit(t, junit, scn)
	for _, want := range []string{"✓ " + scn.Name + " ", "1 passed, 0 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("pcflow test %s: output lacks %q\n%s", file, want, out)
		}
	}
	for _, w := range scn.Workloads {
		for _, st := range slices.Concat(w.VUSetup, w.Steps, w.VUTeardown) {
			if st.If != nil {
				continue
			}
			if !traced(out, st.Name) {
				t.Errorf("pcflow test %s: step %s (%s) does not appear in the trace", file, st.Name, st.Pos)
			}
		}
	}
}

// checkJUnit reads test mode's JUnit report: one passing testcase per
// top-level step, in every phase (setup … teardown).
func checkJUnit(t *testing.T, path string, scn *scenario.Scenario) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Cases    []struct {
			Name    string    `xml:"name,attr"`
			Failure *struct{} `xml:"failure"`
		} `xml:"testsuite>testcase"`
	}
	if err := xml.Unmarshal(b, &rep); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	want := len(scn.Setup) + len(scn.Teardown)
	for _, w := range scn.Workloads {
		want += len(w.VUSetup) + len(w.Steps) + len(w.VUTeardown)
	}
	if rep.Failures != 0 || len(rep.Cases) != want || rep.Tests != want {
		t.Errorf("%s: JUnit: %d tests, %d testcases, %d failures; want %d passing (one per top-level step)",
			scn.File, rep.Tests, len(rep.Cases), rep.Failures, want)
	}
	for _, c := range rep.Cases {
		if c.Failure != nil {
			t.Errorf("%s: JUnit: testcase %s failed", scn.File, c.Name)
		}
	}
}

// simArgs returns the simulator flags; lax drops the storage prerequisite.
func simArgs(lax bool) []string {
	if lax {
		return slices.DeleteFunc(slices.Clone(simFlags), func(f string) bool { return f == "--sim-require-storage-device" })
	}
	return simFlags
}

// traced reports whether the trace has a line for the step named name:
// "vu 1 it 0  NAME  …" or "vu 1 it 0  NAME (KIND)  …".
func traced(out, name string) bool {
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "vu ") {
			continue
		}
		if f := strings.Fields(line); len(f) > 4 && f[4] == name {
			return true
		}
	}
	return false
}

// result is the part of the JSON result the tests read (DESIGN.md's
// stable keys).
type result struct {
	Scenario   string           `json:"scenario"`
	StopReason string           `json:"stop_reason"`
	Segment    string           `json:"segment"`
	Counters   map[string]any   `json:"counters"`
	Workloads  []workloadResult `json:"workloads"`
	Metrics    map[string]struct {
		Count  int64 `json:"count"`
		Errors int64 `json:"errors"`
	} `json:"metrics"`
	Thresholds []struct {
		Metric string `json:"metric"`
		Expr   string `json:"expr"`
		OK     bool   `json:"ok"`
	} `json:"thresholds"`
}

type workloadResult struct {
	Name  string   `json:"name"`
	Steps []string `json:"steps"`
}

func readResult(t *testing.T, path string) result {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

func counter(r result, name string) int64 {
	f, _ := r.Counters[name].(float64)
	return int64(f)
}

// runLoad runs file with `pcflow run` and checks the verdict, the
// thresholds, and that every step of every workload was measured.
func runLoad(t *testing.T, file string, p plan) {
	res := filepath.Join(t.TempDir(), "result.json")
	args := []string{"run", "--quiet", "--out", "json=" + res}
	if !p.demo {
		args = append(args, simArgs(p.lax)...)
	}
	args = append(append(args, p.args...), file)
	out, code := pcflow(t, 2*time.Minute, args...)
	if code != 0 {
		t.Fatalf("pcflow %s: exit %d, want 0\n%s", strings.Join(args, " "), code, out)
	}
	if !strings.Contains(out, "stop reason: normal · thresholds passed") {
		t.Errorf("pcflow run %s: no passing verdict in the summary\n%s", file, out)
	}
	r := readResult(t, res)
	if r.StopReason != "normal" {
		t.Errorf("%s: stop_reason %q, want normal", file, r.StopReason)
	}
	if n := counter(r, "iterations"); n == 0 {
		t.Errorf("%s: no iteration finished", file)
	}
	if n := counter(r, "checks_failed"); n != 0 {
		t.Errorf("%s: %d checks failed", file, n)
	}
	for _, th := range r.Thresholds {
		if !th.OK {
			t.Errorf("%s: threshold %s %s failed", file, th.Metric, th.Expr)
		}
	}
	if len(r.Workloads) == 0 {
		t.Fatalf("%s: the result lists no workload", file)
	}
	conditional := conditionalSteps(load(t, file))
	for _, w := range r.Workloads {
		for _, st := range w.Steps {
			if st == "sleep" || conditional[st] {
				continue // a pause is not a latency; an if: may not hold
			}
			if !measured(r, st) {
				t.Errorf("%s: workload %s: step %s has no samples", file, w.Name, st)
			}
		}
	}
	if p.demo {
		// The narrated demo: every HTTP call, its command id and the
		// awaited message with its latency, for each async step.
		for _, want := range []string{"POST /profile/register-profile → 202", "command ",
			"X-DPT-CAB-ID status 2 after ", "X-DPT-CAB-REQUEST-ID status 2 after ", "checks     4 passed, 0 failed"} {
			if !strings.Contains(out, want) {
				t.Errorf("pcflow run --trace %s: output lacks %q\n%s", file, want, out)
			}
		}
	}
}

// conditionalSteps names the steps of scn that run only if: an
// expression holds, at any depth.
func conditionalSteps(scn *scenario.Scenario) map[string]bool {
	names := map[string]bool{}
	var walk func([]*scenario.Step)
	walk = func(list []*scenario.Step) {
		for _, st := range list {
			if st.If != nil {
				names[st.Name] = true
			}
			for _, v := range st.Params {
				if v != nil && v.Type == scenario.TypeSteps {
					walk(v.Steps())
				}
			}
		}
	}
	walk(scn.Setup)
	walk(scn.Teardown)
	for _, w := range scn.Workloads {
		walk(slices.Concat(w.VUSetup, w.Steps, w.VUTeardown))
	}
	return names
}

// measured reports whether the result has samples of step name (as a
// step or a group).
func measured(r result, name string) bool {
	for _, k := range []string{"step." + name + ".total", "group." + name + ".total", "group." + name} {
		if m, ok := r.Metrics[k]; ok && m.Count > 0 {
			return true
		}
	}
	return false
}

// pcflow runs the binary with args from this directory and returns its
// combined output and exit code. A run that outlives limit is killed.
func pcflow(t *testing.T, limit time.Duration, args ...string) (string, int) {
	t.Helper()
	out, code, err := runPcflow(limit, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out, code
}

// runPcflow is pcflow for goroutines other than the test's (which must
// not call t.Fatal): a run that could not start or was killed is an error.
func runPcflow(limit time.Duration, args ...string) (string, int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, pcflowBin, args...)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	if ctx.Err() != nil {
		return buf.String(), -1, fmt.Errorf("pcflow %s: still running after %v\n%s", strings.Join(args, " "), limit, buf.String())
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return buf.String(), 0, nil
	case errors.As(err, &exit):
		return buf.String(), exit.ExitCode(), nil
	}
	return "", -1, fmt.Errorf("pcflow %s: %v", strings.Join(args, " "), err)
}

func load(t *testing.T, file string) *scenario.Scenario {
	t.Helper()
	scn, err := scenario.LoadFile(file, scenario.Options{Catalogue: steps.Builtin(), Env: os.Environ()})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return scn
}

// kindsOf adds the kind of every step of scn, nested ones included, to seen.
func kindsOf(scn *scenario.Scenario, seen map[string]bool) {
	var walk func([]*scenario.Step)
	walk = func(list []*scenario.Step) {
		for _, st := range list {
			seen[st.Kind] = true
			for _, v := range st.Params {
				if v != nil && v.Type == scenario.TypeSteps {
					walk(v.Steps())
				}
			}
		}
	}
	walk(scn.Setup)
	walk(scn.Teardown)
	for _, w := range scn.Workloads {
		walk(w.VUSetup)
		walk(w.Steps)
		walk(w.VUTeardown)
	}
}

// TestEveryKindIsExercised fails when a step kind of the catalogue is
// used by no scenario, and when all-operations.yaml alone misses one:
// that file's promise is to touch every kind.
func TestEveryKindIsExercised(t *testing.T) {
	all := steps.Builtin().Kinds()
	anywhere := map[string]bool{}
	for _, file := range scenarioFiles(t) {
		kindsOf(load(t, file), anywhere)
	}
	allOps := map[string]bool{}
	kindsOf(load(t, "all-operations.yaml"), allOps)
	for _, k := range all {
		if !anywhere[k] {
			t.Errorf("step kind %s is exercised by no scenario", k)
		}
		if !allOps[k] {
			t.Errorf("all-operations.yaml does not use step kind %s", k)
		}
	}
	if len(all) < 70 {
		t.Errorf("the catalogue lists %d kinds; expected the whole API (70+)", len(all))
	}
}
