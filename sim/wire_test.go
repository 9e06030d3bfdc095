package sim_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Citations of the wire reference in comments: a section (§1.9, a range
// §2.6–2.10, a contradiction §5.3 #8), an operation id (D1, VT2) or a
// source tag ([P], and [W A8] for a tag with an operation).
var (
	sectionRef = regexp.MustCompile(`§(\d+(?:\.\d+)?)(?:–(\d+(?:\.\d+)?))?(?: #(\d+))?`)
	opRef      = regexp.MustCompile(`\b(?:PL|VT|[UPOKDVSAW])\d{1,2}\b`)
	tagRef     = regexp.MustCompile(`\[([A-Z])[\] ]`)
)

// TestWireCitations: every citation in a comment of the simulator
// resolves in docs/wire.md, so that a reader of a clone can follow it.
func TestWireCitations(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../docs/wire.md")
	if err != nil {
		t.Fatal(err)
	}
	wire := string(raw)
	has := func(s string) bool { return strings.Contains(wire, s) }
	checked := 0
	check := func(pos token.Position, cite string, ok bool) {
		checked++
		if !ok {
			t.Errorf("%s: %q does not resolve in docs/wire.md", pos, cite)
		}
	}
	for pos, text := range simComments(t) {
		for _, m := range sectionRef.FindAllStringSubmatch(text, -1) {
			for _, sec := range []string{m[1], m[2]} {
				if sec != "" {
					check(pos, m[0], has("# "+sec+" ") || has("# "+sec+". "))
				}
			}
			if m[3] != "" {
				check(pos, m[0], has("\n| "+m[3]+" | "))
			}
		}
		for _, id := range opRef.FindAllString(text, -1) {
			check(pos, id, has("\n| "+id+" | ") && (has("#### "+id+". ") || strings.HasPrefix(id, "W")))
		}
		for _, m := range tagRef.FindAllStringSubmatch(text, -1) {
			check(pos, m[0], has("| **["+m[1]+"]** |"))
		}
	}
	if checked < 100 {
		t.Fatalf("only %d citations checked: the scan is broken", checked)
	}
}

// simComments returns the text of every comment group in the simulator's
// Go files, by position.
func simComments(t *testing.T) map[token.Position]string {
	t.Helper()
	out := map[token.Position]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, cg := range f.Comments {
			out[fset.Position(cg.Pos())] = cg.Text()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
