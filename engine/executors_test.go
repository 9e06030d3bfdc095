package engine

import (
	"context"
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

// Every test here asserts counts within bounds the schedule implies,
// never times: the machine may be slow, and a slow machine may only move
// counts toward their lower bounds.

func runFake(t *testing.T, p *fakeProgram, l scenario.Load, opts Options) (Result, *countSink) {
	t.Helper()
	sink := &countSink{}
	opts.Sink = sink
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := Run(ctx, oneWorkload(l), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := sink.iterations.Load(); got != res.Workloads[0].Iterations {
		t.Errorf("%d iteration samples for %d iterations", got, res.Workloads[0].Iterations)
	}
	if got := sink.counters[metrics.Iterations].Load(); got != res.Workloads[0].Iterations {
		t.Errorf("iterations counter %d for %d iterations", got, res.Workloads[0].Iterations)
	}
	if got := sink.counters[metrics.DroppedIterations].Load(); got != res.Workloads[0].Dropped {
		t.Errorf("dropped counter %d for %d dropped", got, res.Workloads[0].Dropped)
	}
	if p.setups.Load() != 1 || p.teardowns.Load() != 1 {
		t.Errorf("setup ran %d times, teardown %d; want once each", p.setups.Load(), p.teardowns.Load())
	}
	if p.vuTeardowns.Load() != p.newVUs.Load() {
		t.Errorf("%d VUs made, %d torn down", p.newVUs.Load(), p.vuTeardowns.Load())
	}
	return res, sink
}

func TestPerVUIterationsRunsEachVUsCount(t *testing.T) {
	p := &fakeProgram{}
	res, _ := runFake(t, p, scenario.Load{Executor: scenario.PerVUIterations, VUs: 3, Iterations: 4, MaxDuration: time.Minute}, Options{})
	if w := res.Workloads[0]; w.Iterations != 12 || w.VUs != 3 || res.StopReason != metrics.StopNormal {
		t.Fatalf("%+v %s; want 12 iterations on 3 VUs, normal", w, res.StopReason)
	}
	if p.runsBeforeSetupEnd.Load() != 0 {
		t.Error("an iteration ran while a VU was still in vu-setup: pre-allocated VUs set up before the clock")
	}
}

func TestSharedIterationsRunsExactlyTheTotal(t *testing.T) {
	p := &fakeProgram{iterTime: time.Millisecond}
	res, _ := runFake(t, p, scenario.Load{Executor: scenario.SharedIterations, VUs: 4, Iterations: 25, MaxDuration: time.Minute}, Options{})
	if w := res.Workloads[0]; w.Iterations != 25 || p.maxActive.Load() > 4 || res.StopReason != metrics.StopNormal {
		t.Fatalf("%+v max concurrent %d %s; want 25 iterations, at most 4 at once", w, p.maxActive.Load(), res.StopReason)
	}
}

func TestMaxDurationCutsWithStopReasonDuration(t *testing.T) {
	p := &fakeProgram{block: true}
	res, _ := runFake(t, p, scenario.Load{Executor: scenario.PerVUIterations, VUs: 2, Iterations: 3, MaxDuration: 20 * ms}, Options{})
	if w := res.Workloads[0]; w.Iterations != 0 || w.Interrupted != 2 || !w.Cut || res.StopReason != metrics.StopDuration {
		t.Fatalf("%+v %s; want 2 interrupted, cut, stop reason duration", w, res.StopReason)
	}
}

func TestConstantVUsKeepsItsVUsBusyForItsDuration(t *testing.T) {
	p := &fakeProgram{iterTime: 10 * ms}
	res, _ := runFake(t, p, scenario.Load{Executor: scenario.ConstantVUs, VUs: 2, Duration: 100 * ms, GracefulStop: time.Minute}, Options{})
	w := res.Workloads[0]
	// An iteration takes at least 10ms and none starts at or after 100ms:
	// at most 10 per VU; graceful-stop lets every started one finish.
	if w.Iterations < 2 || w.Iterations > 20 || w.Interrupted != 0 || p.maxActive.Load() > 2 || res.StopReason != metrics.StopNormal {
		t.Fatalf("%+v max concurrent %d %s; want 2..20 iterations, none interrupted, normal", w, p.maxActive.Load(), res.StopReason)
	}
}

func TestRampingVUsNeverExceedsItsTargetAndRampsDownGracefully(t *testing.T) {
	p := &fakeProgram{block: true}
	l := scenario.Load{Executor: scenario.RampingVUs, StartVUs: 1, GracefulRampDown: 0, GracefulStop: 0,
		Stages: []scenario.Stage{stg(30*ms, 3), stg(30*ms, 0)}}
	res, _ := runFake(t, p, l, Options{})
	w := res.Workloads[0]
	// Each VU blocks in its first iteration until ramp-down or the end
	// interrupts it; 3 VUs were made before the clock.
	if w.VUs != 3 || w.Iterations != 0 || w.Interrupted < 1 || w.Interrupted > 3 || p.maxActive.Load() > 3 {
		t.Fatalf("%+v max concurrent %d; want 3 VUs, 1..3 interrupted, at most 3 at once", w, p.maxActive.Load())
	}
}

func TestConstantArrivalRateStartsEveryDueIteration(t *testing.T) {
	p := &fakeProgram{}
	l := scenario.Load{Executor: scenario.ConstantArrivalRate, Rate: scenario.Rate{N: 200, Per: s}, Duration: 100 * ms,
		PreAllocatedVUs: 20, MaxVUs: 20, GracefulStop: time.Minute}
	res, sink := runFake(t, p, l, Options{})
	w := res.Workloads[0]
	// 200/s over 100ms: iterations 0..19 are due.
	if w.Iterations+w.Dropped != 20 || w.Interrupted != 0 || sink.lags.Load() != w.Iterations || sink.negativeLag.Load() != 0 {
		t.Fatalf("%+v, %d lag samples (%d negative); want 20 iterations or drops, a lag sample each", w, sink.lags.Load(), sink.negativeLag.Load())
	}
}

func TestArrivalRateDropsWhenNoVUIsFreeAndGrowsToMaxVUs(t *testing.T) {
	p := &fakeProgram{block: true}
	l := scenario.Load{Executor: scenario.ConstantArrivalRate, Rate: scenario.Rate{N: 100, Per: s}, Duration: 100 * ms,
		PreAllocatedVUs: 1, MaxVUs: 3, GracefulStop: 0}
	res, _ := runFake(t, p, l, Options{})
	w := res.Workloads[0]
	// Every VU blocks in the first iteration it gets: at most 3 start
	// (the pre-allocated one, then one per added VU); the other due
	// iterations are dropped, and each drop may add a VU up to max-vus.
	if w.VUs > 3 || w.Interrupted < 1 || w.Interrupted > 3 || w.Interrupted+w.Dropped != 10 || w.Iterations != 0 {
		t.Fatalf("%+v; want at most 3 VUs, 1..3 interrupted, interrupted+dropped = 10", w)
	}
}

func TestRampingArrivalRateStartsEveryDueIteration(t *testing.T) {
	p := &fakeProgram{}
	// 0 → 200/s over 100ms: count(0.1s) = 10, so iterations 0..9 are due.
	l := scenario.Load{Executor: scenario.RampingArrivalRate, TimeUnit: s, Stages: []scenario.Stage{stg(100*ms, 200)},
		PreAllocatedVUs: 10, MaxVUs: 10, GracefulStop: time.Minute}
	res, _ := runFake(t, p, l, Options{})
	if w := res.Workloads[0]; w.Iterations+w.Dropped != 10 || res.StopReason != metrics.StopNormal {
		t.Fatalf("%+v %s; want 10 iterations or drops", w, res.StopReason)
	}
}

func TestSegmentsAddUpToTheWhole(t *testing.T) {
	for _, tc := range []struct {
		name string
		load scenario.Load
		want int64
	}{
		{"shared-iterations", scenario.Load{Executor: scenario.SharedIterations, VUs: 2, Iterations: 31, MaxDuration: time.Minute}, 31},
		{"per-vu-iterations", scenario.Load{Executor: scenario.PerVUIterations, VUs: 5, Iterations: 3, MaxDuration: time.Minute}, 15},
		{"constant-arrival-rate", scenario.Load{Executor: scenario.ConstantArrivalRate, Rate: scenario.Rate{N: 310, Per: s},
			Duration: 100 * ms, PreAllocatedVUs: 4, MaxVUs: 4, GracefulStop: time.Minute}, 31},
	} {
		sum := int64(0)
		for i := 0; i < 3; i++ {
			res, _ := runFake(t, &fakeProgram{}, tc.load, Options{Segment: Segment{I: i, N: 3}})
			w := res.Workloads[0]
			sum += w.Iterations + w.Dropped
			if res.Segment != (Segment{I: i, N: 3}) {
				t.Errorf("%s: result segment %v", tc.name, res.Segment)
			}
		}
		if sum != tc.want {
			t.Errorf("%s: 3 segments ran %d iterations (or drops); the whole is %d", tc.name, sum, tc.want)
		}
	}
}

func TestCancelStopsGracefullyAsInterrupted(t *testing.T) {
	p := &fakeProgram{iterTime: ms}
	ctx, cancel := context.WithCancel(context.Background())
	sink := &countSink{}
	go func() {
		for p.runs.Load() < 3 {
			time.Sleep(ms)
		}
		cancel()
	}()
	res, err := Run(ctx, oneWorkload(scenario.Load{Executor: scenario.ConstantVUs, VUs: 2, Duration: time.Hour, GracefulStop: time.Minute}),
		p, Options{Sink: sink})
	if err != nil || res.StopReason != metrics.StopInterrupted || res.Workloads[0].Iterations < 2 {
		t.Fatalf("%+v %v; want stop reason interrupted after a few iterations", res, err)
	}
	if p.teardowns.Load() != 1 || p.vuTeardowns.Load() != 2 {
		t.Errorf("teardown %d, vu-teardown %d after an interrupt; want 1 and 2", p.teardowns.Load(), p.vuTeardowns.Load())
	}
}

func TestStopChannelStopsWithItsReason(t *testing.T) {
	stop := make(chan metrics.StopReason, 1)
	stop <- metrics.StopThreshold
	res, _ := runFake(t, &fakeProgram{iterTime: ms}, scenario.Load{Executor: scenario.ConstantVUs, VUs: 1, Duration: time.Hour}, Options{Stop: stop})
	if res.StopReason != metrics.StopThreshold {
		t.Fatalf("stop reason %s, want threshold", res.StopReason)
	}
}

func TestAbortCancelsInFlightAtOnce(t *testing.T) {
	p := &fakeProgram{block: true}
	abort := make(chan struct{})
	go func() {
		for p.runs.Load() < 1 {
			time.Sleep(ms)
		}
		close(abort)
	}()
	res, _ := runFake(t, p, scenario.Load{Executor: scenario.ConstantVUs, VUs: 1, Duration: time.Hour, GracefulStop: time.Hour}, Options{Abort: abort})
	if res.StopReason != metrics.StopInterrupted || res.Workloads[0].Interrupted != 1 {
		t.Fatalf("%+v; want interrupted with the one iteration cut", res)
	}
}

func TestSetupFailureRunsNoLoad(t *testing.T) {
	p := &fakeProgram{setupErr: errSetup}
	res, _ := Run(context.Background(), oneWorkload(scenario.Load{Executor: scenario.PerVUIterations, VUs: 2, Iterations: 1}), p, Options{})
	if res.StopReason != metrics.StopError || p.newVUs.Load() != 0 || p.teardowns.Load() != 1 || res.FirstErrorPhase != "setup" {
		t.Fatalf("%+v; want stop reason error, no VU, teardown still run", res)
	}
}

func TestVUSetupFailureRetiresTheVU(t *testing.T) {
	p := &fakeProgram{vuErr: errSetup}
	res, _ := runFake(t, p, scenario.Load{Executor: scenario.PerVUIterations, VUs: 2, Iterations: 3}, Options{})
	if w := res.Workloads[0]; w.SetupFailed != 2 || w.Iterations != 0 || p.runs.Load() != 0 || res.FirstErrorPhase != "vu-setup" {
		t.Fatalf("%+v; want both VUs retired before any iteration", res)
	}
}

func TestFailFastStopsAtTheFirstFailure(t *testing.T) {
	p := &fakeProgram{failAt: 1}
	res, sink := runFake(t, p, scenario.Load{Executor: scenario.PerVUIterations, VUs: 1, Iterations: 100}, Options{FailFast: true})
	if w := res.Workloads[0]; w.Iterations != 2 || w.Failed != 1 || res.StopReason != metrics.StopError || res.FirstError == nil || res.FirstError.Pos != "f.yaml:3:5" {
		t.Fatalf("%+v; want 2 iterations, the 2nd failed, stop reason error with its StepError", res)
	}
	if sink.failedIterations.Load() != 1 {
		t.Errorf("%d failed iteration samples, want 1", sink.failedIterations.Load())
	}
}

func TestOnceRunsOneIterationPerWorkload(t *testing.T) {
	p := &fakeProgram{}
	scn := &scenario.Scenario{Workloads: []*scenario.Workload{
		{Name: "a", Load: scenario.Load{Executor: scenario.ConstantVUs, VUs: 50, Duration: time.Hour, StartTime: time.Hour}},
		{Name: "b", Load: scenario.Load{Executor: scenario.ConstantArrivalRate, Rate: scenario.Rate{N: 1000, Per: s}, Duration: time.Hour, PreAllocatedVUs: 10}},
	}}
	res, err := Run(context.Background(), scn, p, Options{Once: true})
	if err != nil || p.runs.Load() != 2 || p.newVUs.Load() != 2 || res.StopReason != metrics.StopNormal {
		t.Fatalf("%+v %v: %d runs on %d VUs; want 1 each of 2 workloads", res, err, p.runs.Load(), p.newVUs.Load())
	}
}

func TestAVUThatIgnoresItsContextDoesNotHangTheRun(t *testing.T) {
	p := &fakeProgram{ignore: make(chan struct{})}
	t.Cleanup(func() { close(p.ignore) })
	res, err := Run(context.Background(), oneWorkload(scenario.Load{Executor: scenario.ConstantVUs, VUs: 1, Duration: 10 * ms}),
		p, Options{StuckTimeout: 10 * ms})
	if err != nil || res.Stuck != 1 {
		t.Fatalf("%+v %v; want the run to end with 1 stuck VU", res, err)
	}
}

func TestOverridesThatDoNotFitAreErrors(t *testing.T) {
	ramp := oneWorkload(scenario.Load{Executor: scenario.RampingVUs, Stages: []scenario.Stage{stg(s, 2)}})
	for _, o := range []Overrides{{VUs: 3}, {Duration: s}} {
		if _, err := Run(context.Background(), ramp, &fakeProgram{}, Options{Overrides: o}); err == nil {
			t.Errorf("override %+v of ramping-vus: no error", o)
		}
	}
	if _, err := Run(context.Background(), ramp, &fakeProgram{}, Options{Segment: Segment{I: 3, N: 3}}); err == nil {
		t.Error("segment 3/3: no error")
	}
}

func TestWorkloadsRunAtOnceEachFromItsStartTime(t *testing.T) {
	p := &fakeProgram{}
	scn := &scenario.Scenario{Workloads: []*scenario.Workload{
		{Name: "a", Load: scenario.Load{Executor: scenario.PerVUIterations, VUs: 2, Iterations: 3, MaxDuration: time.Minute}},
		{Name: "b", Load: scenario.Load{Executor: scenario.SharedIterations, VUs: 1, Iterations: 4, MaxDuration: time.Minute, StartTime: 30 * ms}},
		{Name: "c", Load: scenario.Load{Executor: scenario.ConstantArrivalRate, Rate: scenario.Rate{N: 100, Per: s}, Duration: 50 * ms,
			PreAllocatedVUs: 5, MaxVUs: 5, StartTime: 10 * ms, GracefulStop: time.Minute}},
	}}
	res, err := Run(context.Background(), scn, p, Options{})
	if err != nil || len(res.Workloads) != 3 {
		t.Fatal(res, err)
	}
	a, b, c := res.Workloads[0], res.Workloads[1], res.Workloads[2]
	// c: 100/s over 50ms from its start: iterations 0..4 are due.
	if a.Name != "a" || a.Iterations != 6 || b.Iterations != 4 || c.Iterations+c.Dropped != 5 || res.StopReason != metrics.StopNormal {
		t.Fatalf("%+v; want a 6, b 4, c 5 iterations (or drops)", res.Workloads)
	}
	if p.newVUs.Load() != 8 {
		t.Errorf("%d VUs made; want 2 + 1 + 5", p.newVUs.Load())
	}
}

func TestRampDownLetsRetiredVUsFinishTheirIteration(t *testing.T) {
	p := &fakeProgram{iterTime: 20 * ms}
	// 2 VUs for 50ms, then both retired at once, with a minute to finish.
	l := scenario.Load{Executor: scenario.RampingVUs, StartVUs: 2, GracefulRampDown: time.Minute, GracefulStop: time.Minute,
		Stages: []scenario.Stage{stg(50*ms, 2), stg(0, 0), stg(50*ms, 0)}}
	res, _ := runFake(t, p, l, Options{})
	// Each VU starts iterations only while wanted (< 50ms, ≥ 20ms each):
	// at most 3 each; none is cut, since ramp-down gives them a minute.
	if w := res.Workloads[0]; w.Interrupted != 0 || w.Iterations < 2 || w.Iterations > 6 {
		t.Fatalf("%+v; want 2..6 iterations, none interrupted", w)
	}
}

func TestInterruptDuringVUSetupIsNoFailure(t *testing.T) {
	p := &fakeProgram{vuBlock: true}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for p.settingUp.Load() < 2 {
			time.Sleep(ms)
		}
		cancel()
	}()
	res, err := Run(ctx, oneWorkload(scenario.Load{Executor: scenario.ConstantVUs, VUs: 2, Duration: time.Hour}), p, Options{})
	if err != nil || res.StopReason != metrics.StopInterrupted || res.Workloads[0].SetupFailed != 0 || res.FirstError != nil || p.runs.Load() != 0 {
		t.Fatalf("%+v %v; want interrupted, no iteration, and no vu-setup failure", res, err)
	}
	if p.vuTeardowns.Load() != 2 {
		t.Errorf("%d vu-teardowns; want 2 (Teardown runs after a setup cut short too)", p.vuTeardowns.Load())
	}
}
