package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/report"
	"github.com/pcflow/pcflow/scenario"
	"github.com/pcflow/pcflow/steps"
)

const runDescription = `Runs a scenario under its load model and reports latency histograms per
step and per phase (http: request → response; ack: response → its WebSocket
message; total: what a user waits), the counters and the thresholds.

The load is the file's (load: or workloads:), or replaced from the command line:
  --rate 200/s --duration 1m      constant-arrival-rate: 200 iterations a second,
                                  started on time whatever the server does
  --vus 50 --duration 1m          constant-vus: 50 VUs iterating back to back
  --iterations 1000 --vus 10      shared-iterations: 1000 in total over 10 VUs
Under the arrival-rate models every sample is timed from the iteration's
scheduled start, so a stalled server shows in the percentiles; schedule_lag
says how late iterations started.

Target: --api/--ws (or PRIVICORE_API_URL/PRIVICORE_WS_URL). With neither, a
built-in simulator starts on free loopback ports; every 'pcflow sim' knob is
accepted here with a --sim- prefix. Its acks take 20ms..200ms like the live
wire's; --sim-ack-latency 0s measures the generator itself.

Ctrl-C stops gracefully: no new iteration starts, in-flight ones get
graceful-stop, and what was measured is reported and written with
stop_reason "interrupted"; a second Ctrl-C aborts at once.

Examples:
  pcflow run scenarios/store-retrieve.yaml
  pcflow run --rate 50/s --duration 30s --out json=result.json x.yaml
  pcflow run --rate 50/s --duration 30s --sim-stall 1s/5s x.yaml
      (the server freezes 1 s in every 5; the percentiles show it)
  pcflow run --sim-stall 1/10 --sim-stall-for 2s x.yaml
      (1 command in 10 is held 2 s)
  pcflow run --segment 1/4 --out json=shard1.json x.yaml
      (share 1 of 0/4 … 3/4; then pcflow merge the four results)

Exit codes: 0 thresholds and checks held; 1 a threshold or check failed or
the run was stopped early (interrupted, threshold abort, setup error); 2 the
command line or the scenario is wrong.`

// loadFlags are the flags of 'pcflow run' that shape the load.
type loadFlags struct {
	vus        int
	duration   time.Duration
	iterations int64
	rate       string
	segment    string
	outs       []string
	prof       profiles
	// metricsAddr serves live counters and histograms for Prometheus
	// while the run lasts ("" = off).
	metricsAddr string
}

func runRun(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("run", "run [flags] SCENARIO.yaml", runDescription, std)
	var c commonFlags
	c.define(fs, "run")
	var l loadFlags
	fs.IntVar(&l.vus, "vus", 0, "replace the VU count (see above), `N`")
	fs.DurationVar(&l.duration, "duration", 0, "replace the duration, `D`")
	fs.Int64Var(&l.iterations, "iterations", 0, "run `N` iterations in total (shared-iterations)")
	fs.StringVar(&l.rate, "rate", "", "run at a constant arrival rate, `R` like 50/s or 3000/m")
	fs.StringVar(&l.segment, "segment", "", "run share i (from 0) of n equal shares of the load, `i/n` (0/3, 1/3, 2/3 add up exactly to the whole; merge their results)")
	fs.StringVar(&l.prof.cpu, "cpuprofile", "", "write a CPU profile of the run to `FILE` (go tool pprof)")
	fs.StringVar(&l.prof.mem, "memprofile", "", "write a heap profile to `FILE` when the load stops (on Ctrl-C: before the VUs are torn down)")
	fs.StringVar(&l.metricsAddr, "metrics-addr", "", "serve live metrics for Prometheus at `HOST:PORT` while the run lasts (GET /metrics; deploy/grafana has a dashboard)")
	fs.Func("out", "write the result, `KIND=FILE`: json (lossless, for merge and report), html, junit, csv, text; FILE - is stdout (repeatable)", func(v string) error {
		l.outs = append(l.outs, v)
		return nil
	})
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("run: want one SCENARIO.yaml, got %d arguments (see 'pcflow run --help')", fs.NArg())
	}
	eo, err := l.engineOptions()
	if err != nil {
		return err
	}
	outs, err := parseOuts(l.outs)
	if err != nil {
		return err
	}
	if err := c.finish(fs); err != nil {
		return err
	}
	scn, err := loadScenario(fs.Arg(0))
	if err != nil {
		return err
	}
	tgt, err := c.startTarget(std)
	if err != nil {
		return err
	}
	defer tgt.close()
	if err := l.prof.start(); err != nil {
		return err
	}
	defer l.prof.stop()
	return runLoad(ctx, scn, &c, tgt, eo, outs, &l, std)
}

// engineOptions turns the load flags into the engine's overrides.
func (l loadFlags) engineOptions() (engine.Options, error) {
	var eo engine.Options
	eo.Overrides = engine.Overrides{VUs: l.vus, Duration: l.duration, Iterations: l.iterations}
	if l.vus < 0 || l.duration < 0 || l.iterations < 0 {
		return eo, usagef("run: --vus, --duration and --iterations must not be negative")
	}
	if l.rate != "" {
		r, err := scenario.ParseRate(l.rate)
		if err != nil || r.N <= 0 {
			return eo, usagef("run: --rate %q: want a rate above zero like 50/s, 3000/m or 1/h", l.rate)
		}
		eo.Overrides.Rate = r
	}
	if l.segment != "" {
		seg, err := engine.ParseSegment(l.segment)
		if err != nil {
			return eo, usagef("run: --segment %q: want i/n with 0 <= i < n, like 0/3 (the first of three shares)", l.segment)
		}
		eo.Segment = seg
	}
	return eo, nil
}

// parseOuts checks every --out KIND=FILE before anything runs.
func parseOuts(outs []string) ([]report.Output, error) {
	var parsed []report.Output
	for _, o := range outs {
		out, err := report.ParseOutput(o)
		if err != nil {
			return nil, usagef("run: %v", err)
		}
		parsed = append(parsed, out)
	}
	return parsed, nil
}

// loadScenario loads and validates one file; its problems are usage
// errors (exit 2), all of them at once.
func loadScenario(path string) (*scenario.Scenario, error) {
	scn, err := scenario.LoadFile(path, scenario.Options{Catalogue: steps.Builtin(), Env: os.Environ()})
	var probs scenario.Problems
	if errors.As(err, &probs) {
		return nil, &usageError{msg: probs.Error()}
	}
	if err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	return scn, nil
}

// runLoad compiles and runs scn with the aggregator as the sink, shows
// progress, and reports: the summary, --out files and the verdict.
func runLoad(ctx context.Context, scn *scenario.Scenario, c *commonFlags, tgt *target, eo engine.Options, outs []report.Output, l *loadFlags, std stdio) error {
	prof := &l.prof
	agg := report.NewAggregator(report.Options{Thresholds: scn.Thresholds, Workloads: workloadOrder(scn)})
	defer agg.Close()
	prog, err := steps.Compile(scn, c.stepsOptions(tgt, agg, std))
	if err != nil {
		return usagef("run: %v", err)
	}
	stop, abort, live := make(chan metrics.StopReason, 1), make(chan struct{}), &engine.Live{}
	eo.Sink, eo.Stop, eo.Abort, eo.Live = agg, stop, abort, live
	srv, err := startMetrics(l.metricsAddr, agg, live.VUs, live.MaxVUs)
	if err != nil {
		return usagef("run: --metrics-addr %s: %v", l.metricsAddr, err)
	}
	if srv != nil {
		defer srv.Close()
		fmt.Fprintf(std.err, "pcflow run: metrics for Prometheus at http://%s/metrics\n", srv.Addr())
	}
	done := make(chan struct{})
	go abortOnSecondSignal(ctx, abort, done)
	monitored := make(chan struct{})
	go func() { monitor(ctx, agg, live, stop, progressWriter(std, c.quiet), prof, done); close(monitored) }()

	cpu0, wall0 := processCPU(), time.Now()
	res, err := engine.Run(ctx, scn, prog, eo)
	cpu, wall := processCPU()-cpu0, time.Since(wall0)
	close(done)
	<-monitored
	if err != nil {
		return usagef("run: %v", err)
	}
	rr := agg.Snapshot(report.RunFacts{Scenario: scn.Name, StopReason: res.StopReason, StartedAt: res.Started,
		Duration: res.Duration, Segment: res.Segment.String(), Warnings: runWarnings(res, cpu, wall)})
	if err := writeOutputs(outs, rr, std); err != nil { // report.go's, shared with pcflow report
		return err
	}
	if err := report.WriteSummary(std.out, rr, report.SummaryOptions{Color: useColor(std)}); err != nil {
		return err
	}
	return verdict(rr, res)
}

func workloadOrder(scn *scenario.Scenario) []report.WorkloadOrder {
	var ws []report.WorkloadOrder
	for _, w := range scn.Workloads {
		o := report.WorkloadOrder{Name: w.Name}
		for _, st := range w.Steps {
			o.Steps = append(o.Steps, st.Name)
		}
		ws = append(ws, o)
	}
	return ws
}

// abortOnSecondSignal closes abort when a second Ctrl-C or SIGTERM comes:
// main's context carries the first (a graceful stop); the second must cut
// in-flight work at once, so this listens for signals itself while the
// run lasts.
func abortOnSecondSignal(ctx context.Context, abort chan<- struct{}, done <-chan struct{}) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	seen := 0
	for {
		select {
		case <-sigs:
			if seen++; seen >= 2 {
				close(abort)
				return
			}
		case <-done:
			return
		}
	}
}

// monitor updates the progress line and checks abort-on-fail thresholds
// until done; it sends StopThreshold once when one fails. On Ctrl-C it
// writes the heap profile at once, while the VUs still live.
func monitor(ctx context.Context, agg *report.Aggregator, live *engine.Live, stop chan<- metrics.StopReason, pw *report.ProgressWriter, prof *profiles, done <-chan struct{}) {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	if pw != nil {
		defer pw.Done()
	}
	sent := false
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			prof.heap()
			ctx = context.Background()
			continue
		case <-tick.C:
		}
		started, ok := live.Started()
		if !ok {
			continue
		}
		elapsed := time.Since(started)
		if _, failed := agg.AbortFailed(elapsed); failed && !sent {
			stop <- metrics.StopThreshold
			sent = true
		}
		if pw != nil {
			pw.Update(report.Progress{Elapsed: elapsed, Planned: live.Planned(), VUs: live.VUs(), MaxVUs: live.MaxVUs(), Counters: agg.Totals()})
		}
	}
}

// runWarnings are what the engine and the process know that make the
// numbers doubtful; the report adds its own from the data.
func runWarnings(res engine.Result, cpu, wall time.Duration) []string {
	var ws []string
	if cores := runtime.GOMAXPROCS(0); wall > time.Second && cpu > wall*time.Duration(cores)*9/10 {
		ws = append(ws, fmt.Sprintf("generator CPU saturated: pcflow used %.0f%% of %d cores: its own queueing is in the latencies; numbers not trustworthy",
			100*cpu.Seconds()/(wall.Seconds()*float64(cores)), cores))
	}
	if res.Stuck > 0 {
		ws = append(ws, fmt.Sprintf("%d VUs did not return from an iteration after it was cancelled; the run ended without them", res.Stuck))
	}
	for _, w := range res.Workloads {
		if w.SetupFailed > 0 {
			ws = append(ws, fmt.Sprintf("workload %s: %d of %d VUs failed their vu-setup and ran nothing", w.Name, w.SetupFailed, w.VUs))
		}
	}
	if res.FirstError != nil {
		ws = append(ws, "first failure ("+res.FirstErrorPhase+"): "+res.FirstError.Error())
	}
	return ws
}

// processCPU is the user and system CPU time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runFailed is a run that went through but failed its criteria: exit 1.
type runFailed struct{ msg string }

func (e *runFailed) Error() string { return e.msg }

// verdict is nil when every threshold and check held and the run ended as
// planned. VUs that could not set up mean the planned load never ran:
// that fails the run too.
func verdict(rr *report.Result, res engine.Result) error {
	var why []string
	setupFailed := 0
	for _, w := range res.Workloads {
		setupFailed += w.SetupFailed
	}
	if setupFailed > 0 {
		why = append(why, counted(int64(setupFailed), "VU")+" failed vu-setup")
	}
	switch rr.StopReason {
	case metrics.StopNormal, metrics.StopDuration:
	default:
		why = append(why, "stopped: "+string(rr.StopReason))
	}
	failed := 0
	for _, t := range rr.Thresholds {
		if !t.OK {
			failed++
		}
	}
	if failed > 0 {
		why = append(why, counted(int64(failed), "threshold")+" failed")
	}
	if n := rr.Counters.Get(metrics.ChecksFailed); n > 0 {
		why = append(why, counted(n, "check")+" failed")
	}
	if len(why) == 0 {
		return nil
	}
	return &runFailed{msg: "run: " + strings.Join(why, "; ")}
}
