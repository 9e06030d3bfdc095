package metrics

import "time"

// Sample is one timed thing: a step's HTTP half, its acknowledgement half,
// the whole step, or a whole iteration. It is a plain value with no
// pointers but its strings, so sending one through a channel or storing it
// in a buffer allocates nothing.
//
// Metric names follow DESIGN.md: "step.NAME.http", "step.NAME.ack",
// "step.NAME.total", "iteration", "schedule_lag", or "group.NAME" for a
// group step. Producers build these strings once (when a scenario is
// compiled), never per sample.
type Sample struct {
	Metric   string // e.g. "step.upload.total"
	Workload string // the workload tag; the scenario's name in the single form
	Step     string // the step tag: the step's name ("" for iteration and schedule_lag)

	// Start is when the timed thing began. Under an arrival-rate executor an
	// iteration's samples start at the iteration's scheduled start, so a
	// stalled server shows in the percentiles (no coordinated omission).
	Start    time.Time
	Duration time.Duration

	VU        int   // 1-based VU number within the process
	Iteration int64 // 0-based iteration of that VU; -1 for setup and teardown phases

	// Error is what went wrong, or ErrNone. A failed thing still has a
	// duration: how long it took to fail.
	Error ErrorKind
}

// Failed reports whether the sample records a failure.
func (s Sample) Failed() bool { return s.Error != ErrNone }

// Standard metric names that are not per step.
const (
	MetricIteration   = "iteration"    // one whole pass of a workload's steps
	MetricScheduleLag = "schedule_lag" // actual start − scheduled start of an iteration (arrival-rate executors)
)

// StepMetric returns the name of a step's metric for one phase: "http",
// "ack" or "total" (DESIGN.md's table). Call it when compiling, not per
// sample: it allocates.
func StepMetric(step, phase string) string { return "step." + step + "." + phase }

// Phases of a step's timing, the last element of a step metric's name.
const (
	PhaseHTTP  = "http"  // request written → response read
	PhaseAck   = "ack"   // response read → its WebSocket message arrived
	PhaseTotal = "total" // request start → message arrived (what a user waits)
)
