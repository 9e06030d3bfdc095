package privicore

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// Pending is a submitted async command or request whose WebSocket message
// has not been awaited yet. Wait it from one goroutine; a later Wait
// returns the same outcome again.
type Pending struct {
	s     *Session
	op    string
	id    string // correlation id: RequestID for requests, else CommandID
	w     waiter
	ack   Ack
	err   error         // the outcome's error, valid once state is waitDone
	state atomic.Uint32 // waitNew → waitBusy → waitDone
}

// Pending.state values: a Pending settles once, however often it is waited.
const (
	waitNew = iota
	waitBusy
	waitDone
)

// Ack is the outcome of an async command or request.
type Ack struct {
	CommandID  string // from the body (any of the three shapes) or x-dpt-cab-id
	RequestID  string // x-dpt-cab-request-id, async requests only
	HTTPStatus int    // 200 or 202
	// Message is the terminal WebSocket message; for outcomes learned
	// through request-status it is synthesised (Reconciled is true, Body "").
	Message    Message
	Reconciled bool // the outcome came from request-status, not the socket
	Timing
}

// String names the operation and its id; the outcome's body (a payload or
// a download token) never prints.
func (p *Pending) String() string { return "privicore.Pending{" + p.op + " " + p.id + "}" }

// GoString is String.
func (p *Pending) GoString() string { return p.String() }

// MarshalText is String, for encoding/json and other text encoders.
func (p *Pending) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// CommandID is the command id the server assigned (for a request, from
// the body or the x-dpt-cab-id header; Wait correlates requests by RequestID).
func (p *Pending) CommandID() string { return p.ack.CommandID }

// RequestID is the x-dpt-cab-request-id of an async request, else "".
func (p *Pending) RequestID() string { return p.ack.RequestID }

// Timing is the HTTP half of the timing (Acked is zero until Wait returns).
func (p *Pending) Timing() Timing { return p.ack.Timing }

// Submit sends an async command or request with the session's token and
// returns once its 2xx response is parsed and its id registered. A message
// that arrived before that is already waiting in the correlator.
func (s *Session) Submit(ctx context.Context, r Request) (*Pending, error) {
	if err := s.Err(); err != nil {
		return nil, err
	}
	if s.poll && r.request {
		return nil, ErrNeedsSocket
	}
	r.auth, r.token, r.tokenHdr = authToken, s.token, s.tokenHdr
	res, err := s.c.do(ctx, &r)
	if err != nil {
		return nil, err
	}
	return s.pendingFrom(&r, res)
}

// pendingFrom registers the waiter for a parsed 2xx async response.
func (s *Session) pendingFrom(r *Request, res *response) (*Pending, error) {
	p := &Pending{s: s, op: r.Op, ack: Ack{HTTPStatus: res.status, Timing: res.timing}}
	if err := p.identify(r, res); err != nil {
		return nil, err
	}
	p.w = newWaiter(!r.request)
	if s.poll {
		return p, nil
	}
	// The ack timeout counts from the response: the ack is due from then,
	// however late the caller Waits. The session clock sends the deadline.
	p.w.deadline = res.timing.Read.Add(s.opts.AckTimeout)
	if !s.corr.register(p.id, &p.w) {
		return nil, errors.New("privicore: " + r.Op + ": id " + p.id + " is already awaited")
	}
	s.clock.wakeBy(p.w.deadline)
	return p, nil
}

func (p *Pending) identify(r *Request, res *response) error {
	cmd, err := ExtractCommandID(res.body)
	if err != nil {
		cmd = res.headerGet("X-Dpt-Cab-Id")
	}
	p.ack.CommandID = cmd
	if r.request {
		p.ack.RequestID = res.headerGet("X-Dpt-Cab-Request-Id")
		if p.ack.RequestID == "" {
			return fmt.Errorf("%w: %s", ErrNoRequestID, r.Op)
		}
		p.id = p.ack.RequestID
		return nil
	}
	if cmd == "" {
		return fmt.Errorf("%w: %s", ErrNoCommandID, r.Op)
	}
	p.id = cmd
	return nil
}

// Wait blocks until the message arrives, ctx ends, or the session dies.
// AckTimeout after the response (within a few percent: the session's clock
// coalesces deadlines) without a message, a command is settled once through
// request-status; if that does not settle it, Wait returns an
// *AckTimeoutError. A status-3 outcome is a *CommandRejectedError. An
// outcome that arrived is returned even if ctx ended or the session died
// at the same moment, so what the correlator counted as delivered is what
// the caller got. Waiting again returns the first Wait's outcome; a Wait
// concurrent with the first one fails at once.
func (p *Pending) Wait(ctx context.Context) (Ack, error) {
	if !p.state.CompareAndSwap(waitNew, waitBusy) {
		if p.state.Load() == waitDone {
			return p.ack, p.err
		}
		return Ack{}, errors.New("privicore: " + p.op + ": Pending.Wait called while another Wait runs")
	}
	ack, err := p.wait(ctx)
	p.err = err
	p.state.Store(waitDone)
	return ack, err
}

func (p *Pending) wait(ctx context.Context) (Ack, error) {
	if p.s.poll {
		return p.pollUntilSettled(ctx)
	}
	select {
	case <-p.w.done:
		if p.w.expired { // written before the token was sent, never after
			return p.afterTimeout(ctx)
		}
		return p.finish(p.w.msg)
	case <-ctx.Done():
		return p.giveUp(ctx.Err())
	case <-p.s.dead:
		return p.giveUp(p.s.deadErr)
	}
}

// giveUp withdraws the waiter, yet returns a message that made it before:
// once withdrawn, nothing more can settle it.
func (p *Pending) giveUp(err error) (Ack, error) {
	if m, ok := p.s.corr.withdraw(p.id, &p.w); ok {
		return p.finish(m)
	}
	return p.ack, err
}

func (p *Pending) afterTimeout(ctx context.Context) (Ack, error) {
	var cause error
	if p.w.command {
		m, ok, err := p.s.statusMessage(ctx, p.id)
		if ok {
			p.s.corr.settle(p.id, m)
		}
		cause = err
	}
	return p.giveUp(&AckTimeoutError{Op: p.op, CommandID: p.id, Cause: cause})
}

// finish stamps the arrival and classifies the terminal status.
func (p *Pending) finish(m Message) (Ack, error) {
	p.ack.Message, p.ack.Acked, p.ack.Reconciled = m, m.Arrived, m.Reconciled
	if m.CommandStatus == StatusRejected {
		reason := m.Body
		if reason == "" {
			reason = "rejected"
		}
		return p.ack, &CommandRejectedError{Op: p.op, CommandID: p.ack.CommandID, Reason: reason}
	}
	return p.ack, nil
}

// pollUntilSettled is Wait for polling sessions. A 401 ends it at once:
// the token is dead, and no later poll can learn the outcome.
func (p *Pending) pollUntilSettled(ctx context.Context) (Ack, error) {
	ctx, cancel := context.WithTimeout(ctx, p.s.opts.AckTimeout)
	defer cancel()
	tick := time.NewTicker(p.s.opts.PollInterval)
	defer tick.Stop()
	for {
		m, ok, err := p.s.statusMessage(ctx, p.id)
		if ok {
			return p.finish(m)
		}
		if IsUnauthorized(err) {
			return p.ack, &AckTimeoutError{Op: p.op, CommandID: p.id, Cause: err}
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return p.ack, &AckTimeoutError{Op: p.op, CommandID: p.id, Cause: err}
		case <-p.s.dead:
			return p.ack, p.s.deadErr
		}
	}
}

// statusMessage asks request-status once, with the session's token; ok
// only for a terminal answer, err is request-status's own failure. Only
// the token's profile sees its commands (token-less polling answers
// register-profile alone, as the live wire's poller uses it), so once the
// token is revoked or expired (a 401) the outcome cannot be learned here.
func (s *Session) statusMessage(ctx context.Context, id string) (Message, bool, error) {
	st, err := s.c.RequestStatus(ctx, id, s.token)
	if err != nil || !st.Terminal() {
		return Message{}, false, err
	}
	code := StatusSucceeded
	if st.Rejected() {
		code = StatusRejected
	}
	return Message{Type: TypeCommandStatus, ID: id, CommandStatus: code, Arrived: st.Read, Reconciled: true}, true, nil
}

// reconcile asks request-status once for every command still pending after
// a reconnect (acks sent while the socket was down are gone for good).
func (s *Session) reconcile() {
	ctx, cancel := context.WithTimeout(s.closeCtx, s.opts.AckTimeout) // Close ends it
	defer cancel()
	var g errgroup.Group
	g.SetLimit(16)
	for _, id := range s.corr.pendingCommands() {
		g.Go(func() error {
			if m, ok, _ := s.statusMessage(ctx, id); ok {
				s.corr.settle(id, m)
			}
			return nil
		})
	}
	_ = g.Wait()
}
