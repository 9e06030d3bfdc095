package sim

import (
	"net/http"
	"slices"

	"github.com/pcflow/pcflow/sim/internal/vote"
)

// Voting pools as records of a profile and the VT handlers; voting.go
// runs them in time. The wire readings and bounds are in doc.go.

// poolRecord is one voting pool of a profile with what the simulator
// needs around the vote engine: the command whose terminal ack waits for
// it, what was asked, and the timer of its current attempt. Guarded by
// the profile's mu, like every other holding.
type poolRecord struct {
	pool      *vote.Pool
	commandID string // the gated or /voting/create command; its id is the pool id
	title     string
	question  string
	nonce     string
	config    string // voting configuration name; "" = the profile's defaults
	policyID  string // the gating policy; "" for /voting/create
	// onPass runs the gated operation once the pool passed; nil for
	// /voting/create, whose command simply succeeds.
	onPass func() outcome
	// onFail builds the command's outcome when the pool failed; nil means
	// a plain status-3 ack with the pool's reason.
	onFail    func(reason string) outcome
	stopTimer func() bool // stops the current attempt's time limit
	finished  bool        // the command's terminal ack has been handed over
}

// view is VT2's PROPOSED snapshot, with the reason and end once ended and
// what was asked.
func (r *poolRecord) view() map[string]any {
	sn := r.pool.Snapshot()
	v := map[string]any{"poolId": sn.PoolID, "status": sn.Status, "strategy": sn.Rule.Strategy,
		"strategy_params": sn.Rule.Params(), "quorumSize": sn.Quorum, "attempt": sn.Attempt,
		"maxAttempts": sn.MaxAttempts, "createdAt": timestamp(sn.CreatedAt),
		"expiresAt": timestamp(sn.ExpiresAt),
		"ballots":   map[string]int{"total": sn.Targets, "yes": sn.Yes, "no": sn.No, "pending": sn.Pending}}
	if sn.Reason != "" {
		v["reason"] = sn.Reason
	}
	if !sn.EndedAt.IsZero() {
		v["endedAt"] = timestamp(sn.EndedAt)
	}
	for k, s := range map[string]string{"title": r.title, "question": r.question, "nonce": r.nonce,
		"votingConfigurationId": r.config, "policyId": r.policyID} {
		if s != "" {
			v[k] = s
		}
	}
	return v
}

// result is the gated command's terminal outcome for a finished pool.
func (r *poolRecord) result(o vote.Outcome) outcome {
	switch {
	case !o.Passed() && r.onFail != nil:
		return r.onFail(string(o.Reason))
	case !o.Passed():
		return rejected(string(o.Reason))
	case r.onPass != nil:
		return r.onPass()
	}
	return succeeded()
}

// votingRoutes are VT1, VT2 and the guide's cancel-pool.
func votingRoutes() []route {
	return []route{
		{"POST", "/voting/create", "create-voting", authToken, (*Server).createVoting},
		{"GET", "/voting/check-pool-status/{poolId}", "check-pool-status", authToken, (*Server).checkPoolStatus},
		{"POST", "/voting/cancel-pool", "cancel-pool", authToken, (*Server).cancelPool},
	}
}

// poolConfig merges the profile's defaults with vc (nil = none) and picks
// the targets: the current authenticators, only those vc lists if it
// lists any, minus skip. Callers hold p.mu.
func (h *holdings) poolConfig(vc *votingConfig, skip []string) vote.Config {
	d := h.voting
	cfg := vote.Config{Rule: d.rule, Quorum: d.quorum, TimeLimit: d.timeLimit, MaxAttempts: d.attempts}
	var listed []string
	if vc != nil {
		cfg.Rule, cfg.TimeLimit, listed = vc.rule, vc.timeLimit, vc.devices
	}
	for _, rec := range h.devicesWhere(func(d *device) bool { return d.authenticator }) {
		id := rec["deviceIdentifier"].(string)
		if (len(listed) == 0 || slices.Contains(listed, id)) && !slices.Contains(skip, id) {
			cfg.Targets = append(cfg.Targets, id)
		}
	}
	return cfg
}

// pool is p's pool id, or nil.
func (p *profile) pool(id string) *poolRecord {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held.pools[id] // not own(): findPool asks every profile, most with no pools
}

// poolView is rec's VT2 snapshot; rec is one of p's pools.
func (p *profile) poolView(rec *poolRecord) map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return rec.view()
}

// roomForPool forgets the oldest ended pools while the profile is at
// maxPoolsPerProfile, and reports whether a new pool fits. Callers hold p.mu.
func (h *holdings) roomForPool() bool {
	for len(h.pools) >= maxPoolsPerProfile && len(h.ended) > 0 {
		delete(h.pools, h.ended[0])
		h.ended = h.ended[1:]
	}
	return len(h.pools) < maxPoolsPerProfile
}

// createVoting is VT1: a manual pool under a voting configuration (by
// name or id). The 202's command id is the pool id; the command's terminal
// ack comes when the pool ends (PROPOSED).
func (s *Server) createVoting(c *call) {
	f := c.fields()
	ref := f.str("votingConfigurationId", true, maxFieldLen)
	rec := &poolRecord{title: f.str("title", true, maxFieldLen),
		question: f.str("question", true, maxFieldLen), nonce: f.optional("nonce", maxFieldLen)}
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
