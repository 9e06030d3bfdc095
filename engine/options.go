package engine

import (
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

// Options says how Run drives a program. The zero value runs the
// scenario's load as written, whole, into metrics.Discard.
type Options struct {
	// Sink receives the engine's samples ("iteration", "schedule_lag") and
	// counters (iterations, dropped_iterations); nil → metrics.Discard.
	// The program's steps record into their own sink (the same one, given
	// to steps.Compile).
	Sink metrics.Sink
	// Overrides replace parts of every workload's load (--vus, --duration,
	// --iterations, --rate); see Overrides.
	Overrides Overrides
	// Segment is the share of the load this process runs (--segment i/n);
	// the zero value is the whole.
	Segment Segment
	// Once runs every workload as one VU doing one iteration from the
	// start, whatever its load says: the mode of `pcflow test`.
	Once bool
	// FailFast stops the run (stop reason "error") at the first failed
	// iteration or VU setup; Result.FirstError says which step failed.
	FailFast bool

	// Stop, when it delivers a reason, stops the run gracefully with that
	// reason, as a cancelled ctx does with "interrupted": a threshold with
	// abort-on-fail sends StopThreshold. Nil: never.
	Stop <-chan metrics.StopReason
	// Abort, when closed, cancels every in-flight iteration and teardown
	// at once (a second Ctrl-C). Nil: never.
	Abort <-chan struct{}

	// SetupTimeout bounds setup and each VU's vu-setup; 0 → 5 minutes.
	SetupTimeout time.Duration
	// TeardownTimeout bounds teardown and each VU's vu-teardown, which run
	// with a fresh context even after an interrupt; 0 → 1 minute.
	TeardownTimeout time.Duration
	// StuckTimeout is how long the engine waits, after cancelling
	// in-flight iterations, for VUs that ignore their context, before it
	// gives up on them (counted in Result.Stuck); 0 → 10 seconds.
	StuckTimeout time.Duration
	// Live, when set, is kept up to date for a progress line.
	Live *Live

	// SetupConcurrency is how many VUs do their vu-setup at once before
	// the clock starts; 0 → 256.
	SetupConcurrency int
}

// Overrides are the command line's replacements for the file's load.
// Zero fields change nothing. They apply to every workload:
//   - Rate: the workload becomes constant-arrival-rate at Rate for
//     Duration (or the workload's own duration or stages' length), with
//     VUs (or its own VU numbers) pre-allocated, growing up to its max-vus
//     or else one second's worth of iterations;
//   - else Iterations: shared-iterations of Iterations on VUs (or the
//     workload's VUs, else 1), within Duration if given;
//   - else Duration: constant-vus for Duration on VUs (or the workload's
//     VUs); a ramping executor with no VUs given is refused;
//   - else VUs: the VU count of per-vu-iterations, shared-iterations and
//     constant-vus, the pre-allocated and max VUs of the arrival-rate
//     executors; refused for ramping-vus, whose stages say it.
type Overrides struct {
	VUs        int
	Duration   time.Duration
	Iterations int64
	Rate       scenario.Rate
}

// Result is what Run reports besides the samples and counters it sent to
// the sink.
type Result struct {
	StopReason metrics.StopReason
	Segment    Segment
	// Started is when the clock started: after setup and the VUs'
	// vu-setup. Duration is from then until the last VU stopped
	// (teardowns excluded).
	Started   time.Time
	Duration  time.Duration
	Workloads []WorkloadResult
	// FirstError is the first failure of the run: of setup, a vu-setup,
	// an iteration, a vu-teardown or teardown, in that order of
	// precedence for setup; nil when nothing failed.
	FirstError *StepError
	// FirstErrorPhase says where FirstError happened: "setup", "vu-setup",
	// "iteration", "vu-teardown" or "teardown".
	FirstErrorPhase string
	// Stuck is the number of VUs that did not return from their iteration
	// within StuckTimeout after it was cancelled: a step that ignores its
	// context. The run ended without them.
	Stuck int
}

// WorkloadResult counts one workload's work.
type WorkloadResult struct {
	Name string
	// Iterations finished (failed or not); Failed of them returned an
	// error; Interrupted were cut by the end of graceful-stop or -ramp-down
	// (or an abort) and are not in Iterations; Dropped found no free VU.
	Iterations, Failed, Interrupted, Dropped int64
	// VUs is how many VUs the workload made; SetupFailed of them failed
	// their vu-setup (not counting one cut short by a stop) and ran nothing.
	VUs, SetupFailed int
	// Cut says the workload's duration or max-duration ran out with
	// planned iterations left.
	Cut bool
}

func (o Options) sink() metrics.Sink {
	if o.Sink == nil {
		return metrics.Discard{}
	}
	return o.Sink
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
