package steps

import (
	"context"
	"time"

	"github.com/pcflow/pcflow/scenario"
)

// genericKinds are the kinds that are not one Privicore operation.
func genericKinds() []*Kind {
	return []*Kind{httpKind(), sleepKind(), groupKind(), repeatKind()}
}

// sleepKind is think time: a fixed pause or a uniform draw from a range,
// cut short when the run stops. It emits no metric: a pause is not a
// latency.
func sleepKind() *Kind {
	return &Kind{
		KindSpec: scenario.KindSpec{
			Name: "sleep", Summary: "Pause for a fixed duration or a uniform draw from a range (think time).",
			Params:    []scenario.ParamSpec{must("duration", scenario.TypeRange, "250ms, or a range 200ms..800ms")},
			Example:   "- sleep: 200ms..800ms",
			Shorthand: "duration",
		},
		run: func(ctx context.Context, c *call) error {
			r, _ := c.get("duration").(scenario.Range)
			if d, ok := c.get("duration").(time.Duration); ok {
				r = scenario.Range{Min: d, Max: d}
			}
			d := r.Min
			if r.Max > r.Min {
				d += time.Duration(c.vu.rng.Int64N(int64(r.Max - r.Min + 1)))
			}
			return pause(ctx, d)
		},
	}
}

// pause waits d or until ctx ends, whichever is first.
func pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
