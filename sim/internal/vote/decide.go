package vote

// Verdict is where an attempt stands: still open, passed or failed.
type Verdict int

const (
	// Pending: the votes so far do not settle the attempt.
	Pending Verdict = iota
	// Passed: the rule holds with the quorum met.
	Passed
	// Failed: the attempt cannot pass; Decision.Reason says why.
	Failed
)

func (v Verdict) String() string {
	switch v {
	case Pending:
		return "pending"
	case Passed:
		return "passed"
	case Failed:
		return "failed"
	}
	return "invalid"
}

// Reason is the machine key of a failed attempt or pool, the body of the
// gated command's status-3 acknowledgement.
type Reason string

const (
	// ReasonRejected: enough authenticators answered and the rule failed.
	ReasonRejected Reason = "voting.rejected"
	// ReasonExpired: the time limit passed without the quorum responding.
	ReasonExpired Reason = "voting.expired"
	// ReasonNoAuthenticators: the pool targets nobody, so nobody can approve.
	ReasonNoAuthenticators Reason = "voting.no_authenticators"
	// ReasonQuorumUnreachable: the quorum is larger than the targets.
	ReasonQuorumUnreachable Reason = "voting.quorum_unreachable"
	// ReasonCancelled: the pool was cancelled before it resolved.
	ReasonCancelled Reason = "voting.cancelled"
)

// final reports whether a failure reason cannot change on a new attempt:
// the targets and the quorum are fixed for the pool's life.
func (r Reason) final() bool {
	return r == ReasonNoAuthenticators || r == ReasonQuorumUnreachable || r == ReasonCancelled
}

// Count is what a decision looks at: the pool's targeted authenticators,
// the yes and no ballots of the current attempt, and the quorum (the
// minimum number of responding authenticators for the attempt to count).
type Count struct {
	Targets, Yes, No, Quorum int
}

// Responding is the number of authenticators that answered, yes or no.
func (c Count) Responding() int { return c.Yes + c.No }

// Silent is the number of targets that have not answered (yet).
func (c Count) Silent() int { return c.Targets - c.Yes - c.No }

// Decision is a verdict and, when it failed, the reason.
type Decision struct {
	Verdict Verdict
	Reason  Reason
}

var (
	pending = Decision{Verdict: Pending}
	passed  = Decision{Verdict: Passed}
)

func failed(r Reason) Decision { return Decision{Verdict: Failed, Reason: r} }

// impossible returns the reason a pool can never pass whatever anyone
// votes: nobody to ask, or a quorum larger than the targets. Refusing the
// latter, rather than shrinking the quorum to fit, keeps a profile's
// security setting from being weakened silently.
func (c Count) impossible() (Reason, bool) {
	switch {
	case c.Targets <= 0:
		return ReasonNoAuthenticators, true
	case c.Quorum > c.Targets:
		return ReasonQuorumUnreachable, true
	}
	return "", false
}

// AtLimit decides an attempt when its time limit has passed: with the
// votes present if the quorum responded, otherwise it failed [W A6].
//
//	responding < quorum          → failed, voting.expired
//	Holds(yes, responding)       → passed
//	otherwise                    → failed, voting.rejected
func (r Rule) AtLimit(c Count) Decision {
	if reason, ok := c.impossible(); ok {
		return failed(reason)
	}
	if c.Responding() < c.Quorum {
		return failed(ReasonExpired)
	}
	if r.Holds(c.Yes, c.Responding()) {
		return passed
	}
	return failed(ReasonRejected)
}

// Early decides an attempt before its time limit, only when the outcome
// is already certain whatever the silent targets do (vote yes, vote no or
// stay silent until the limit). Every rule gets easier with one more yes
// and harder with one more no, so two extremes settle it:
//
//	certain pass: responding ≥ quorum (silence cannot undo it) and the rule
//	              still holds if every silent target votes no:
//	              Holds(yes, targets)
//	certain fail: even if every silent target votes yes, the rule fails:
//	              ¬Holds(yes + silent, targets)   (quorum ≤ targets here)
//
// Examples: under unanimous one no fails at once; under affirmative one yes
// passes at once when the quorum has responded; under consensus with 4
// targets, 3 yes pass at once and 2 no fail at once (2 of 4 is not > 50 %).
func (r Rule) Early(c Count) Decision {
	if reason, ok := c.impossible(); ok {
		return failed(reason)
	}
	if c.Responding() >= c.Quorum && r.Holds(c.Yes, c.Targets) {
		return passed
	}
	if !r.Holds(c.Yes+c.Silent(), c.Targets) {
		return failed(ReasonRejected)
	}
	return pending
}
