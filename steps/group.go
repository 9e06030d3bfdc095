package steps

import (
	"context"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

// groupKind is a named block of steps timed as one metric, group.NAME
// (its steps keep their own metrics too). It fails as its first failing
// step does.
func groupKind() *Kind {
	return &Kind{
		KindSpec: scenario.KindSpec{
			Name: "group", Summary: "Run a named block of steps, timed as one metric group.NAME.",
			Params:  []scenario.ParamSpec{{Name: "steps", Type: scenario.TypeSteps, Required: true, Doc: "the steps of the block"}},
			Metrics: []string{metrics.PhaseTotal},
			Example: "- group:\n    name: store-and-read\n    steps:\n      - upload: {size: 4KiB}\n      - download: {verify: true}",
		},
		run: func(ctx context.Context, c *call) error {
			return c.runChildren(ctx, c.st.children)
		},
	}
}
