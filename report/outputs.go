package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Output is one --out KIND=FILE of a command line.
type Output struct {
	Kind string // one of Kinds()
	Path string // "-" is standard output
}

// Kinds lists the formats a Result renders to.
func Kinds() []string { return []string{"json", "html", "junit", "csv", "text"} }

// ParseOutput parses "KIND=FILE".
func ParseOutput(s string) (Output, error) {
	kind, path, ok := strings.Cut(s, "=")
	if !ok || path == "" {
		return Output{}, fmt.Errorf("--out %q: want KIND=FILE, KIND one of %s", s, strings.Join(Kinds(), ", "))
	}
	if !slices.Contains(Kinds(), kind) {
		return Output{}, fmt.Errorf("--out %q: unknown kind %q; the kinds are %s", s, kind, strings.Join(Kinds(), ", "))
	}
	return Output{Kind: kind, Path: path}, nil
}

// Render writes r in the given kind ("text" is the end summary without
// colour). JUnit here is load mode's, a testcase per threshold.
func Render(w io.Writer, kind string, r *Result) error {
	switch kind {
	case "json":
		return EncodeJSON(w, r)
	case "html":
		return WriteHTML(w, r)
	case "junit":
		return WriteJUnit(w, r)
	case "csv":
		return WriteCSV(w, r)
	case "text":
		return WriteSummary(w, r, SummaryOptions{})
	}
	return fmt.Errorf("report: unknown output kind %q", kind)
}
