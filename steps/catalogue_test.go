package steps

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// Every operation of privicore-operations.tsv has a kind of its name, and
// every operation kind (one with a wire method) has a row: the catalogue
// and the reference cannot drift apart.
func TestEveryOperationHasAKind(t *testing.T) {
	f, err := os.Open("testdata/privicore-operations.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := map[string]string{} // step kind → operation id
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "id\t") || line == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		// "-" rows are messages every async step awaits; connect-websocket
		// is the dial every session does, not a step of its own.
		if len(cols) < 2 || cols[1] == "-" || cols[1] == "connect-websocket" {
			continue
		}
		rows[cols[1]] = cols[0]
	}
	cat := Builtin()
	for kind, id := range rows {
		if k, ok := cat.Lookup(kind); !ok || k.Method == "" {
			t.Errorf("%s %s: no operation kind of that name", id, kind)
		}
	}
	ops := 0
	for _, name := range cat.Kinds() {
		k, _ := cat.Lookup(name)
		if k.Method == "" {
			continue
		}
		ops++
		if _, ok := rows[name]; !ok {
			t.Errorf("operation kind %s has no row in privicore-operations.tsv", name)
		}
	}
	if ops != 70 || len(rows) != 70 {
		t.Errorf("%d operation kinds, %d rows; want 68 HTTP operations + join-channel + leave-channel", ops, len(rows))
	}
}

// Every declaration is complete enough for `pcflow steps` and the checker:
// a summary, an example naming the kind, metrics, and typed enums.
func TestDeclarationsAreComplete(t *testing.T) {
	cat := Builtin()
	for _, name := range cat.Kinds() {
		k, _ := cat.Lookup(name)
		if k.Summary == "" || !strings.Contains(k.Example, name) || k.run == nil {
			t.Errorf("%s: summary %q, example %q, run set %v", name, k.Summary, k.Example, k.run != nil)
		}
		if name != "sleep" && len(k.Metrics) == 0 {
			t.Errorf("%s declares no metrics", name)
		}
		for _, p := range k.Params {
			if p.Doc == "" {
				t.Errorf("%s.%s has no doc", name, p.Name)
			}
			if len(p.Enum) > 0 && p.Default != "" && !contains(p.Enum, p.Default) {
				t.Errorf("%s.%s: default %q is not one of %v", name, p.Name, p.Default, p.Enum)
			}
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
