package steps

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
	"github.com/pcflow/pcflow/sim"
)

// target is one simulator on loopback and the options pointing at it.
type target struct {
	srv  *sim.Server
	opts Options
	sink *recorder
}

func startSim(t testing.TB, so sim.Options) *target {
	t.Helper()
	srv, err := sim.Start(so)
	if err != nil {
		t.Fatalf("sim.Start: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	u := srv.URLs()
	rec := &recorder{}
	return &target{srv: srv, sink: rec, opts: Options{
		APIURL: u.API, WSURL: u.WS, DownstreamURL: u.Downstream, Sink: rec, Seed: 1,
		StepTimeout: 5 * time.Second,
	}}
}

// recorder is a Sink that keeps everything, for assertions.
type recorder struct {
	mu       sync.Mutex
	samples  []metrics.Sample
	counters map[metrics.Counter]int64
}

func (r *recorder) Record(s metrics.Sample) {
	r.mu.Lock()
	r.samples = append(r.samples, s)
	r.mu.Unlock()
}

func (r *recorder) Add(c metrics.Counter, _ string, n int64) {
	r.mu.Lock()
	if r.counters == nil {
		r.counters = map[metrics.Counter]int64{}
	}
	r.counters[c] += n
	r.mu.Unlock()
}

func (r *recorder) count(metric string) (n, failed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.samples {
		if s.Metric == metric {
			n++
			if s.Failed() {
				failed++
			}
		}
	}
	return n, failed
}

func (r *recorder) failures() []metrics.Sample {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []metrics.Sample
	for _, s := range r.samples {
		if s.Failed() {
			out = append(out, s)
		}
	}
	return out
}

// mk builds a step by hand from static values, typed by the kind's spec,
// as the loader would (defaults are filled in by Compile).
func mk(t testing.TB, kind string, params map[string]any) *scenario.Step {
	t.Helper()
	k, ok := Builtin().Kind(kind)
	if !ok {
		t.Fatalf("no kind %q", kind)
	}
	pos := scenario.Pos{File: "test.yaml", Line: 1, Col: 1}
	st := &scenario.Step{Kind: kind, Pos: pos, Spec: k, Params: map[string]*scenario.Value{}}
	for name, v := range params {
		ps, ok := k.Param(name)
		if !ok {
			t.Fatalf("%s has no parameter %q", kind, name)
		}
		st.Params[name] = scenario.StaticValue(pos, ps.Type, v)
	}
	return st
}

// expectStep sets a step's expect: and returns it.
func expectStep(st *scenario.Step, e scenario.Expect) *scenario.Step {
	st.Expect = &e
	return st
}

// oneWorkload is a scenario of one workload.
func oneWorkload(vuSetup, steps, vuTeardown []*scenario.Step) *scenario.Scenario {
	w := &scenario.Workload{Name: "w", VUSetup: vuSetup, Steps: steps, VUTeardown: vuTeardown}
	return &scenario.Scenario{Name: "w", File: "test.yaml", Workloads: []*scenario.Workload{w}}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// runOnce compiles scn against tg and runs setup, one VU for n iterations
// and the teardowns, returning the first iteration error.
func runOnce(t testing.TB, tg *target, scn *scenario.Scenario, n int) error {
	t.Helper()
	prog, err := Compile(scn, tg.opts)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	ctx := ctxT(t)
	if err := prog.Setup(ctx); err != nil {
		return err
	}
	defer prog.Teardown(ctx)
	vu, err := prog.NewVU(scn.Workloads[0].Name, 1)
	if err != nil {
		t.Fatalf("NewVU: %v", err)
	}
	defer vu.Teardown(ctx)
	if err := vu.Setup(ctx); err != nil {
		return err
	}
	for i := range n {
		if err := vu.Run(ctx, engine.Iteration{N: int64(i), Scheduled: time.Now()}); err != nil {
			return err
		}
	}
	return nil
}
