package engine

import (
	"fmt"
	"math"

	"github.com/pcflow/pcflow/scenario"
)

// effectiveLoad is the load a workload runs: the file's, with the
// command line's overrides and test mode applied (see Overrides).
func effectiveLoad(l scenario.Load, o Overrides, once bool) (scenario.Load, error) {
	if once {
		return scenario.Load{Executor: scenario.PerVUIterations, Pos: l.Pos, VUs: 1, Iterations: 1,
			MaxDuration: maxDuration(l), GracefulStop: l.GracefulStop}, nil
	}
	switch {
	case o.Rate.N > 0:
		return overrideRate(l, o)
	case o.Iterations > 0:
		vus := firstPositive(o.VUs, l.VUs, 1)
		return scenario.Load{Executor: scenario.SharedIterations, Pos: l.Pos, VUs: vus, Iterations: o.Iterations,
			MaxDuration: orDefault(o.Duration, maxDuration(l)), GracefulStop: l.GracefulStop, StartTime: l.StartTime}, nil
	case o.Duration > 0:
		if isArrival(l.Executor) && o.VUs == 0 {
			if l.Executor == scenario.RampingArrivalRate {
				return l, fmt.Errorf("engine: %s: --duration cannot replace the stages of ramping-arrival-rate; give --rate too", l.Pos)
			}
			l.Duration = o.Duration
			return l, nil
		}
		vus := firstPositive(o.VUs, l.VUs)
		if vus == 0 {
			return l, fmt.Errorf("engine: %s: --duration cannot replace the stages of %s; give --vus too", l.Pos, l.Executor)
		}
		return scenario.Load{Executor: scenario.ConstantVUs, Pos: l.Pos, VUs: vus, Duration: o.Duration,
			GracefulStop: l.GracefulStop, StartTime: l.StartTime}, nil
	case o.VUs > 0:
		switch l.Executor {
		case scenario.RampingVUs:
			return l, fmt.Errorf("engine: %s: --vus cannot replace the stages of ramping-vus; give --duration too", l.Pos)
		case scenario.ConstantArrivalRate, scenario.RampingArrivalRate:
			l.PreAllocatedVUs, l.MaxVUs = o.VUs, max(l.MaxVUs, o.VUs)
		default:
			l.VUs = o.VUs
		}
	}
	return l, nil
}

// overrideRate makes the workload constant-arrival-rate at o.Rate.
func overrideRate(l scenario.Load, o Overrides) (scenario.Load, error) {
	d := o.Duration
	if d == 0 {
		d = l.Duration
	}
	if d == 0 {
		for _, s := range l.Stages {
			d += s.Duration
		}
	}
	if d == 0 {
		return l, fmt.Errorf("engine: %s: --rate needs --duration: the %s workload has no duration of its own", l.Pos, l.Executor)
	}
	pre := firstPositive(o.VUs, l.PreAllocatedVUs, l.VUs, l.MaxVUs, 1)
	// With no max-vus of its own, the workload may grow to as many VUs as
	// iterations start in a second: enough for iterations of up to a
	// second without drops, and a bound that scales with the rate asked.
	perSec := int(math.Ceil(o.Rate.PerSecond()))
	return scenario.Load{Executor: scenario.ConstantArrivalRate, Pos: l.Pos, Rate: o.Rate, Duration: d,
		PreAllocatedVUs: pre, MaxVUs: max(pre, l.MaxVUs, perSec), GracefulStop: l.GracefulStop, StartTime: l.StartTime}, nil
}

func isArrival(e scenario.Executor) bool {
	return e == scenario.ConstantArrivalRate || e == scenario.RampingArrivalRate
}

func firstPositive(vs ...int) int {
	for _, v := range vs {
		if v > 0 {
			return v
		}
	}
	return 0
}
