package steps

import (
	"context"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// utilityKinds are U1–U2: health and command status, no profile needed.
func utilityKinds() []*Kind {
	return []*Kind{
		op(opDecl{
			name: "check-server-health", summary: "Check that the API answers (U1).",
			method: "GET", path: "/health", public: true,
			captures: captures("health", "the body's status word, \"ok\" when healthy"),
			example:  "- check-server-health: {}",
			run: func(ctx context.Context, c *call) error {
				h, err := c.vu.p.client.CheckServerHealth(ctx)
				keep(c, h)
				if err == nil {
					c.set("health", h.Status)
				}
				return c.done(h.Timing, err)
			},
		}),
		op(opDecl{
			name: "request-command-status", summary: "Ask for a command's status word by its id (U2).",
			method: "POST", path: "/request-status/{commandId}", public: true,
			params:   []scenario.ParamSpec{must("commandId", scenario.TypeString, "the command id a 202 answered")},
			captures: captures("command_state", "started, succeeded or rejected"),
			run: func(ctx context.Context, c *call) error {
				var tok privicore.Secret
				if c.sess != nil {
					tok = c.sess.Token()
				}
				st, err := c.vu.p.client.RequestStatus(ctx, c.str("commandId"), tok)
				keep(c, st)
				if err == nil {
					c.set("command_state", st.State)
				}
				return c.done(st.Timing, err)
			},
		}),
	}
}
