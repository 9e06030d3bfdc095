package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `pcflow steps` and `pcflow steps upload` are documentation users read:
// golden files (UPDATE_GOLDEN=1 rewrites them) show every change in review.
func TestStepsGolden(t *testing.T) {
	for _, c := range []struct {
		golden string
		args   []string
	}{
		{"list.golden.txt", []string{"steps"}},
		{"upload.golden.txt", []string{"steps", "upload"}},
	} {
		code, out, errOut := runCLI(t, c.args...)
		if code != exitOK || errOut != "" {
			t.Fatalf("%v: exit %d, stderr %q", c.args, code, errOut)
		}
		golden := filepath.Join("testdata", "steps", c.golden)
		if os.Getenv("UPDATE_GOLDEN") != "" {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if out != string(want) {
			t.Errorf("%v:\n%s\nwant (UPDATE_GOLDEN=1 rewrites it):\n%s", c.args, out, want)
		}
	}
}

// A misspelt kind is a usage error with the nearest name.
func TestStepsUnknownKind(t *testing.T) {
	code, _, errOut := runCLI(t, "steps", "uplod")
	if code != exitBadArgs || !strings.Contains(errOut, "did you mean upload?") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

// The README's step table is `pcflow steps --markdown` pasted between two
// markers; once it is there, it must match the catalogue.
func TestReadmeStepTableIsCurrent(t *testing.T) {
	const begin, end = "<!-- pcflow steps --markdown -->\n", "<!-- end pcflow steps -->"
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Skip(err)
	}
	i := strings.Index(string(readme), begin)
	j := strings.Index(string(readme), end)
	if i < 0 || j < i {
		t.Skip("README.md has no step table between " + strings.TrimSpace(begin) + " and " + end)
	}
	_, out, _ := runCLI(t, "steps", "--markdown")
	if got := string(readme[i+len(begin) : j]); got != out {
		t.Errorf("README.md's step table is stale; paste the output of `pcflow steps --markdown`:\n%s", out)
	}
}
