package steps

import (
	"context"
	"time"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// channelKinds are W2–W3: joining and leaving the token's WebSocket
// channel. The session is the VU's; leaving keeps the token usable
// through a polling session, so async steps after it still settle (via
// request-status), as a client without a socket would see them.
func channelKinds() []*Kind {
	kinds := []*Kind{
		op(opDecl{
			name: "join-channel", summary: "Join the token's WebSocket channel: (re)open the VU's socket session (W2).",
			method: "WS", path: "action: joinChannel",
			params: []scenario.ParamSpec{
				hidden(opt("token", scenario.TypeString, "", "default: the VU's current token")),
			},
			example: "- join-channel: {}",
			run: func(ctx context.Context, c *call) error {
				tok := c.secret("token")
				if tok == "" {
					tok = c.sess.Token()
				}
				start := time.Now()
				err := c.vu.openSession(ctx, nil, tok)
				c.timing = privicore.Timing{Start: start}
				return err
			},
		}),
		op(opDecl{
			name: "leave-channel", summary: "Leave the channel and close the socket; later steps poll request-status (W3).",
			method: "WS", path: "action: leaveChannel",
			example: "- leave-channel: {}",
			run: func(ctx context.Context, c *call) error {
				tok := c.sess.Token()
				c.vu.closeSession()
				c.vu.useSession(c.vu.p.client.PollingSession(tok, c.vu.p.sessOpts))
				return nil
			},
		}),
	}
	for _, k := range kinds {
		k.Metrics = totalPhase // a socket operation has no http half
	}
	return kinds
}
