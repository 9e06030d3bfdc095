package scenario_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pcflow/pcflow/scenario"
)

// secret stands in for privicore.Secret: a value that reveals its text
// only when asked.
type secret string

func (s secret) Reveal() string { return string(s) }
func (secret) String() string   { return "[redacted]" }

func (secret) MarshalText() ([]byte, error) { return []byte("[redacted]"), nil }

// A secret capture used in a template reaches the wire as its text (the
// client's secret type printed "[redacted]" onto the wire before), and
// stays redacted wherever the value is printed.
func TestSecretsSurviveTemplates(t *testing.T) {
	s := load(t, `
steps:
  - http: {path: "/login", capture: {tok: "${response.body}"}}
  - http: {path: "/a", json: {whole: "${tok}", mixed: "Bearer ${tok}", plain: "x${vu}"}}
`, nil)
	env := scenario.NewEnv(s.Workloads[0], 7, nil)
	if err := env.BeginIteration(0); err != nil {
		t.Fatal(err)
	}
	env.Set("tok", secret("s3cret"))
	got, err := s.Workloads[0].Steps[1].Param("json").Eval(env)
	if err != nil {
		t.Fatal(err)
	}
	m := got.(map[string]any)
	if w, ok := m["whole"].(secret); !ok || w.Reveal() != "s3cret" {
		t.Errorf("whole = %#v (%T): a whole-string template must keep the secret's type", m["whole"], m["whole"])
	}
	mixed, ok := m["mixed"].(scenario.SecretText)
	if !ok || mixed.Reveal() != "Bearer s3cret" {
		t.Fatalf("mixed = %#v (%T), want SecretText revealing %q", m["mixed"], m["mixed"], "Bearer s3cret")
	}
	if m["plain"] != "x7" {
		t.Errorf("plain = %#v: a template without secrets stays a string", m["plain"])
	}
	printed := fmt.Sprintf("%v %s %#v", mixed, mixed, mixed)
	js, _ := json.Marshal(m)
	for _, out := range []string{printed, string(js)} {
		if strings.Contains(out, "s3cret") {
			t.Errorf("the secret was printed: %s", out)
		}
	}
}

// An environment variable that is not set reads as "", as in a shell: a
// condition on it is false instead of a run-time type error.
func TestUnsetEnvironmentVariableIsEmpty(t *testing.T) {
	s := load(t, `
steps:
  - http: {path: "/a", if: "env.PCFLOW_NOT_SET == '1'"}
  - http: {path: "/b", json: {v: "x${env.PCFLOW_ALSO_NOT_SET}y", w: "${env.HOME}"}}
`, nil, "HOME=/root")
	env := scenario.NewEnv(s.Workloads[0], 1, nil)
	if err := env.BeginIteration(0); err != nil {
		t.Fatal(err)
	}
	cond, err := s.Workloads[0].Steps[0].If.Bool(env)
	if err != nil || cond {
		t.Errorf("if on an unset variable = %v, %v; want false, nil", cond, err)
	}
	got, err := s.Workloads[0].Steps[1].Param("json").Eval(env)
	if err != nil {
		t.Fatal(err)
	}
	if m := got.(map[string]any); m["v"] != "xy" || m["w"] != "/root" {
		t.Errorf("json = %v; want v \"xy\" and w \"/root\"", m)
	}
}

// A step's check and capture see the names its own kind captures (set when
// the step ran, before they are evaluated); its if does not — it decides
// whether the step runs at all.
func TestCheckSeesTheStepsOwnCaptures(t *testing.T) {
	s := load(t, `
steps:
  - upload: {size: 1KiB}
    check: ["data_token != ''"]
    capture: {mine: "data_token"}
`, nil)
	st := s.Workloads[0].Steps[0]
	if len(st.Check) != 1 || len(st.Capture) != 1 {
		t.Fatalf("check %v, capture %v", st.Check, st.Capture)
	}
	_, err := scenario.Parse("t.yaml", t.TempDir(), []byte(`
steps:
  - upload: {size: 1KiB}
    if: "data_token != ''"
`), scenario.Options{Catalogue: newTestCatalogue()})
	if err == nil || !strings.Contains(err.Error(), "data_token") {
		t.Errorf("if on the step's own capture: err = %v; want it out of scope", err)
	}
}
