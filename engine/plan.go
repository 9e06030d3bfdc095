package engine

import (
	"fmt"
	"sort"
	"time"

	"github.com/pcflow/pcflow/scenario"
)

// A plan is a workload's load model after overrides and segmenting, as a
// pure function of elapsed time since the workload started. Exactly one
// of the two kinds exists per workload: closed models say how many VUs
// are wanted when; open models say when iteration n is due.
type plan struct {
	closed  *closedPlan
	arrival *arrivalPlan
}

// vuStep says that from At on (elapsed since the workload's start), VUs
// VUs are wanted.
type vuStep struct {
	At  time.Duration
	VUs int
}

// closedPlan is the schedule of a closed-model executor (per-vu-iterations,
// shared-iterations, constant-vus, ramping-vus): a VU starts its next
// iteration when its last one ended, for as long as it is wanted.
type closedPlan struct {
	steps []vuStep // sorted by At, steps[0].At == 0; consecutive VUs differ
	// end is when the executor stops starting iterations (its duration, the
	// end of its stages, or max-duration).
	end time.Duration
	// cutIsEarly says that reaching end with work left is a cut (stop
	// reason "duration": max-duration of the iteration-count executors),
	// not the plan's own end (constant-vus, ramping-vus).
	cutIsEarly bool
	perVU      int64 // > 0: each VU runs at most this many iterations
	shared     int64 // > 0: all VUs together run exactly this many (if time allows)

	gracefulStop     time.Duration
	gracefulRampDown time.Duration // ramping-vus: how long a VU told to go may finish its iteration
}

// vusAt is how many VUs are wanted at elapsed t (0 from end on).
func (p *closedPlan) vusAt(t time.Duration) int {
	if t >= p.end || len(p.steps) == 0 {
		return 0
	}
	i := sort.Search(len(p.steps), func(i int) bool { return p.steps[i].At > t })
	if i == 0 {
		return 0
	}
	return p.steps[i-1].VUs
}

// maxVUs is the most VUs the plan ever wants: how many the engine makes
// (and sets up) before the clock starts.
func (p *closedPlan) maxVUs() int {
	m := 0
	for _, s := range p.steps {
		if s.At < p.end && s.VUs > m {
			m = s.VUs
		}
	}
	return m
}

// arrivalPlan is the schedule of an open-model executor
// (constant-arrival-rate, ramping-arrival-rate): iterations start when
// they are due, whatever the server does, on a free VU; one that finds no
// free VU is dropped and counted.
type arrivalPlan struct {
	// due says when global iteration n (0-based, of the unsegmented
	// workload) is due, as elapsed time since the workload's start; ok is
	// false when it is not due before end.
	due             func(n int64) (at time.Duration, ok bool)
	end             time.Duration
	preAllocatedVUs int
	maxVUs          int
	first, stride   int64 // the segment's iterations: first, first+stride, …
	gracefulStop    time.Duration
}

// newPlan builds the plan of load for segment seg.
func newPlan(l scenario.Load, seg Segment) (plan, error) {
	if err := checkLoad(l); err != nil {
		return plan{}, err
	}
	switch l.Executor {
	case scenario.PerVUIterations:
		return plan{closed: perVUIterationsPlan(l, seg)}, nil
	case scenario.SharedIterations:
		return plan{closed: sharedIterationsPlan(l, seg)}, nil
	case scenario.ConstantVUs:
		return plan{closed: constantVUsPlan(l, seg)}, nil
	case scenario.RampingVUs:
		return plan{closed: rampingVUsPlan(l, seg)}, nil
	case scenario.ConstantArrivalRate:
		return plan{arrival: constantArrivalRatePlan(l, seg)}, nil
	case scenario.RampingArrivalRate:
		return plan{arrival: rampingArrivalRatePlan(l, seg)}, nil
	}
	return plan{}, fmt.Errorf("engine: unknown executor %q", l.Executor)
}

// checkLoad refuses the values no executor can run. The scenario loader
// reports them with positions first; this keeps the engine from
// panicking or looping on a Load built by hand.
func checkLoad(l scenario.Load) error {
	bad := func(what string) error {
		return fmt.Errorf("engine: %s: %s %s", l.Pos, l.Executor, what)
	}
	switch {
	case l.VUs < 0 || l.StartVUs < 0 || l.PreAllocatedVUs < 0 || l.MaxVUs < 0:
		return bad("VU counts must not be negative")
	case l.Iterations < 0:
		return bad("iterations must not be negative")
	case l.Duration < 0 || l.GracefulStop < 0 || l.GracefulRampDown < 0 || l.MaxDuration < 0 || l.StartTime < 0:
		return bad("durations must not be negative")
	case l.Executor == scenario.ConstantArrivalRate && !(l.Rate.PerSecond() > 0):
		return bad("needs a rate above 0")
	case l.Rate.N < 0 || l.StartRate.N < 0:
		return bad("rates must not be negative")
	}
	for _, s := range l.Stages {
		if s.Duration < 0 || s.Target < 0 {
			return bad("stage durations and targets must not be negative")
		}
	}
	return nil
}

// maxDuration is max-duration, 10 minutes (k6's default) when unset.
func maxDuration(l scenario.Load) time.Duration {
	if l.MaxDuration > 0 {
		return l.MaxDuration
	}
	return 10 * time.Minute
}
