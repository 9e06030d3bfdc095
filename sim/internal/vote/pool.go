package vote

import (
	"errors"
	"maps"
	"slices"
	"time"
)

// Pool is one voting pool across its attempts: a state machine driven by
// Cast, Tick and Cancel with an explicit now. Build it with New. Not safe
// for concurrent use (see the package doc).
//
// An attempt covers [start, start+TimeLimit): a ballot at exactly the
// limit is late. A new attempt starts at the previous one's limit (or at
// the ballot that settled it early), never at the Tick that noticed, so
// the schedule does not depend on how punctual the caller's timer is.
type Pool struct {
	id        string
	cfg       Config
	createdAt time.Time

	attempt   int
	startedAt time.Time
	expiresAt time.Time
	ballots   map[string]Vote // current attempt only
	yes, no   int
	history   []AttemptResult

	outcome Outcome // Status is empty while the pool is pending
}

// New validates cfg and opens attempt 1 at now. A pool that can never pass
// (no targets, quorum above the targets) is returned already ended, so the
// caller treats it like any other finished pool.
func New(id string, cfg Config, now time.Time) (*Pool, error) {
	if id == "" {
		return nil, errors.New("vote: a pool needs an id")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Rule, _ = NewRule(cfg.Rule.Strategy, cfg.Rule.Percentage) // canonical
	cfg.Targets = slices.Clone(cfg.Targets)
	p := &Pool{id: id, cfg: cfg, createdAt: now}
	p.startAttempt(1, now)
	p.settle(now)
	return p, nil
}

// ID is the pool's identifier (poolId on the wire).
func (p *Pool) ID() string { return p.id }

// Targets returns a copy of the targeted authenticators.
func (p *Pool) Targets() []string { return slices.Clone(p.cfg.Targets) }

// Attempt is the current attempt, from 1; once ended, the last one.
func (p *Pool) Attempt() int { return p.attempt }

// Ended reports whether the pool has its final outcome.
func (p *Pool) Ended() bool { return p.outcome.Status != "" }

// Outcome returns the final result, and false while the pool is pending.
func (p *Pool) Outcome() (Outcome, bool) { return p.outcome, p.Ended() }

// NextDeadline is when the current attempt's time limit passes, the
// moment the caller's timer should call Tick; false once the pool ended.
func (p *Pool) NextDeadline() (time.Time, bool) { return p.expiresAt, !p.Ended() }

// Voted reports whether device has a ballot in the current attempt.
func (p *Pool) Voted(device string) bool {
	_, ok := p.ballots[device]
	return ok
}

// Ballots returns a copy of the current attempt's ballots by device.
func (p *Pool) Ballots() map[string]Vote { return maps.Clone(p.ballots) }

// History returns a copy of the finished attempts, oldest first.
func (p *Pool) History() []AttemptResult {
	out := slices.Clone(p.history)
	for i := range out {
		out[i].Ballots = maps.Clone(out[i].Ballots)
	}
	return out
}

// Cast records device's vote in the attempt that is current at now, after
// first applying any time limit that passed (Tick). This is the ballot
// hook's meaning: "count this vote now".
func (p *Pool) Cast(device string, v Vote, now time.Time) error {
	p.Tick(now)
	return p.CastInAttempt(p.attempt, device, v, now)
}

// CastInAttempt records a ballot meant for one attempt, as a virtual
// authenticator answering the ballot it was sent: if that attempt is
// over by now, the vote is late and refused (ErrStaleAttempt) rather than
// counted in the next attempt. Refusals are *BallotError.
func (p *Pool) CastInAttempt(attempt int, device string, v Vote, now time.Time) error {
	if v != Approve && v != Reject {
		return fieldError("vote", KeyUnknownVote, `vote must be "approve" or "reject"`)
	}
	p.Tick(now)
	if err := p.refusal(attempt, device); err != nil {
		return &BallotError{PoolID: p.id, Device: device, Attempt: attempt, Err: err}
	}
	p.ballots[device] = v
	if v == Approve {
		p.yes++
	} else {
		p.no++
	}
	p.settle(now)
	return nil
}

// refusal returns why a ballot cannot be counted, or nil.
func (p *Pool) refusal(attempt int, device string) error {
	switch {
	case p.Ended():
		return ErrPoolEnded
	case attempt != p.attempt:
		return ErrStaleAttempt
	case !slices.Contains(p.cfg.Targets, device):
		return ErrNotTarget
	case p.Voted(device):
		return ErrDuplicateBallot
	}
	return nil
}

// Tick applies every time limit that has passed by now: each expired
// attempt is decided with the votes it has (Rule.AtLimit) and either ends
// the pool or opens the next attempt at its limit. Calling it early, late
// or repeatedly is harmless.
func (p *Pool) Tick(now time.Time) {
	for !p.Ended() && !now.Before(p.expiresAt) {
		p.endAttempt(p.cfg.Rule.AtLimit(p.count()), p.expiresAt)
	}
}

// Cancel ends a pending pool with status cancelled (after applying any
// passed time limit) and reports whether it did; an ended pool is left as
// it is.
func (p *Pool) Cancel(now time.Time) bool {
	p.Tick(now)
	if p.Ended() {
		return false
	}
	p.endAttempt(failed(ReasonCancelled), now)
	return true
}

// Snapshot reports the pool for check-pool-status.
func (p *Pool) Snapshot() Snapshot {
	c := p.count()
	return Snapshot{
		PoolID: p.id, Status: p.status(), Rule: p.cfg.Rule, Quorum: p.cfg.Quorum,
		Attempt: p.attempt, MaxAttempts: p.cfg.MaxAttempts,
		CreatedAt: p.createdAt, StartedAt: p.startedAt, ExpiresAt: p.expiresAt, EndedAt: p.outcome.At,
		Reason:  p.outcome.Reason,
		Targets: c.Targets, Yes: c.Yes, No: c.No, Pending: c.Silent(),
	}
}

func (p *Pool) status() Status {
	if p.Ended() {
		return p.outcome.Status
	}
	return StatusPending
}

func (p *Pool) count() Count {
	return Count{Targets: len(p.cfg.Targets), Yes: p.yes, No: p.no, Quorum: p.cfg.Quorum}
}

// settle ends the current attempt at now if its outcome is already certain.
func (p *Pool) settle(now time.Time) {
	if d := p.cfg.Rule.Early(p.count()); d.Verdict != Pending {
		p.endAttempt(d, now)
	}
}

// endAttempt records a decided attempt, then either ends the pool or, for
// a failure that another attempt could change, opens the next one at at.
func (p *Pool) endAttempt(d Decision, at time.Time) {
	p.history = append(p.history, AttemptResult{
		Attempt: p.attempt, Yes: p.yes, No: p.no, Ballots: p.ballots, Decision: d, EndedAt: at})
	if d.Verdict == Passed {
		p.outcome = Outcome{Status: StatusSucceeded, Attempt: p.attempt, At: at}
		return
	}
	if p.retries(d.Reason) {
		p.startAttempt(p.attempt+1, at)
		return
	}
	p.outcome = Outcome{Status: statusOf(d.Reason), Reason: d.Reason, Attempt: p.attempt, At: at}
}

// retries reports whether a failed attempt is followed by another one.
func (p *Pool) retries(r Reason) bool {
	switch {
	case r.final(), p.attempt >= p.cfg.MaxAttempts:
		return false
	case r == ReasonRejected:
		return !p.cfg.FinalOnReject
	}
	return true
}

func (p *Pool) startAttempt(n int, at time.Time) {
	p.attempt, p.startedAt, p.expiresAt = n, at, at.Add(p.cfg.TimeLimit)
	p.ballots = make(map[string]Vote, len(p.cfg.Targets))
	p.yes, p.no = 0, 0
}
