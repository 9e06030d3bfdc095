package steps

import (
	"context"
	"time"

	"github.com/pcflow/pcflow/privicore"
)

// openSession opens a socket session for tok and makes it the VU's,
// closing the one it replaces (one session per VU). The dial and join
// are timed as the step's inner join-channel operation.
func (v *vu) openSession(ctx context.Context, c *call, tok privicore.Secret) error {
	if v.sess != nil && v.sess.Token() == tok {
		v.closeSession() // a Client allows one socket per token: re-join
	}
	t := privicore.Timing{Start: time.Now()}
	s, err := v.p.client.OpenSession(ctx, tok, v.p.sessOpts)
	t.Read = time.Now() // Written stays zero: a socket join has no http half
	if c != nil {
		c.innerSocket("join-channel", t, err)
	}
	if err != nil {
		return err
	}
	v.useSession(s)
	if c != nil {
		c.sess = s
	}
	return nil
}
