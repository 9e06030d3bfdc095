package vote

import (
	"errors"
	"strconv"
)

// Validation keys, in the domain.snake_case style of the reference's
// ValidationErrors body, so the simulator can answer 422 with
// {"errors": {Field: [Key]}} straight from a *FieldError.
const (
	KeyRequired        = "validation.required"
	KeyInteger         = "validation.integer"
	KeyUnknownStrategy = "voting.unknown_strategy"
	KeyPercentageRange = "voting.percentage_out_of_range"
	KeyQuorumRange     = "voting.quorum_out_of_range"
	KeyTimeLimitRange  = "voting.time_limit_out_of_range"
	KeyAttemptsRange   = "voting.attempts_out_of_range"
	KeyInvalidTarget   = "voting.invalid_device_identifier"
	KeyDuplicateTarget = "voting.duplicate_device_identifier"
	KeyUnknownVote     = "voting.unknown_vote"
)

// FieldError is one invalid input: the wire field it came from, a machine
// key for the 422 body, and a sentence for people.
type FieldError struct {
	Field  string
	Key    string
	Detail string
}

func fieldError(field, key, detail string) *FieldError {
	return &FieldError{Field: field, Key: key, Detail: detail}
}

func (e *FieldError) Error() string {
	return "vote: " + e.Field + ": " + e.Detail + " (" + e.Key + ")"
}

// Reasons a ballot is refused. Cast wraps them in a *BallotError; test
// with errors.Is.
var (
	// ErrNotTarget: the device is not a targeted authenticator of the pool.
	ErrNotTarget = errors.New("device is not a targeted authenticator of this pool")
	// ErrDuplicateBallot: the device already voted in this attempt.
	ErrDuplicateBallot = errors.New("device already voted in this attempt")
	// ErrPoolEnded: the pool has its final outcome; later votes are ignored.
	ErrPoolEnded = errors.New("pool has ended")
	// ErrStaleAttempt: the ballot names an attempt other than the current one.
	ErrStaleAttempt = errors.New("ballot is not for the current attempt")
)

// BallotError is a refused ballot: which pool, device and attempt, and why
// (one of the Err… values above, reachable with errors.Is).
type BallotError struct {
	PoolID  string
	Device  string
	Attempt int
	Err     error
}

func (e *BallotError) Error() string {
	return "vote: pool " + e.PoolID + ": ballot of device " + strconv.Quote(e.Device) +
		" in attempt " + strconv.Itoa(e.Attempt) + " refused: " + e.Err.Error()
}

func (e *BallotError) Unwrap() error { return e.Err }
