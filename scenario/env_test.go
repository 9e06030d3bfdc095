package scenario_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/scenario"
)

// load parses src (with files beside it) against the test catalogue.
func load(t testing.TB, src string, files map[string]string, env ...string) *scenario.Scenario {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, err := scenario.Parse("t.yaml", dir, []byte(src), scenario.Options{Catalogue: newTestCatalogue(), Env: env})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWholeTemplateKeepsItsType(t *testing.T) {
	s := load(t, `
vars:
  n: "${2 + 1}"
  label: "n=${n}"
steps:
  - http: {path: "/x", ttl: "${vars.n}", ratio: "${n / 2}", wait: "${'1s'}", json: {count: "${n}", text: "${label}"}}
`, nil)
	env := scenario.NewEnv(s.Workloads[0], 1, nil)
	if err := env.BeginIteration(0); err != nil {
		t.Fatal(err)
	}
	st := s.Workloads[0].Steps[0]
	for name, want := range map[string]any{"ttl": int64(3), "ratio": 1.5, "wait": time.Second,
		"json": map[string]any{"count": 3, "text": "n=3"}} {
		got, err := st.Param(name).Eval(env)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !equal(got, want) {
			t.Errorf("%s = %#v (%T), want %#v (%T)", name, got, got, want, want)
		}
	}
}

func equal(a, b any) bool {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if ok1 && ok2 {
		if len(am) != len(bm) {
			return false
		}
		for k := range am {
			if !equal(am[k], bm[k]) {
				return false
			}
		}
		return true
	}
	return a == b
}

func TestTemplateBuiltinsAndEnv(t *testing.T) {
	s := load(t, `
steps:
  - http: {path: "/${workload}/${vu}/${iteration}/${env.REGION}/${random.hex(6)}"}
`, nil, "REGION=eu-1")
	env := scenario.NewEnv(s.Workloads[0], 7, nil)
	env.Seed(42)
	if err := env.BeginIteration(3); err != nil {
		t.Fatal(err)
	}
	got, err := s.Workloads[0].Steps[0].Param("path").String(env)
	if err != nil {
		t.Fatal(err)
	}
	if want := "/t/7/3/eu-1/"; len(got) != len(want)+6 || got[:len(want)] != want {
		t.Errorf("path = %q, want %q + 6 hex digits", got, want)
	}
	env2 := scenario.NewEnv(s.Workloads[0], 7, nil)
	env2.Seed(42)
	_ = env2.BeginIteration(3)
	if again, _ := s.Workloads[0].Steps[0].Param("path").String(env2); again != got {
		t.Errorf("the same seed gave %q then %q", got, again)
	}
}

func TestCapturesAndResponse(t *testing.T) {
	s := load(t, `
setup:
  - http: {path: /boot}
    capture: {boot: response.body.id}
steps:
  - upload: {size: 1KiB}
    check: ["response.status == 202", "response.ack.reason == ''"]
    capture: {code: "response.status * 2"}
  - download: {token: "${data_token}-${code}-${boot}"}
    if: "code > 100"
`, nil)
	setup := scenario.NewEnv(s.Workloads[0], 0, nil)
	setup.SetResponse(&scenario.Response{Body: map[string]any{"id": "b1"}})
	boot, err := s.Setup[0].Capture[0].Expr.Eval(setup)
	if err != nil || boot != "b1" {
		t.Fatalf("setup capture = %v, %v", boot, err)
	}
	setup.Set("boot", boot)

	env := scenario.NewEnv(s.Workloads[0], 1, setup)
	_ = env.BeginIteration(0)
	up, down := s.Workloads[0].Steps[0], s.Workloads[0].Steps[1]
	env.SetResponse(&scenario.Response{Status: 202, Ack: &scenario.Ack{Status: 2}})
	for _, c := range up.Check {
		if ok, err := c.Bool(env); !ok || err != nil {
			t.Errorf("check %q = %v, %v", c.Source, ok, err)
		}
	}
	code, _ := up.Capture[0].Expr.Eval(env)
	env.Set("code", code)
	env.Set("data_token", "tok")
	env.SetResponse(nil)
	if ok, err := down.If.Bool(env); !ok || err != nil {
		t.Errorf("if = %v, %v", ok, err)
	}
	if got, _ := down.Param("token").String(env); got != "tok-404-b1" {
		t.Errorf("token = %q", got)
	}
}

func TestFeeders(t *testing.T) {
	files := map[string]string{"a.csv": "username,password\nalice,pa\nbob,pb\n"}
	s := load(t, `
data:
  vu_rows: {csv: a.csv, pick: per-vu}
  it_rows: {csv: a.csv, pick: per-iteration, on-end: stop}
steps:
  - http: {path: "/${vu_rows.username}/${it_rows.username}"}
`, files)
	w := s.Workloads[0]
	path := w.Steps[0].Param("path")
	e1, e2 := scenario.NewEnv(w, 1, nil), scenario.NewEnv(w, 2, nil)
	var got []string
	for _, e := range []*scenario.Env{e1, e2} {
		if err := e.BeginIteration(0); err != nil {
			t.Fatal(err)
		}
		p, _ := path.String(e)
		got = append(got, p)
	}
	if got[0] != "/alice/alice" || got[1] != "/bob/bob" {
		t.Errorf("paths = %v: per-vu follows the VU, per-iteration is shared", got)
	}
	if err := e1.BeginIteration(1); !errors.Is(err, scenario.ErrFeederExhausted) {
		t.Errorf("third per-iteration row of two with on-end stop: %v, want ErrFeederExhausted", err)
	}
}

func TestRunTimeExpressionErrorIsEvalError(t *testing.T) {
	s := load(t, `
steps:
  - http: {path: /x, ttl: "${int('seven')}"}
`, nil)
	env := scenario.NewEnv(s.Workloads[0], 1, nil)
	_ = env.BeginIteration(0)
	_, err := s.Workloads[0].Steps[0].Param("ttl").Eval(env)
	var ee *scenario.EvalError
	if !errors.As(err, &ee) || ee.Pos.Line != 3 {
		t.Fatalf("err = %v, want an EvalError at line 3", err)
	}
}

func TestLoadDefaults(t *testing.T) {
	s := load(t, "steps:\n  - sleep: 1s\n", nil)
	l := s.Workloads[0].Load
	if l.Executor != scenario.PerVUIterations || l.VUs != 1 || l.Iterations != 1 || l.GracefulStop != 30*time.Second || l.MaxDuration != 10*time.Minute {
		t.Errorf("no load: %+v, want 1 VU, 1 iteration, graceful-stop 30s, max-duration 10m", l)
	}
	s = load(t, "load: {executor: constant-arrival-rate, rate: 40/s, duration: 5m, max-vus: 200}\nsteps:\n  - sleep: 1s\n", nil)
	l = s.Workloads[0].Load
	if l.Rate.PerSecond() != 40 || l.MaxVUs != 200 || l.PreAllocatedVUs != 200 || l.Duration != 5*time.Minute {
		t.Errorf("constant-arrival-rate: %+v", l)
	}
}

func TestSecretEvaluationErrorsHideTheCause(t *testing.T) {
	files := map[string]string{"a.csv": "username,password\nalice,hunter2\n"}
	s := load(t, `
data:
  accounts: {csv: a.csv}
vu-setup:
  - onboard: {password: "${int(accounts.password)}"}
steps:
  - sleep: 1s
`, files)
	env := scenario.NewEnv(s.Workloads[0], 1, nil)
	_, err := s.Workloads[0].VUSetup[0].Param("password").Eval(env)
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("err = %v; want an error that does not quote the secret", err)
	}
}
