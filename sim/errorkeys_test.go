package sim_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// errorKey is the shape of the simulator's machine keys (§1.13):
// domain.snake_case.
var errorKey = regexp.MustCompile(`^[a-z][a-z_]*\.[a-z][a-z_]*$`)

// notErrorKeys are strings of that shape that are not error keys.
func notErrorKeys() map[string]string {
	return map[string]string{
		"data_token.data_requested":          "a policy template's event id",
		"data_token.exchange_data_for_token": "a policy template's event id",
	}
}

// unreachableKeys are error keys no request can provoke, each with why;
// a key listed here that a test does assert is an error too.
func unreachableKeys() map[string]string {
	return map[string]string{
		"sim.internal_error":           "answered only when a handler panics",
		"voting.invalid_configuration": "the settings a pool is made from were validated when set",
		"validation.invalid":           "every error the vote package returns to a handler is a *vote.FieldError",
	}
}

// TestEveryErrorKeyIsAsserted fails when the simulator can answer an
// error key (a string literal or constant of the simulator's code, in a
// 4xx/5xx body, a 422 field list or a status-3 ack) that no test names in
// its code. A key is asserted where a test passes it to a helper such as
// wantKey or wantRejected, compares an answer against it, or lists it in
// a table that an assertion reads.
func TestEveryErrorKeyIsAsserted(t *testing.T) {
	t.Parallel()
	keys, asserted := map[string]token.Position{}, map[string]bool{}
	notError, unreachable := notErrorKeys(), unreachableKeys()
	consts := map[string]string{} // constant name → key, to follow pipeline.ReasonInjected and the like
	var tests []*ast.File
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		if path == "errorkeys_test.go" { // its lists name keys without asserting them
			return nil
		}
		if strings.HasSuffix(path, "_test.go") {
			tests = append(tests, f)
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if vs, ok := n.(*ast.ValueSpec); ok {
				for i, v := range vs.Values {
					if k := keyLit(v); k != "" && i < len(vs.Names) {
						consts[vs.Names[i].Name] = k
					}
				}
			}
			if k := keyLit(n); k != "" && notError[k] == "" {
				keys[k] = fset.Position(n.Pos())
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tests {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.Ident:
				if k, ok := consts[x.Name]; ok {
					asserted[k] = true
				}
			default:
				if k := keyLit(n); k != "" {
					asserted[k] = true
				}
			}
			return true
		})
	}
	var missing []string
	for k, pos := range keys {
		_, listed := unreachable[k]
		switch {
		case listed && asserted[k]:
			t.Errorf("%s: %q is asserted by a test but listed as unreachable", pos, k)
		case !listed && !asserted[k]:
			missing = append(missing, pos.String()+": "+k)
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("no test asserts the error key at %s", m)
	}
	if len(keys) < 50 {
		t.Fatalf("only %d error keys found: the scan is broken", len(keys))
	}
}

// keyLit is the error key n spells as a string literal, or "".
func keyLit(n ast.Node) string {
	lit, ok := n.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil || !errorKey.MatchString(s) {
		return ""
	}
	return s
}
