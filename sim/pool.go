package sim

import (
	"net/http"

	"github.com/pcflow/pcflow/sim/internal/vote"
)

// Voting pools as records of a profile and the VT handlers; voting.go
// runs them in time. The wire readings and bounds are in doc.go.

// votingRoutes are VT1, VT2 and the guide's cancel-pool.
func votingRoutes() []route {
	return []route{
		{"POST", "/voting/create", "create-voting", authToken, (*Server).createVoting},
		{"GET", "/voting/check-pool-status/{poolId}", "check-pool-status", authToken, (*Server).checkPoolStatus},
		{"POST", "/voting/cancel-pool", "cancel-pool", authToken, (*Server).cancelPool},
	}
}

// createVoting is VT1: a manual pool under a voting configuration (by
// name or id). The 202's command id is the pool id; the command's terminal
// ack comes when the pool ends (PROPOSED).
func (s *Server) createVoting(c *call) {
	f := c.fields()
	ref := f.str("votingConfigurationId", true, maxFieldLen)
	// sim-ballots=manual (a simulator-only query parameter) keeps the
	// virtual authenticators out of this pool, so that a scenario casting
	// its own ballots through the hook is not beaten to them.
	rec := &poolRecord{title: f.str("title", true, maxFieldLen),
		question: f.str("question", true, maxFieldLen), nonce: f.optional("nonce", maxFieldLen),
		manual: c.r.URL.Query().Get("sim-ballots") == "manual"}
	skip, _ := f.strList("skipAuthenticatorDevices", maxConfigDevices)
	if !f.ok() {
		return
	}
	p := c.profile
	s.acceptOnHoldings(c, func(id string, h *holdings) outcome {
		vc := h.config(ref)
		if vc == nil {
			return rejected("voting_configuration.not_found")
		}
		rec.commandID, rec.config = id, vc.name
		return s.voting.open(p, h, rec, vc, skip)
	})
}

// ownPool returns the caller's pool id, or answers 404.
func (c *call) ownPool(id string) *poolRecord {
	rec := c.profile.pool(id)
	if rec == nil {
		writeError(c.w, http.StatusNotFound, "voting.pool_not_found")
	}
	return rec
}

// checkPoolStatus is VT2: the pool's snapshot, after applying any time
// limit that passed (so a late timer never shows a stale state).
func (s *Server) checkPoolStatus(c *call) {
	rec := c.ownPool(c.r.PathValue("poolId"))
	if rec == nil {
		return
	}
	p := c.profile
	s.voting.step(p, rec, func(pool *vote.Pool) { pool.Tick(s.clock.Now()) })
	writeJSON(c.w, http.StatusOK, p.poolView(rec))
}

// cancelPool is [G]'s POST /voting/cancel-pool (outside the navigation):
// a pending pool ends cancelled and its command acks 3 voting.cancelled.
func (s *Server) cancelPool(c *call) {
	f := c.fields()
	id := f.str("poolId", true, maxFieldLen)
	if !f.ok() {
		return
	}
	rec := c.ownPool(id)
	if rec == nil {
		return
	}
	p := c.profile
	s.accept(c.w, p, c.op, func() outcome {
		cancelled := false
		s.voting.step(p, rec, func(pool *vote.Pool) { cancelled = pool.Cancel(s.clock.Now()) })
		if !cancelled {
			return rejected("voting.pool_ended")
		}
		return succeeded()
	})
}
