package vote

import (
	"errors"
	"strconv"
	"time"
)

// Bounds on a pool's settings. The reference gives none; these keep bad
// input a clear 422 instead of a pool that outlives the process or a
// timestamp that overflows.
const (
	MaxTimeLimit = 7 * 24 * time.Hour
	MaxAttempts  = 100
)

// Config is what a pool is created with: the profile's voting defaults
// merged with a voting configuration, and the targets resolved to device
// identifiers by the caller. It does not change during the pool's life
// (removing an authenticator later does not withdraw it from running
// pools [W A8]).
type Config struct {
	Rule Rule
	// Quorum is the minimum number of responding authenticators for an
	// attempt to count; at least 1. Larger than len(Targets) is valid and
	// makes the pool fail at once with voting.quorum_unreachable.
	Quorum int
	// TimeLimit is the length of one attempt; above 0, at most MaxTimeLimit.
	TimeLimit time.Duration
	// MaxAttempts is numberOfAttempts: 1 means no retry; at most MaxAttempts.
	MaxAttempts int
	// Targets are the authenticators that receive ballots, each once. Empty
	// is valid and makes the pool fail at once with voting.no_authenticators.
	Targets []string
	// FinalOnReject ends the pool on the first rejected attempt. The zero
	// value follows the reference [W §1.10]: a rejection, like a timeout or
	// a failed quorum, starts a new attempt until MaxAttempts is reached.
	FinalOnReject bool
}

// Validate returns every problem at once (errors.Join of *FieldError), or
// nil.
func (c Config) Validate() error {
	var errs []error
	if _, err := NewRule(c.Rule.Strategy, c.Rule.Percentage); err != nil {
		errs = append(errs, err)
	}
	if c.Quorum < 1 {
		errs = append(errs, fieldError("quorumSize", KeyQuorumRange,
			"quorum "+strconv.Itoa(c.Quorum)+" is below 1"))
	}
	if c.TimeLimit <= 0 || c.TimeLimit > MaxTimeLimit {
		errs = append(errs, fieldError("timeLimit", KeyTimeLimitRange,
			"time limit "+c.TimeLimit.String()+" is outside (0, "+MaxTimeLimit.String()+"]"))
	}
	if c.MaxAttempts < 1 || c.MaxAttempts > MaxAttempts {
		errs = append(errs, fieldError("numberOfAttempts", KeyAttemptsRange,
			"attempts "+strconv.Itoa(c.MaxAttempts)+" is outside 1–"+strconv.Itoa(MaxAttempts)))
	}
	return errors.Join(append(errs, c.targetErrors()...)...)
}

// targetErrors refuses empty and repeated device identifiers: a device
// listed twice would get two ballots and count twice.
func (c Config) targetErrors() []error {
	var errs []error
	seen := make(map[string]bool, len(c.Targets))
	for _, d := range c.Targets {
		switch {
		case d == "":
			errs = append(errs, fieldError("deviceIdentifiers", KeyInvalidTarget,
				"an empty device identifier"))
		case seen[d]:
			errs = append(errs, fieldError("deviceIdentifiers", KeyDuplicateTarget,
				"device "+strconv.Quote(d)+" is listed twice"))
		}
		seen[d] = true
	}
	return errs
}
