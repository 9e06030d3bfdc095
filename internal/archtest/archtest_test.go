package archtest

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTreeFollowsDesign is the architecture test proper: the real tree.
func TestTreeFollowsDesign(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := Load(root)
	if err != nil {
		t.Fatalf("reading the packages' imports: %v", err)
	}
	var paths []string
	for _, p := range pkgs {
		paths = append(paths, p.Path)
	}
	for _, want := range []string{Module + "/sim", Module + "/privicore", Module + "/cmd/pcflow"} {
		if !slices.Contains(paths, want) {
			t.Fatalf("Load did not find %s among %v", want, paths)
		}
	}
	for _, problem := range DesignRules().Check(pkgs) {
		t.Error(problem)
	}
}

// TestCheckerCatchesForbiddenEdges checks the checker on synthetic import
// lists, so a broken checker cannot pass the real tree by accident.
func TestCheckerCatchesForbiddenEdges(t *testing.T) {
	m := Module + "/"
	tests := []struct {
		name    string
		pkg     Package
		problem string // a substring of the one expected problem; "" for none
	}{
		{"sim importing privicore breaks their independence",
			Package{m + "sim", []string{"net/http", m + "privicore"}}, "sim may import only nothing of ours"},
		{"privicore importing sim breaks their independence",
			Package{m + "privicore", []string{m + "sim"}}, "privicore may import only nothing of ours"},
		{"a sub-package of sim is still sim",
			Package{m + "sim/internal/vote", []string{m + "metrics"}}, "sim may import only nothing of ours"},
		{"sim may import its own sub-packages",
			Package{m + "sim", []string{m + "sim/internal/vote"}}, ""},
		{"metrics is a leaf",
			Package{m + "metrics", []string{m + "scenario"}}, "metrics may import only nothing of ours"},
		{"metrics uses the standard library only",
			Package{m + "metrics", []string{"time", "github.com/HdrHistogram/hdrhistogram-go"}}, "only the standard library"},
		{"engine must not reach the client",
			Package{m + "engine", []string{m + "privicore"}}, "engine may import only metrics, scenario"},
		{"steps may use the client",
			Package{m + "steps", []string{m + "privicore", m + "engine", "gopkg.in/yaml.v3"}}, ""},
		{"report must not import the engine",
			Package{m + "report", []string{m + "engine"}}, "report may import only metrics"},
		{"cmd may import everything",
			Package{m + "cmd/pcflow", []string{m + "sim", m + "steps", m + "report"}}, ""},
		{"a new area must be added to the table",
			Package{m + "util", nil}, `area "util" is not in the dependency table`},
		{"an unchosen dependency is refused",
			Package{m + "sim", []string{"github.com/gin-gonic/gin"}}, "not one of the chosen dependencies"},
		{"a chosen dependency's sub-package is fine",
			Package{m + "privicore", []string{"golang.org/x/crypto/blake2b"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DesignRules().Check([]Package{tt.pkg})
			switch {
			case tt.problem == "" && len(got) > 0:
				t.Errorf("want no problem, got %q", got)
			case tt.problem != "" && (len(got) != 1 || !strings.Contains(got[0], tt.problem)):
				t.Errorf("want one problem containing %q, got %q", tt.problem, got)
			}
		})
	}
}

func TestArea(t *testing.T) {
	for path, want := range map[string]string{
		Module + "/sim":               "sim",
		Module + "/sim/internal/vote": "sim",
		Module + "/cmd/pcflow":        "cmd/pcflow",
		Module + "/internal/archtest": "internal/archtest",
	} {
		if got, ok := Area(path); !ok || got != want {
			t.Errorf("Area(%q) = %q, %v; want %q", path, got, ok, want)
		}
	}
	if _, ok := Area("github.com/other/pcflow/sim"); ok {
		t.Error("a path outside the module must not have an area")
	}
}
