package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The examples of SCENARIO-FORMAT.md and the repository's scenarios
// validate against the real catalogue.
func TestValidateExamplesAgainstTheCatalogue(t *testing.T) {
	files, _ := filepath.Glob("../../scenario/testdata/*.yaml")
	more, _ := filepath.Glob("../../scenarios/*.yaml")
	files = append(files, more...)
	if len(files) < 3 {
		t.Fatalf("found only %v", files)
	}
	code, out, errOut := runCLI(t, append([]string{"validate"}, files...)...)
	if code != exitOK {
		t.Fatalf("validate: exit %d\n%s%s", code, out, errOut)
	}
	if n := strings.Count(out, "ok "); n != len(files) {
		t.Errorf("%d ok lines for %d files:\n%s", n, len(files), out)
	}
}

func TestValidateReportsEveryProblemSortedAndExits2(t *testing.T) {
	code, out, errOut := runCLI(t, "validate", "testdata/validate/syntax.yaml", "testdata/validate/good.yaml", "testdata/validate/broken.yaml")
	if code != exitBadArgs {
		t.Fatalf("exit %d, want 2", code)
	}
	want := `testdata/validate/syntax.yaml:3:3: YAML syntax: did not find expected '-' indicator
testdata/validate/broken.yaml:2:1: unknown key ` + "`lod`" + ` in the scenario (did you mean ` + "`load`" + `?)
testdata/validate/broken.yaml:3:55: ` + "`stages`" + ` is not a field of constant-vus (it belongs to ramping-vus, ramping-arrival-rate)
testdata/validate/broken.yaml:5:26: ` + "`data_token`" + ` is not defined here (` + "`data_token`" + ` is bound later, at line 6: a name can be used only after the step or var that binds it)
testdata/validate/broken.yaml:6:20: ` + "`size`" + ` of upload: want a size like 512, 1KiB, 1.5MB or 3MiB
testdata/validate/broken.yaml:7:5: unknown step kind ` + "`slep`" + ` (did you mean ` + "`sleep`" + `?)
testdata/validate/broken.yaml:9:3: threshold on unknown metric ` + "`step.upload.totl`" + `: no step of this file produces it (did you mean ` + "`step.upload.total`" + `?)
ok testdata/validate/good.yaml
`
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if errOut != "pcflow: validate: 7 problems in 2 files\n" {
		t.Errorf("stderr %q", errOut)
	}
}

// The --format json output is a stable contract for editors and CI.
func TestValidateJSONGolden(t *testing.T) {
	code, out, _ := runCLI(t, "validate", "--format", "json", "testdata/validate/broken.yaml", "testdata/validate/good.yaml")
	if code != exitBadArgs {
		t.Fatalf("exit %d, want 2", code)
	}
	golden := filepath.Join("testdata", "validate", "broken.golden.json")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("json:\n%s\nwant (UPDATE_GOLDEN=1 rewrites it):\n%s", out, want)
	}
}

func TestValidateJSONOfGoodFilesIsEmptyList(t *testing.T) {
	code, out, _ := runCLI(t, "validate", "testdata/validate/good.yaml", "--format=json")
	if code != exitOK || out != "[]\n" {
		t.Fatalf("exit %d, out %q; want 0 and []", code, out)
	}
}

func TestValidateUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"validate"}, {"validate", "--format", "xml", "x.yaml"}} {
		if code, _, _ := runCLI(t, args...); code != exitBadArgs {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	code, out, _ := runCLI(t, "validate", "testdata/validate/missing.yaml")
	if code != exitBadArgs || !strings.Contains(out, "missing.yaml:1:1: cannot read the scenario") {
		t.Errorf("missing file: exit %d, out %q", code, out)
	}
}
