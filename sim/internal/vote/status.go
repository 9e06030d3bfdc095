package vote

import (
	"strings"
	"time"
)

// Vote is one authenticator's answer. Silence is not a Vote: a silent
// authenticator simply never casts one.
type Vote int

const (
	// Approve is a yes.
	Approve Vote = iota + 1
	// Reject is a no.
	Reject
)

// ParseVote reads "approve" or "reject", the vote field of the simulator's
// ballot hook. Anything else is a *FieldError (voting.unknown_vote).
func ParseVote(s string) (Vote, error) {
	switch strings.TrimSpace(s) {
	case "approve":
		return Approve, nil
	case "reject":
		return Reject, nil
	}
	return 0, fieldError("vote", KeyUnknownVote, `vote must be "approve" or "reject"`)
}

func (v Vote) String() string {
	switch v {
	case Approve:
		return "approve"
	case Reject:
		return "reject"
	}
	return "invalid"
}

// Status is a pool's state as check-pool-status reports it (PROPOSED
// vocabulary of the reference, VT2).
type Status string

const (
	StatusPending   Status = "pending"
	StatusSucceeded Status = "succeeded"
	StatusRejected  Status = "rejected"
	StatusExpired   Status = "expired"
	StatusCancelled Status = "cancelled"
)

// statusOf maps a final failure reason to the pool status that shows it.
func statusOf(r Reason) Status {
	switch r {
	case ReasonExpired:
		return StatusExpired
	case ReasonCancelled:
		return StatusCancelled
	}
	return StatusRejected
}

// Outcome is a finished pool's result: what the gated command's single
// terminal acknowledgement reports.
type Outcome struct {
	Status Status
	// Reason is empty when the pool succeeded.
	Reason Reason
	// Attempt is the attempt that decided the pool.
	Attempt int
	// At is when the pool ended: the ballot that settled it, or the time
	// limit of its last attempt (not the later Tick that noticed it).
	At time.Time
}

// Passed reports whether the voting approved the operation.
func (o Outcome) Passed() bool { return o.Status == StatusSucceeded }

// CommandStatus is the X-DPT-CAB-ID command_status of the gated command:
// 2 when the pool passed, 3 when it failed [G][W §1.10].
func (o Outcome) CommandStatus() int {
	if o.Passed() {
		return 2
	}
	return 3
}

// Snapshot is everything check-pool-status shows about a pool at one
// moment; the ballot counts are those of the current (or, once ended, the
// last) attempt.
type Snapshot struct {
	PoolID      string
	Status      Status
	Rule        Rule
	Quorum      int
	Attempt     int
	MaxAttempts int
	CreatedAt   time.Time
	// StartedAt is when the current (or last) attempt opened.
	StartedAt time.Time
	// ExpiresAt is the time limit of the current (or last) attempt.
	ExpiresAt time.Time
	// EndedAt is zero while the pool is pending.
	EndedAt time.Time
	Reason  Reason
	// Targets = Yes + No + Pending.
	Targets, Yes, No, Pending int
}

// AttemptResult records how one finished attempt went, for introspection.
type AttemptResult struct {
	Attempt  int
	Yes, No  int
	Ballots  map[string]Vote // by device
	Decision Decision
	EndedAt  time.Time
}
