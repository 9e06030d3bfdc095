package steps

import (
	"errors"
	"strings"
	"testing"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/sim"
)

// kindCase is one kind's positive and negative form against the
// simulator. pos and neg are step lists (YAML); each runs as the steps of
// a one-iteration scenario whose vu-setup onboards a fresh profile
// (unless public). A negative form is a step with expect: a rejection
// reason or an HTTP status (a group's or repeat's matches its failing
// inner step); the two kinds that no server can refuse (sleep,
// leave-channel) give instead a failing form and the error kind it must
// end with (fails).
type kindCase struct {
	pos, neg string
	fails    string      // error kind the neg form must end with; "" → it must pass
	simNeg   sim.Options // the simulator of the negative form: the default, or httpDown
	public   bool        // no onboard in vu-setup
	// negPublic: no onboard for the negative form only.
	negPublic bool
}

// A kind without both forms fails the test: the catalogue cannot grow a
// kind nobody ran against the simulator.
func TestEveryKindHasPositiveAndNegativeForms(t *testing.T) {
	cases := kindCases()
	for _, name := range Builtin().Kinds() {
		c, ok := cases[name]
		if !ok || c.pos == "" || c.neg == "" {
			t.Errorf("%s lacks a positive or a negative form in kindCases", name)
		}
	}
	for name := range cases {
		if _, ok := Builtin().Kind(name); !ok {
			t.Errorf("kindCases has %s, which is no kind", name)
		}
	}
}

func TestEveryKindAgainstSimulator(t *testing.T) {
	// Two simulators and one connection pool for all cases (each case has
	// its own profile): 160 simulators would spend thousands of loopback
	// ports in TIME_WAIT on a machine shared with other test runs.
	plain, down := startSim(t, sim.Options{}), startSim(t, httpDown)
	pool := defaultHTTPClient(0)
	t.Cleanup(pool.CloseIdleConnections)
	plain.opts.HTTPClient, down.opts.HTTPClient = pool, pool
	for name, kc := range kindCases() {
		t.Run(name, func(t *testing.T) {
			t.Run("positive", func(t *testing.T) { runCase(t, kc.public, kc.pos, "", plain) })
			neg := plain
			if kc.simNeg.HTTPErrorRate > 0 {
				neg = down
			}
			t.Run("negative", func(t *testing.T) { runCase(t, kc.public || kc.negPublic, kc.neg, kc.fails, neg) })
		})
	}
}

func runCase(t *testing.T, public bool, steps, fails string, shared *target) {
	src := "name: case\n"
	if !public {
		src += "vu-setup:\n  - onboard: {}\n"
	}
	src += "steps:\n" + indent(steps)
	scn := parse(t, src)
	tg := *shared
	tg.sink = &recorder{}
	tg.opts.Sink = tg.sink
	tg.opts.Seed = 0 // fresh names must not repeat across cases on the shared simulator
	err := runOnce(t, &tg, scn, 1)
	var se *engine.StepError
	switch {
	case fails == "" && err != nil:
		t.Fatalf("%v\n%s\n--- scenario:\n%s", err, diag(err), src)
	case fails != "" && (!errors.As(err, &se) || se.ErrorKind != fails):
		t.Fatalf("want a %s failure, got %v\n--- scenario:\n%s", fails, err, src)
	}
}

func indent(s string) string {
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n") + "\n"
}
