package scenario_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pcflow/pcflow/scenario"
)

// brokenCase is one row of the broken-scenario table.
type brokenCase struct {
	name, why string
	src       string
	files     map[string]string // written beside case.yaml
	want      string            // every problem, one per line
}

// brokenCases is the whole table.
var brokenCases = append(append([]brokenCase(nil), brokenStepCases...), brokenFileCases...)

// parseCase writes a case's files into a fresh directory and parses it.
func parseCase(t testing.TB, c brokenCase) error {
	dir := t.TempDir()
	for name, body := range c.files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, err := scenario.Parse("case.yaml", dir, []byte(c.src), scenario.Options{Catalogue: newTestCatalogue()})
	return err
}

func TestBrokenScenarios(t *testing.T) {
	if len(brokenCases) < 45 {
		t.Fatalf("only %d broken cases; the issue asks for at least 45", len(brokenCases))
	}
	for _, c := range brokenCases {
		t.Run(c.name, func(t *testing.T) {
			err := parseCase(t, c)
			var ps scenario.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("%s: got %v, want Problems", c.why, err)
			}
			if got := ps.Error(); got != c.want {
				t.Errorf("%s:\ngot:\n%s\nwant:\n%s", c.why, got, c.want)
			}
		})
	}
}
