package archtest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Module is pcflow's module path.
const Module = "github.com/pcflow/pcflow"

// Rules says which of our packages each package may import, and which
// third-party modules the project may use at all.
type Rules struct {
	// Allowed maps an area (a top-level package such as "sim" or
	// "cmd/pcflow"; sub-packages belong to their area) to the areas it may
	// import. An area absent from the map is an error: a new package must be
	// placed in the table on purpose.
	Allowed map[string][]string
	// StdlibOnly lists areas that may import nothing outside the standard
	// library.
	StdlibOnly []string
	// Modules lists the third-party module paths any package may import.
	Modules []string
}

// DesignRules are the rules of DESIGN.md, "Layout and dependency direction".
// sim and privicore import nothing of ours and never each other: they are
// two independent readings of the same wire, so each tests the other.
func DesignRules() Rules {
	return Rules{
		Allowed: map[string][]string{
			"metrics":   nil,
			"scenario":  {"metrics"},
			"privicore": nil,
			"sim":       nil,
			"engine":    {"metrics", "scenario"},
			"steps":     {"engine", "scenario", "metrics", "privicore"},
			"report":    {"metrics"},
			"scenarios": nil,
			// deploy holds manifests and their tests only: no code of
			// ours runs from there.
			"deploy":            nil,
			"internal/archtest": nil,
			// The client's load harness: it drives privicore against a
			// simulator in another process, so it needs no sim import.
			"internal/loadbench": {"privicore"},
			"cmd/pcflow": {"metrics", "scenario", "privicore", "sim", "engine",
				"steps", "report", "scenarios"},
		},
		StdlibOnly: []string{"metrics"},
		Modules: []string{
			"gopkg.in/yaml.v3",
			"github.com/gorilla/websocket",
			"golang.org/x/sync",
			"golang.org/x/crypto",
			"github.com/HdrHistogram/hdrhistogram-go",
			// The scenario language's expressions: typed, compiled once,
			// far better kept than a parser of our own (issue: scenario language).
			"github.com/expr-lang/expr",
			// The exposition format of --metrics-addr, which Prometheus and
			// Grafana read; writing it by hand would drift from the spec.
			"github.com/prometheus/client_golang",
		},
	}
}

// Package is one package's import path and the imports of its non-test
// files. Test files may cross the table (privicore's tests run against sim).
type Package struct {
	Path    string
	Imports []string
}

// Area returns the area of one of our import paths ("sim/internal/vote" →
// "sim", "cmd/pcflow" → "cmd/pcflow"), and false for a path outside the
// module.
func Area(path string) (string, bool) {
	rel, ok := strings.CutPrefix(path, Module+"/")
	if !ok {
		return "", false
	}
	parts := strings.Split(rel, "/")
	if len(parts) >= 2 && (parts[0] == "cmd" || parts[0] == "internal") {
		return parts[0] + "/" + parts[1], true
	}
	return parts[0], true
}

// Check returns one message per forbidden import, sorted; none means the
// packages follow the rules.
func (r Rules) Check(pkgs []Package) []string {
	var problems []string
	for _, p := range pkgs {
		from, ok := Area(p.Path)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: not in module %s", p.Path, Module))
			continue
		}
		allowed, known := r.Allowed[from]
		if !known {
			problems = append(problems, fmt.Sprintf("%s: area %q is not in the dependency table of DESIGN.md; add it there and in archtest.DesignRules", p.Path, from))
			continue
		}
		for _, imp := range p.Imports {
			if msg := r.checkImport(p.Path, from, allowed, imp); msg != "" {
				problems = append(problems, msg)
			}
		}
	}
	sort.Strings(problems)
	return problems
}

func (r Rules) checkImport(path, from string, allowed []string, imp string) string {
	if to, ours := Area(imp); ours {
		if to == from || slices.Contains(allowed, to) {
			return ""
		}
		return fmt.Sprintf("%s imports %s: %s may import only %v", path, imp, from, allowedText(allowed))
	}
	if isStdlib(imp) {
		return ""
	}
	if slices.Contains(r.StdlibOnly, from) {
		return fmt.Sprintf("%s imports %s: %s may import only the standard library", path, imp, from)
	}
	for _, m := range r.Modules {
		if imp == m || strings.HasPrefix(imp, m+"/") {
			return ""
		}
	}
	return fmt.Sprintf("%s imports %s: not one of the chosen dependencies %v (add one only when it clearly beats writing the thing)", path, imp, r.Modules)
}

func allowedText(allowed []string) string {
	if len(allowed) == 0 {
		return "nothing of ours"
	}
	return strings.Join(allowed, ", ")
}

// isStdlib reports whether an import path belongs to the standard library:
// its first element has no dot (as the go command decides too).
func isStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}
