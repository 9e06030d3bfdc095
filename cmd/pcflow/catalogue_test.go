package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/pcflow/pcflow/scenario"
)

// Every kind's Example (what `pcflow steps KIND` shows) is a step the
// loader accepts, and every kind's defaults parse: the catalogue and the
// language agree. An example may use names that earlier steps would
// capture; those are the only problems allowed.
func TestEveryKindExampleLoads(t *testing.T) {
	cat := catalogue()
	for _, name := range cat.Kinds() {
		k, _ := cat.Kind(name)
		if k.Example == "" {
			t.Errorf("%s: no example", name)
			continue
		}
		var src strings.Builder
		src.WriteString("steps:\n")
		for _, line := range strings.Split(strings.TrimRight(k.Example, "\n"), "\n") {
			src.WriteString("  " + line + "\n")
		}
		_, err := scenario.Parse("example.yaml", ".", []byte(src.String()), scenario.Options{Catalogue: cat})
		var ps scenario.Problems
		if err != nil && !errors.As(err, &ps) {
			t.Fatalf("%s: %v", name, err)
		}
		for _, p := range ps {
			if !strings.HasSuffix(p.Message, "is not defined here") {
				t.Errorf("%s: example\n%s%v", name, src.String(), p)
			}
		}
	}
}
