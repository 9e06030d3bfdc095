package scenario_test

import (
	"testing"

	"github.com/pcflow/pcflow/scenario"
)

func TestSmoke(t *testing.T) {
	for _, f := range []string{"testdata/store-and-retrieve.yaml", "testdata/mixed-traffic.yaml"} {
		s, err := scenario.LoadFile(f, scenario.Options{Catalogue: newTestCatalogue()})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, w := range s.Workloads {
			env := scenario.NewEnv(w, 1, nil)
			if err := env.BeginIteration(0); err != nil {
				t.Fatal(err)
			}
			for _, st := range w.Steps {
				for k, v := range st.Params {
					x, err := v.Eval(env)
					t.Logf("%s %s.%s = %v (%T) %v", w.Name, st.Name, k, x, x, err)
				}
			}
			for _, st := range w.VUSetup {
				for k, v := range st.Params {
					x, err := v.Eval(env)
					t.Logf("%s vu-setup %s.%s = %v (%T) %v", w.Name, st.Name, k, x, x, err)
				}
			}
		}
		t.Logf("%+v", s.Thresholds)
	}
}
