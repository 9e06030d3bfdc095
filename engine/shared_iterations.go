package engine

import "github.com/pcflow/pcflow/scenario"

// sharedIterationsPlan: VUs VUs share Iterations iterations, each taking
// the next as soon as it finished its last, for at most max-duration
// (k6's shared-iterations). A segment takes its share of the iterations
// and of the VUs — at least one VU when it has iterations, and never more
// VUs than iterations (as k6 requires) — so the segments' iterations add
// up exactly to Iterations.
func sharedIterationsPlan(l scenario.Load, seg Segment) *closedPlan {
	its := seg.share(l.Iterations)
	vus := seg.share(int64(l.VUs))
	if its > 0 && vus == 0 {
		vus = 1
	}
	vus = min(vus, its)
	return &closedPlan{
		steps:        []vuStep{{At: 0, VUs: int(vus)}},
		end:          maxDuration(l),
		cutIsEarly:   true,
		shared:       its,
		gracefulStop: l.GracefulStop,
	}
}
