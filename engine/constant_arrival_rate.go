package engine

import (
	"math"
	"time"

	"github.com/pcflow/pcflow/scenario"
)

// constantArrivalRatePlan: Rate iterations per period for Duration,
// whatever the server does (k6's constant-arrival-rate). Iteration n is
// due at n·Per/N — computed in integers (N in thousandths), so that the
// schedule is exact to the nanosecond and never drifts over a long run.
// A segment runs every N-th iteration and takes its share of the VUs.
func constantArrivalRatePlan(l scenario.Load, seg Segment) *arrivalPlan {
	per := int64(l.Rate.Per)
	milli := int64(math.Round(l.Rate.N * 1000))
	end := l.Duration
	due := func(n int64) (time.Duration, bool) {
		if milli <= 0 || per <= 0 {
			return 0, false
		}
		at := time.Duration(mulDiv(n*1000, per, milli))
		return at, at < end
	}
	return &arrivalPlan{
		due:             due,
		end:             end,
		preAllocatedVUs: int(seg.shareAtLeastOne(int64(l.PreAllocatedVUs))),
		maxVUs:          int(seg.shareAtLeastOne(int64(max(l.MaxVUs, l.PreAllocatedVUs)))),
		first:           seg.first(),
		stride:          seg.stride(),
		gracefulStop:    l.GracefulStop,
	}
}
