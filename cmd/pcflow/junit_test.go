package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// In test mode's JUnit report a step whose if: did not hold is a skipped
// testcase, not a passing one; the steps that ran pass.
func TestJUnitMarksStepsSkippedByIf(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "if.yaml", `name: conditional
steps:
  - http: {method: GET, path: /health}
  - http: {method: GET, path: /health}
    name: never
    if: "iteration < 0"
`)
	junit := filepath.Join(dir, "junit.xml")
	code, _, errOut := runCLI(t, "test", "--quiet", "--sim-ack-latency", "0s", "--out", "junit="+junit, path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	x := string(b)
	if !strings.Contains(x, `skipped="1"`) || strings.Count(x, "<skipped") != 1 {
		t.Errorf("want exactly one skipped testcase (the step named never):\n%s", x)
	}
	never := x[strings.Index(x, `name="never`):]
	if i := strings.Index(never, "</testcase>"); i < 0 || !strings.Contains(never[:i], "<skipped") {
		t.Errorf("the step named never is not the skipped one:\n%s", x)
	}
}
