package steps

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
	"github.com/pcflow/pcflow/sim"
)

// The per-step overhead of the program around a client call: parameters,
// if/expect, the Timing→samples adapter, counters, captures and checks.
// BenchmarkStepOverhead measures it exactly, with the client call replaced
// by a kind that reports a ready-made answer; BenchmarkStepAgainstSimulator
// and BenchmarkClientCallAgainstSimulator give the same step against the
// simulator and the bare client call, whose difference is the overhead
// again, within the network's noise. Run:
//
//	go test -run '^$' -bench 'Step|ClientCall' -benchmem ./steps/
func BenchmarkStepOverhead(b *testing.B) {
	for _, bc := range []struct {
		name string
		yaml string // steps of a parsed scenario; "" → a hand-built bare step
	}{
		{"bare", ""},
		{"capture+check", "- answer: {}\n  capture: {s: response.status}\n  check: [\"response.status == 200\"]\n"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cat := Builtin()
			cat.add(answerKind())
			var scn *scenario.Scenario
			if bc.yaml == "" {
				st := &scenario.Step{Kind: "answer", Name: "answer", Params: map[string]*scenario.Value{}}
				scn = oneWorkload(nil, []*scenario.Step{st}, nil)
			} else {
				var err error
				scn, err = scenario.Parse("bench.yaml", ".", []byte("name: bench\nsteps:\n"+indent(bc.yaml)),
					scenario.Options{Catalogue: cat})
				if err != nil {
					b.Skipf("scenario.Parse: %v", err)
				}
			}
			prog, err := Compile(scn, Options{Catalogue: cat, Sink: metrics.Discard{}})
			if err != nil {
				b.Fatal(err)
			}
			u, _ := prog.NewVU(scn.Workloads[0].Name, 1)
			v := u.(*vu)
			st := v.w.steps[0]
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := processCPU()
			n := 0
			for b.Loop() {
				if err := v.runStep(ctx, st, 0); err != nil {
					b.Fatal(err)
				}
				n++
			}
			// On a shared machine ns/op is mostly waiting for a core; the
			// process's CPU time per step is the overhead itself.
			b.ReportMetric(float64(processCPU()-cpu0)/float64(n), "cpu-ns/op")
		})
	}
}

// answerKind stands in for a client call: it reports the Timing of a
// synchronous answer that took no time, as an op kind's run does.
func answerKind() *Kind {
	t0 := time.Now()
	t := privicore.Timing{Start: t0, Written: t0, Read: t0.Add(time.Microsecond)}
	return op(opDecl{name: "answer", summary: "test double", method: "GET", path: "/answer", public: true,
		run: func(ctx context.Context, c *call) error { return c.done(t, nil) }})
}

func BenchmarkStepAgainstSimulator(b *testing.B) {
	tg := startSim(b, sim.Options{})
	tg.opts.Sink = metrics.Discard{}
	scn := oneWorkload(nil, []*scenario.Step{mk(b, "check-server-health", nil)}, nil)
	prog, err := Compile(scn, tg.opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = prog.Teardown(context.Background()) })
	u, _ := prog.NewVU("w", 1)
	v := u.(*vu)
	st := v.w.steps[0]
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := v.runStep(ctx, st, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClientCallAgainstSimulator(b *testing.B) {
	tg := startSim(b, sim.Options{})
	c := privicore.New(privicore.Options{APIURL: tg.opts.APIURL, HTTPClient: defaultHTTPClient(0)})
	b.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.CheckServerHealth(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

var _ engine.VU = (*vu)(nil)

// processCPU is the process's user+system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
