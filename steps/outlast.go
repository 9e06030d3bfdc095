package steps

import (
	"context"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
)

// outlastPoll is how often outlastAck asks request-status.
const outlastPoll = 100 * time.Millisecond

// outlastAck keeps waiting for a command whose ack did not come within
// the session's AckTimeout, when the step's own timeout: is longer: a
// command gated by a vote waits for people, which may take minutes, and
// the session's ack timeout is one for all its commands. It asks
// request-status (with the session's token) until the command ends or
// the step's deadline passes. A terminal answer settles the step as its
// ack would have — without the ack's reason, which request-status does
// not carry (a rejection reads "rejected") — and moves the counted
// outcome from acks_timeout to acks_ok or acks_rejected; else the ack
// timeout stands.
func (c *call) outlastAck(ctx context.Context, timedOut error) error {
	st, err := c.vu.p.client.WaitCommand(ctx, c.commandID, c.sess.Token(), outlastPoll)
	if !st.Terminal() {
		return timedOut
	}
	code, counter := privicore.StatusSucceeded, metrics.AcksOK
	if st.Rejected() {
		code, counter = privicore.StatusRejected, metrics.AcksRejected
	}
	c.count[metrics.AcksTimeout]--
	c.count[counter]++
	c.msg = privicore.Message{Type: privicore.TypeCommandStatus, ID: c.commandID, CommandStatus: code,
		Arrived: st.Read, Reconciled: true}
	c.hasMsg, c.timing.Acked = true, st.Read
	return err // nil, or the *CommandRejectedError of a rejection
}
