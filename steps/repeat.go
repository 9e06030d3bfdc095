package steps

import (
	"context"
	"strconv"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

// repeatKind runs its steps count times, or while an expression holds (at
// most max times, so a condition that never turns false cannot hang a VU).
func repeatKind() *Kind {
	return &Kind{
		KindSpec: scenario.KindSpec{
			Name: "repeat", Summary: "Run steps count times, or while an expression holds (at most max times).",
			Params: []scenario.ParamSpec{
				opt("count", scenario.TypeInt, "", "how many times; give count or while"),
				{Name: "while", Type: scenario.TypeExpr, Doc: "repeat while this expression holds, checked before each pass"},
				opt("max", scenario.TypeInt, "1000", "the most passes a while loop makes"),
				{Name: "steps", Type: scenario.TypeSteps, Required: true, Doc: "the steps to repeat"},
			},
			Metrics: []string{metrics.PhaseTotal},
			Example: "- repeat:\n    count: 3\n    steps:\n      - list-data-tokens: {}",
		},
		run: func(ctx context.Context, c *call) error {
			limit := c.num("max")
			if c.has("count") {
				limit = c.num("count")
			}
			cond := c.value("while")
			if cond == nil && !c.has("count") {
				return failure(metrics.ErrExpression, "repeat: give count or while")
			}
			for i := int64(0); i < limit; i++ {
				if cond != nil {
					x, err := cond.Eval(c.env())
					if err != nil {
						return failure(metrics.ErrExpression, "repeat while: "+err.Error())
					}
					ok, isBool := x.(bool)
					if !isBool {
						return failure(metrics.ErrExpression, "repeat while at "+cond.Pos.String()+
							": want true or false, pass "+strconv.FormatInt(i, 10))
					}
					if !ok {
						return nil
					}
				}
				if err := c.runChildren(ctx, c.st.children); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
