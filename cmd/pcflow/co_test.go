package main

import (
	"testing"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/sim"
)

// TestArrivalRateShowsAStallThatAClosedModelHides is the coordinated
// omission test. The simulator freezes its acks for the first second of
// every five. At a fixed arrival rate, the iterations scheduled during
// the freeze still start on time and wait it out, so the stalled step's
// p99 is at the stall's scale and every scheduled iteration ran; one
// closed-model VU instead waits once and then runs fast for four seconds,
// so the same stall barely reaches its p99. Asserted on counts and
// orders of magnitude, never on exact times.
func TestArrivalRateShowsAStallThatAClosedModelHides(t *testing.T) {
	if _, err := sim.ParseStall("1s/5s"); err != nil {
		t.Skip("needs the simulator's --stall HOLD/EVERY to take durations (1s/5s: no ack leaves during the first second of every five): " + err.Error())
	}
	dir := t.TempDir()
	steps := "steps:\n  - register-profile: {username: \"co-${vu}-${iteration}\", password: pw}\n"
	open := writeFile(t, dir, "open.yaml", "name: open\nload: {executor: constant-arrival-rate, rate: 50/s, duration: 6s, pre-allocated-vus: 100, max-vus: 200}\n"+steps)
	closed := writeFile(t, dir, "closed.yaml", "name: closed\nload: {executor: constant-vus, vus: 1, duration: 6s}\n"+steps)
	knobs := []string{"--sim-ack-latency", "1ms", "--sim-stall", "1s/5s"}

	code, _, errOut, rr := runResult(t, append(knobs, open)...)
	if code != exitOK || rr == nil {
		t.Fatalf("open model: exit %d\n%s", code, errOut)
	}
	m := rr.Metrics["step.register-profile.total"]
	if m != nil {
		t.Logf("open model: %d iterations, p50 %.1fms p99 %.1fms", rr.Counters.Get(metrics.Iterations), m.P50Ms, m.P99Ms)
	}
	if its := rr.Counters.Get(metrics.Iterations); its != 300 || rr.Counters.Get(metrics.DroppedIterations) != 0 || m == nil || m.P99Ms < 200 {
		t.Errorf("open model: %d iterations, %d dropped, metric %+v; want all 300 run and p99 at the stall's scale (>= 200ms)",
			its, rr.Counters.Get(metrics.DroppedIterations), m)
	}

	code, _, errOut, rr = runResult(t, append(knobs, closed)...)
	if code != exitOK || rr == nil {
		t.Fatalf("closed model: exit %d\n%s", code, errOut)
	}
	m = rr.Metrics["step.register-profile.total"]
	if m != nil {
		t.Logf("closed model: %d iterations, p50 %.1fms p99 %.1fms", rr.Counters.Get(metrics.Iterations), m.P50Ms, m.P99Ms)
	}
	if m == nil || m.P99Ms > 100 {
		t.Errorf("closed model: metric %+v; want the omission: p99 far below the stall (< 100ms)", m)
	}
}
