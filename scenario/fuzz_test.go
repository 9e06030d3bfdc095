package scenario_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pcflow/pcflow/scenario"
)

// FuzzParse: whatever the bytes, Parse returns a scenario or problems —
// never a panic, never a hang. Seeded with every scenario in the repo and
// every broken case.
func FuzzParse(f *testing.F) {
	for _, glob := range []string{"testdata/*.yaml", "testdata/fuzz-seeds/*.yaml", "../scenarios/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	for _, c := range brokenCases {
		f.Add([]byte(c.src))
	}
	cat := newTestCatalogue()
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := scenario.Parse("fuzz.yaml", "testdata", src, scenario.Options{Catalogue: cat})
		if (s == nil) == (err == nil) {
			t.Fatalf("Parse returned scenario %v and error %v: want exactly one", s != nil, err)
		}
		if err != nil {
			if _, ok := err.(scenario.Problems); !ok {
				t.Fatalf("error %T, want Problems", err)
			}
			return
		}
		// A scenario that loads must also evaluate without panicking.
		for _, w := range s.Workloads {
			env := scenario.NewEnv(w, 1, nil)
			env.Seed(1)
			_ = env.BeginIteration(0)
			for _, st := range w.Steps {
				for _, v := range st.Params {
					_, _ = v.Eval(env)
				}
			}
		}
	})
}
