package engine

import "github.com/pcflow/pcflow/scenario"

// constantVUsPlan: VUs VUs iterate back to back for Duration (k6's
// constant-vus); reaching Duration is the plan, not a cut. A segment takes
// its share of the VUs.
func constantVUsPlan(l scenario.Load, seg Segment) *closedPlan {
	return &closedPlan{
		steps:        []vuStep{{At: 0, VUs: int(seg.share(int64(l.VUs)))}},
		end:          l.Duration,
		gracefulStop: l.GracefulStop,
	}
}
