package engine

import (
	"math"
	"sort"
	"time"

	"github.com/pcflow/pcflow/scenario"
)

// rampingArrivalRatePlan: the arrival rate moves linearly from StartRate
// through each stage's Target (iterations per TimeUnit), as k6's
// ramping-arrival-rate. Iteration n is due at the first instant the
// number of arrivals so far, the integral of the rate, reaches n.
func rampingArrivalRatePlan(l scenario.Load, seg Segment) *arrivalPlan {
	r := newRateRamp(l)
	return &arrivalPlan{
		due:             r.due,
		end:             r.end,
		preAllocatedVUs: int(seg.shareAtLeastOne(int64(l.PreAllocatedVUs))),
		maxVUs:          int(seg.shareAtLeastOne(int64(max(l.MaxVUs, l.PreAllocatedVUs)))),
		first:           seg.first(),
		stride:          seg.stride(),
		gracefulStop:    l.GracefulStop,
	}
}

// rateRamp is a piecewise-linear rate in iterations per second.
type rateRamp struct {
	legs []rateLeg
	end  time.Duration
}

// rateLeg is one stage: from rate r0 to r1 (per second) over dur seconds,
// starting at begin with count arrivals before it.
type rateLeg struct {
	begin      time.Duration
	dur        float64
	r0, r1     float64
	count, sum float64 // arrivals before the leg, arrivals in it
}

func newRateRamp(l scenario.Load) rateRamp {
	unit := l.TimeUnit
	if unit <= 0 {
		unit = time.Second
	}
	perSec := float64(time.Second) / float64(unit)
	from := l.StartRate.PerSecond()
	var rr rateRamp
	count := 0.0
	for _, s := range l.Stages {
		to := float64(s.Target) * perSec
		d := s.Duration.Seconds()
		leg := rateLeg{begin: rr.end, dur: d, r0: from, r1: to, count: count, sum: (from + to) / 2 * d}
		rr.legs = append(rr.legs, leg)
		count += leg.sum
		from, rr.end = to, rr.end+s.Duration
	}
	return rr
}

// due solves count(t) = n on the leg that holds the n-th arrival: with
// x the time into the leg and a = (r1−r0)/(2·dur),
// r0·x + a·x² = m  ⇒  x = 2m / (r0 + √(r0² + 4·a·m)),
// the form that stays exact when a is 0 and does not cancel when r0 is
// large. The result is rounded to the nanosecond.
func (r rateRamp) due(n int64) (time.Duration, bool) {
	target := float64(n)
	i := sort.Search(len(r.legs), func(i int) bool { return r.legs[i].count+r.legs[i].sum > target })
	if i == len(r.legs) {
		return 0, false
	}
	leg := r.legs[i]
	m := target - leg.count
	if m <= 0 {
		return leg.begin, leg.begin < r.end
	}
	a := (leg.r1 - leg.r0) / (2 * leg.dur)
	x := 2 * m / (leg.r0 + math.Sqrt(leg.r0*leg.r0+4*a*m))
	at := leg.begin + time.Duration(math.Round(x*float64(time.Second)))
	return at, at < r.end
}
