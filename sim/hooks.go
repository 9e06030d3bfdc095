package sim

import (
	"errors"
	"net/http"

	"github.com/pcflow/pcflow/sim/internal/vote"
)

// hookRoutes are the simulator's own endpoints, all under /_sim/ so that
// they can never collide with a Privicore path.
func hookRoutes() []route {
	return []route{
		{"GET", "/_sim/{$}", "sim-describe", authPublic, (*Server).describeTarget},
		{"POST", "/_sim/pools/{poolId}/ballots", "sim-cast-ballot", authToken, (*Server).castBallot},
	}
}

// describeTarget is GET /_sim/: what this target is and how its virtual
// authenticators behave, so a scenario can tell the simulator from a real
// deployment (which answers 404 here) and adapt.
func (s *Server) describeTarget(c *call) {
	o := s.opts
	behaviour := o.Vote
	if behaviour == "" {
		behaviour = VoteApprove
	}
	templates, events := []string{}, []string{}
	for _, t := range policyTemplates() {
		templates = append(templates, t.id)
		for _, e := range t.events {
			events = append(events, e.event)
		}
	}
	writeJSON(c.w, http.StatusOK, map[string]any{
		"target": "pcflow-sim",
		"vote":   behaviour, "voteLatency": map[string]string{"min": o.VoteLatency.Min.String(), "max": o.VoteLatency.Max.String()},
		"policyVisibilityDelay": o.PolicyVisibilityDelay.String(),
		"policyTemplates":       templates,
		"gatedEvents":           events,
		"hooks": []map[string]any{{"method": "POST", "path": "/_sim/pools/{poolId}/ballots",
			"body": map[string]string{"deviceIdentifier": "a targeted authenticator", "vote": "approve|reject"},
			"auth": "X-DPT-AUTHORIZATION of the pool's owner"},
			{"method": "POST", "path": "/voting/create?sim-ballots=manual",
				"effect": "no virtual authenticator votes in the new pool: its ballots come through the hook above"}},
	})
}

// castBallot is POST /_sim/pools/{poolId}/ballots: a vote as if the
// authenticator had answered over its own channel, sent with the pool
// owner's token — a hook that anyone could call would let one profile end
// another's pools. 200 with the pool's status; 401 without a live token;
// 404 an unknown pool or another profile's; 403 a device that is not a
// targeted authenticator of the pool; 409 a second ballot in one attempt
// or a ballot after the pool ended; 422 a bad body.
func (s *Server) castBallot(c *call) {
	f := c.fields()
	dev := f.deviceID()
	choice := f.str("vote", true, 16)
	var v vote.Vote
	if choice != "" {
		var err error
		v, err = vote.ParseVote(choice)
		f.voteError(err, nil)
	}
	if !f.ok() {
		return
	}
	p := c.profile
	rec := p.pool(c.r.PathValue("poolId"))
	if rec == nil {
		writeError(c.w, http.StatusNotFound, "voting.pool_not_found")
		return
	}
	var err error
	s.voting.step(p, rec, func(pool *vote.Pool) { err = pool.Cast(dev, v, s.clock.Now()) })
	switch {
	case errors.Is(err, vote.ErrNotTarget):
		writeError(c.w, http.StatusForbidden, "voting.not_a_target")
	case errors.Is(err, vote.ErrDuplicateBallot):
		writeError(c.w, http.StatusConflict, "voting.duplicate_ballot")
	case err != nil:
		writeError(c.w, http.StatusConflict, "voting.pool_ended")
	default:
		writeJSON(c.w, http.StatusOK, p.poolView(rec))
	}
}
