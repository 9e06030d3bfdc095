package steps

import (
	"testing"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/sim"
)

// The program as the engine drives it: several workloads at once, VUs
// made concurrently, each with its own profile and session, iterating
// under a load model; every step's samples carry its workload.
func TestProgramUnderTheEngine(t *testing.T) {
	tg := startSim(t, sim.Options{})
	tg.opts.Seed = 0
	scn := parse(t, `
name: mixed
setup:
  - check-server-health: {}
workloads:
  writers:
    load: {executor: per-vu-iterations, vus: 3, iterations: 4}
    vu-setup: [{onboard: {}}]
    steps:
      - upload: {size: 3KiB}
      - download: {token: "${data_token}", verify: true}
    vu-teardown: [{revoke-authorization-token: {}}]
  readers:
    load: {executor: shared-iterations, vus: 2, iterations: 6}
    vu-setup: [{onboard: {}}]
    steps:
      - list-data-tokens: {}
      - sleep: 1ms
`)
	prog, err := Compile(scn, tg.opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Run(ctxT(t), scn, prog, engine.Options{Sink: tg.sink})
	if err != nil || res.StopReason != metrics.StopNormal || res.FirstError != nil {
		t.Fatalf("run: %v, stop %s, first error %+v", err, res.StopReason, res.FirstError)
	}
	byWorkload := map[string]map[string]int{}
	tg.sink.mu.Lock()
	for _, s := range tg.sink.samples {
		if s.Failed() {
			t.Errorf("failed sample %+v", s)
		}
		if byWorkload[s.Workload] == nil {
			byWorkload[s.Workload] = map[string]int{}
		}
		byWorkload[s.Workload][s.Metric]++
	}
	tg.sink.mu.Unlock()
	for w, want := range map[string]map[string]int{
		"writers": {"step.upload.total": 12, "step.download.total": 12, "step.onboard.total": 3, "step.revoke-authorization-token.total": 3},
		"readers": {"step.list-data-tokens.total": 6, "step.onboard.total": 2},
		"mixed":   {"step.check-server-health.total": 1}, // setup belongs to no workload
	} {
		for m, n := range want {
			if got := byWorkload[w][m]; got != n {
				t.Errorf("%s %s: %d samples, want %d", w, m, got, n)
			}
		}
	}
}
