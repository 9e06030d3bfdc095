package engine

import (
	"time"

	"github.com/pcflow/pcflow/scenario"
)

// rampingVUsPlan: the VU count moves linearly from StartVUs through each
// stage's Target (k6's ramping-vus). A VU that is no longer wanted
// finishes its iteration within graceful-ramp-down; at the end of the last
// stage every VU stops within graceful-stop. A segment takes its share of
// the start and of every stage's target, so at each stage boundary the
// segments' VUs add up exactly to the whole.
func rampingVUsPlan(l scenario.Load, seg Segment) *closedPlan {
	stages := make([]scenario.Stage, len(l.Stages))
	var end time.Duration
	for i, s := range l.Stages {
		stages[i] = scenario.Stage{Duration: s.Duration, Target: seg.share(s.Target)}
		end += s.Duration
	}
	return &closedPlan{
		steps:            rampingVUsSteps(int(seg.share(int64(l.StartVUs))), stages),
		end:              end,
		gracefulStop:     l.GracefulStop,
		gracefulRampDown: l.GracefulRampDown,
	}
}

// rampingVUsSteps turns stages into the instants the VU count changes,
// as k6 computes them: over a stage of duration d from a to b VUs, the
// count reaches a ± i at stageStart + ⌊d·i/|b−a|⌋ for i = 1..|b−a|, so it
// equals a + sign·⌊|b−a|·elapsed/d⌋ rounded toward a. A zero-length stage
// jumps at once.
func rampingVUsSteps(start int, stages []scenario.Stage) []vuStep {
	steps := []vuStep{{At: 0, VUs: start}}
	add := func(at time.Duration, vus int) {
		last := &steps[len(steps)-1]
		switch {
		case last.VUs == vus:
		case last.At == at:
			last.VUs = vus
			if len(steps) > 1 && steps[len(steps)-2].VUs == vus {
				steps = steps[:len(steps)-1]
			}
		default:
			steps = append(steps, vuStep{At: at, VUs: vus})
		}
	}
	from, begin := int64(start), time.Duration(0)
	for _, s := range stages {
		diff := s.Target - from
		n, sign := diff, int64(1)
		if diff < 0 {
			n, sign = -diff, -1
		}
		if s.Duration == 0 {
			add(begin, int(s.Target))
		}
		for i := int64(1); i <= n && s.Duration > 0; i++ {
			add(begin+time.Duration(mulDiv(int64(s.Duration), i, n)), int(from+sign*i))
		}
		from, begin = s.Target, begin+s.Duration
	}
	return steps
}
