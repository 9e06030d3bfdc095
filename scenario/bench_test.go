package scenario_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pcflow/pcflow/scenario"
)

// BenchmarkTemplateThreeParts expands a string with three dynamic parts,
// as every iteration does for a generated name. Budget: ≤ 300 ns and one
// allocation, the result string.
func BenchmarkTemplateThreeParts(b *testing.B) {
	s := load(b, `
vars:
  user: "alice"
steps:
  - download: {token: "load-${vu}-${iteration}-${user}@pcflow.test"}
`, nil)
	env := scenario.NewEnv(s.Workloads[0], 17, nil)
	if err := env.BeginIteration(12345); err != nil {
		b.Fatal(err)
	}
	v := s.Workloads[0].Steps[0].Param("token")
	if got, _ := v.String(env); got != "load-17-12345-alice@pcflow.test" {
		b.Fatalf("got %q", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.String(env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTemplateExpression is a part that needs the expression VM.
func BenchmarkTemplateExpression(b *testing.B) {
	s := load(b, `
steps:
  - download: {token: "load-${vu * 2 + 1}"}
`, nil)
	env := scenario.NewEnv(s.Workloads[0], 17, nil)
	_ = env.BeginIteration(1)
	v := s.Workloads[0].Steps[0].Param("token")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.String(env); err != nil {
			b.Fatal(err)
		}
	}
}

// bigScenario is a file of 5 workloads of 100 steps each, with templates,
// checks, captures and thresholds: what a large real suite looks like.
func bigScenario() []byte {
	var b strings.Builder
	b.WriteString("name: big\nworkloads:\n")
	for w := range 5 {
		fmt.Fprintf(&b, "  w%d:\n    load: {executor: constant-vus, vus: 10, duration: 1m}\n", w)
		b.WriteString("    vars:\n      user: \"u-${vu}-${iteration}\"\n      size: \"${random.int(1, 64)}KiB\"\n")
		b.WriteString("    vu-setup:\n      - onboard: {username: \"${random.hex(8)}\"}\n    steps:\n")
		for i := range 100 {
			switch i % 4 {
			case 0:
				fmt.Fprintf(&b, "      - upload: {size: \"${size}\"}\n        name: up%d\n        check: [\"response.status == 202\"]\n", i)
			case 1:
				fmt.Fprintf(&b, "      - download: {token: \"${data_token}\", verify: true}\n        capture: {c%d: response.status}\n", i)
			case 2:
				fmt.Fprintf(&b, "      - http: {method: POST, path: \"/x/${user}/${c%d}\", json: {a: \"${vu}\", b: [1, 2]}}\n        if: \"vu > 0\"\n", i-1)
			default:
				b.WriteString("      - sleep: 10ms..20ms\n")
			}
		}
	}
	b.WriteString("thresholds:\n  iteration: [p99 < 3s]\n  step.up0.total{workload:w1}: [p95 < 400ms]\n  errors: [rate < 0.01]\n")
	return []byte(b.String())
}

// BenchmarkLoad500Steps loads and validates the 500-step, 5-workload
// file. Budget: under 20 ms.
func BenchmarkLoad500Steps(b *testing.B) {
	src := bigScenario()
	cat := newTestCatalogue()
	if _, err := scenario.Parse("big.yaml", ".", src, scenario.Options{Catalogue: cat}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scenario.Parse("big.yaml", ".", src, scenario.Options{Catalogue: cat}); err != nil {
			b.Fatal(err)
		}
	}
}
