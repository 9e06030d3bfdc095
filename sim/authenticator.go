package sim

import (
	"errors"
	"net/http"
	"time"

	"github.com/pcflow/pcflow/sim/internal/vote"
)

// maxQuorum bounds set-quorum-size; the reference gives no bound.
const maxQuorum = 1000

// authenticatorRoutes are A1–A8.
func authenticatorRoutes() []route {
	return []route{
		{"POST", "/verified-authenticator/register", "register-authenticator", authToken, (*Server).registerAuthenticator},
		{"POST", "/verified-authenticator/register-authenticator", "register-authenticator", authToken, (*Server).registerAuthenticator},
		{"GET", "/verified-authenticator/list", "list-authenticators", authToken, (*Server).listAuthenticators},
		{"GET", "/verified-authenticator/retrieve-strategy", "retrieve-voting-strategy", authToken, (*Server).retrieveStrategy},
		{"POST", "/verified-authenticator/set-quorum-size", "set-quorum-size", authToken, (*Server).setQuorumSize},
		{"POST", "/verified-authenticator/set-quorum-strategy", "set-quorum-strategy", authToken, (*Server).setQuorumStrategy},
		{"POST", "/verified-authenticator/set-voting-time-limit", "set-voting-time-limit", authToken, (*Server).setTimeLimit},
		{"POST", "/verified-authenticator/set-maximum-voting-attempts", "set-maximum-voting-attempts", authToken, (*Server).setMaxAttempts},
		{"POST", "/verified-authenticator/remove", "remove-authenticator", authToken, (*Server).removeAuthenticator},
	}
}

// registerAuthenticator is A1: an approved device becomes eligible for
// ballots; registering it twice changes nothing.
func (s *Server) registerAuthenticator(c *call) {
	s.deviceCommand(c, func(_ *holdings, d *device) outcome {
		if d.status != deviceApproved {
			return rejected("device.not_approved")
		}
		d.authenticator = true
		return succeeded()
	})
}

// removeAuthenticator is A8: only the role goes; running pools keep the
// device as a target until they end [W].
func (s *Server) removeAuthenticator(c *call) {
	s.deviceCommand(c, func(_ *holdings, d *device) outcome {
		if !d.authenticator {
			return rejected("verified_authenticator.not_found")
		}
		d.authenticator = false
		return succeeded()
	})
}

// listAuthenticators is A2 (PROPOSED): the V3 records of authenticators.
func (s *Server) listAuthenticators(c *call) {
	writeJSON(c.w, http.StatusOK, c.profile.deviceList(func(d *device) bool { return d.authenticator }))
}

// retrieveStrategy is A3 in its PROPOSED shape.
func (s *Server) retrieveStrategy(c *call) {
	var v votingDefaults
	c.profile.inHoldings(func(h *holdings) { v = h.voting })
	available := []string{}
	for _, st := range vote.Strategies() {
		available = append(available, string(st))
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"strategy": v.rule.Strategy, "strategy_params": v.rule.Params(),
		"quorumSize": v.quorum, "timeLimit": int(v.timeLimit / time.Second), "numberOfAttempts": v.attempts,
		"availableStrategies": available})
}

// setVoting accepts a change of p's voting defaults, applied when the
// command resolves.
func (s *Server) setVoting(c *call, change func(*votingDefaults)) {
	s.acceptOnHoldings(c, func(_ string, h *holdings) outcome {
		change(&h.voting)
		return succeeded()
	})
}

// setQuorumSize is A4; the parameter name quorumSize is PROPOSED.
func (s *Server) setQuorumSize(c *call) {
	f := c.fields()
	n := f.integer("quorumSize", true, 1, maxQuorum, 0)
	if f.ok() {
		s.setVoting(c, func(v *votingDefaults) { v.quorum = int(n) })
	}
}

// setQuorumStrategy is A5: strategy and strategy_params, checked by the
// vote package (unknown strategy or params outside 0–100 → 422).
func (s *Server) setQuorumStrategy(c *call) {
	f := c.fields()
	name := f.str("strategy", true, maxFieldLen)
	params := f.optional("strategy_params", 32)
	var rule vote.Rule
	if len(f.errs) == 0 {
		var err error
		rule, err = vote.ParseRule(name, params)
		f.voteError(err, nil)
	}
	if f.ok() {
		s.setVoting(c, func(v *votingDefaults) { v.rule = rule })
	}
}

// setTimeLimit is A6: whole seconds, at most vote.MaxTimeLimit.
func (s *Server) setTimeLimit(c *call) {
	f := c.fields()
	secs := f.integer("timeLimit", true, 1, int64(vote.MaxTimeLimit/time.Second), 0)
	if f.ok() {
		s.setVoting(c, func(v *votingDefaults) { v.timeLimit = time.Duration(secs) * time.Second })
	}
}

// setMaxAttempts is A7: 1 means no retry.
func (s *Server) setMaxAttempts(c *call) {
	f := c.fields()
	n := f.integer("numberOfAttempts", true, 1, vote.MaxAttempts, 0)
	if f.ok() {
		s.setVoting(c, func(v *votingDefaults) { v.attempts = int(n) })
	}
}

// voteError files the *vote.FieldError(s) inside err under their wire
// fields, renamed where this endpoint calls a field otherwise
// (strategy_params is percentageRequired in a voting configuration).
func (f *fields) voteError(err error, rename map[string]string) {
	if err == nil {
		return
	}
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	for _, e := range errs {
		var fe *vote.FieldError
		if !errors.As(e, &fe) {
			f.fail("request", "validation.invalid")
			continue
		}
		name := fe.Field
		if to, ok := rename[name]; ok {
			name = to
		}
		f.fail(name, fe.Key)
	}
}
