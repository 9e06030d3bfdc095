package engine

import "github.com/pcflow/pcflow/scenario"

// perVUIterationsPlan: each of VUs VUs runs Iterations iterations, as fast
// as it can, for at most max-duration (k6's per-vu-iterations). A segment
// takes its share of the VUs; each keeps the full per-VU count, so the
// segments' iterations add up to VUs × Iterations.
func perVUIterationsPlan(l scenario.Load, seg Segment) *closedPlan {
	vus := int(seg.share(int64(l.VUs)))
	p := &closedPlan{end: maxDuration(l), cutIsEarly: true, perVU: l.Iterations, gracefulStop: l.GracefulStop}
	if l.Iterations == 0 {
		vus = 0
	}
	p.steps = []vuStep{{At: 0, VUs: vus}}
	return p
}
