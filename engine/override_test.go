package engine

import (
	"testing"
	"time"

	"github.com/pcflow/pcflow/scenario"
)

func TestEffectiveLoad(t *testing.T) {
	rate := scenario.Rate{N: 50, Per: s}
	ramp := scenario.Load{Executor: scenario.RampingVUs, Stages: []scenario.Stage{stg(10*s, 5), stg(20*s, 0)}, GracefulStop: 3 * s}
	arrival := scenario.Load{Executor: scenario.ConstantArrivalRate, Rate: rate, Duration: time.Minute, PreAllocatedVUs: 4, MaxVUs: 9}
	perVU := scenario.Load{Executor: scenario.PerVUIterations, VUs: 3, Iterations: 2, StartTime: s}
	for _, tc := range []struct {
		name string
		load scenario.Load
		o    Overrides
		once bool
		want scenario.Load
		bad  bool
	}{
		{"no override keeps the file's load", perVU, Overrides{}, false, perVU, false},
		{"test mode: one VU, one iteration, from the start", ramp, Overrides{VUs: 9}, true,
			scenario.Load{Executor: scenario.PerVUIterations, VUs: 1, Iterations: 1, MaxDuration: 10 * time.Minute, GracefulStop: 3 * s}, false},
		{"--rate on ramping-vus: constant-arrival-rate over the stages' length", ramp, Overrides{Rate: rate}, false,
			scenario.Load{Executor: scenario.ConstantArrivalRate, Rate: rate, Duration: 30 * s, PreAllocatedVUs: 1, MaxVUs: 50, GracefulStop: 3 * s}, false},
		{"--rate --vus --duration", perVU, Overrides{Rate: rate, VUs: 7, Duration: 5 * s}, false,
			scenario.Load{Executor: scenario.ConstantArrivalRate, Rate: rate, Duration: 5 * s, PreAllocatedVUs: 7, MaxVUs: 50, StartTime: s}, false},
		{"--rate on an iteration count needs --duration", perVU, Overrides{Rate: rate}, false, scenario.Load{}, true},
		{"--iterations: shared-iterations on the file's VUs", perVU, Overrides{Iterations: 100}, false,
			scenario.Load{Executor: scenario.SharedIterations, VUs: 3, Iterations: 100, MaxDuration: 10 * time.Minute, StartTime: s}, false},
		{"--duration --vus on ramping-vus: constant-vus", ramp, Overrides{Duration: 5 * s, VUs: 2}, false,
			scenario.Load{Executor: scenario.ConstantVUs, VUs: 2, Duration: 5 * s, GracefulStop: 3 * s}, false},
		{"--duration alone on ramping-vus is refused", ramp, Overrides{Duration: 5 * s}, false, scenario.Load{}, true},
		{"--duration on constant-arrival-rate keeps its rate", arrival, Overrides{Duration: 5 * s}, false,
			scenario.Load{Executor: scenario.ConstantArrivalRate, Rate: rate, Duration: 5 * s, PreAllocatedVUs: 4, MaxVUs: 9}, false},
		{"--vus on an arrival rate sets the pre-allocated VUs", arrival, Overrides{VUs: 20}, false,
			scenario.Load{Executor: scenario.ConstantArrivalRate, Rate: rate, Duration: time.Minute, PreAllocatedVUs: 20, MaxVUs: 20}, false},
		{"--vus on ramping-vus is refused", ramp, Overrides{VUs: 2}, false, scenario.Load{}, true},
	} {
		got, err := effectiveLoad(tc.load, tc.o, tc.once)
		if (err != nil) != tc.bad {
			t.Errorf("%s: error %v", tc.name, err)
			continue
		}
		if !tc.bad && !sameLoad(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}

func sameLoad(a, b scenario.Load) bool {
	if len(a.Stages) != len(b.Stages) {
		return false
	}
	for i := range a.Stages {
		if a.Stages[i] != b.Stages[i] {
			return false
		}
	}
	a.Stages, b.Stages = nil, nil
	return a.Executor == b.Executor && a.VUs == b.VUs && a.Iterations == b.Iterations && a.Duration == b.Duration &&
		a.Rate == b.Rate && a.PreAllocatedVUs == b.PreAllocatedVUs && a.MaxVUs == b.MaxVUs &&
		a.GracefulStop == b.GracefulStop && a.MaxDuration == b.MaxDuration && a.StartTime == b.StartTime
}
