package steps

import (
	"context"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// votingKinds are VT1–VT2: voting pools. create-voting ends when the pool
// resolved (its command's ack); the vote composite adds ballots.
func votingKinds() []*Kind {
	return []*Kind{
		op(opDecl{
			name: "create-voting", summary: "Open a voting pool and await its outcome (VT1).",
			method: "POST", path: "/voting/create", async: true,
			params:   votingParams,
			captures: captures("pool_id", "the pool id (the command id)"),
			run: func(ctx context.Context, c *call) error {
				a, err := c.sess.CreateVoting(ctx, votingParamsOf(c))
				c.set("pool_id", a.CommandID)
				return c.ack(a, err)
			},
		}),
		op(opDecl{
			name: "check-pool-status", summary: "Check a voting pool's status and ballots (VT2).",
			method: "GET", path: "/voting/check-pool-status/{poolId}",
			params:   []scenario.ParamSpec{must("poolId", scenario.TypeString, "the pool id")},
			captures: captures("pool_status", "pending, succeeded, rejected, expired or cancelled"),
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.CheckPoolStatus(ctx, c.str("poolId"))
				keep(c, r)
				if err == nil {
					c.set("pool_status", r.Status)
				}
				return c.done(r.Timing, err)
			},
		}),
	}
}

// votingParams are VT1's JSON body fields.
var votingParams = []scenario.ParamSpec{
	must("votingConfigurationId", scenario.TypeString, "the voting configuration's name"),
	opt("question", scenario.TypeString, "Approve?", "the question put to the authenticators"),
	opt("title", scenario.TypeString, "pcflow vote", "the vote's title"),
	list("skipAuthenticatorDevices", scenario.TypeString, "authenticators not to ask"),
	opt("nonce", scenario.TypeString, "", "optional external correlation"),
}

func votingParamsOf(c *call) privicore.VotingParams {
	return privicore.VotingParams{VotingConfigurationID: c.str("votingConfigurationId"),
		Question: c.str("question"), Title: c.str("title"),
		SkipAuthenticatorDevices: c.strs("skipAuthenticatorDevices"), Nonce: c.str("nonce")}
}
