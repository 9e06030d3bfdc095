package scenario_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/scenario"
)

// Load fields, step timeouts and threshold delays may take their value
// from the environment through a template evaluated at load, as k6's
// __ENV does.
func TestLoadFieldsTakeTemplates(t *testing.T) {
	src := `load:
  executor: ramping-vus
  start-vus: ${env.START}
  stages:
    - {duration: "${env.RAMP}", target: "${int(env.PEAK) * 2}"}
    - {duration: 10s, target: 0}
steps:
  - sleep: 1ms
    timeout: "${env.STEP_TIMEOUT == '' ? '5s' : env.STEP_TIMEOUT}"
`
	s := load(t, src, nil, "START=3", "RAMP=90s", "PEAK=25")
	l := s.Workloads[0].Load
	if l.StartVUs != 3 || len(l.Stages) != 2 || l.Stages[0].Duration != 90*time.Second || l.Stages[0].Target != 50 {
		t.Fatalf("load from the environment: %+v", l)
	}
	if got := s.Workloads[0].Steps[0].Timeout; got != 5*time.Second {
		t.Fatalf("timeout with STEP_TIMEOUT unset: %v, want the 5s default", got)
	}
}

// A load-time template may read only env, random and now; anything else
// (vu, a var, a capture) is a problem at its column, and an expanded value
// that is not the field's form is reported with the value it gave.
func TestLoadFieldTemplateProblems(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"load: {executor: constant-vus, vus: \"${vu * 2}\", duration: 1m}\nsteps:\n  - sleep: 1s\n",
			"t.yaml:1:40: `vu` in vus: its value is known only while the run goes (only env.NAME, random.* and now() exist when the file is loaded)"},
		{"load: {executor: constant-vus, vus: \"${env.VUS}\", duration: 1m}\nsteps:\n  - sleep: 1s\n",
			"t.yaml:1:37: vus: "},
		{"load: {executor: constant-vus, vus: \"${nope}\", duration: 1m}\nsteps:\n  - sleep: 1s\n",
			"t.yaml:1:40: "},
		{"load: {executor: constant-vus, vus: \"${int(env.VUS)}\", duration: 1m}\nsteps:\n  - sleep: 1s\n",
			"t.yaml:1:40: vus: `int(env.VUS)` failed at load: "},
	} {
		_, err := scenario.Parse("t.yaml", t.TempDir(), []byte(c.src), scenario.Options{Catalogue: newTestCatalogue(), Env: []string{"VUS=many"}})
		var ps scenario.Problems
		if !errors.As(err, &ps) || !strings.HasPrefix(ps.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant a problem starting %q", c.src, err, c.want)
		}
	}
}
