package sim

import (
	"slices"
	"time"

	"github.com/pcflow/pcflow/sim/internal/vote"
)

// The voting records a profile holds — configurations, policies, pools —
// and the lookups over them; the handlers in votingconfig.go, policy.go
// and pool.go change them inside inHoldings.

// votingConfig is a named bundle of voting settings (A9): a strategy, a
// time limit and the authenticators to ask (none listed = all of them).
// Its id is the command id of its registration; policies and /voting/create
// link it by name, as the live wire does [P], or by that id.
type votingConfig struct {
	id, name  string
	rule      vote.Rule
	timeLimit time.Duration
	devices   []string
	createdAt time.Time
	seq       uint64
}

// view is the A11/A12 record: A9's fields with the id and createdAt.
func (vc *votingConfig) view() map[string]any {
	return map[string]any{"id": vc.id, "name": vc.name, "strategy": vc.rule.Strategy,
		"percentageRequired": vc.rule.Percentage, "timeLimit": int(vc.timeLimit / time.Second),
		"deviceIdentifiers": slices.Clone(vc.devices), "createdAt": timestamp(vc.createdAt)}
}

// config finds a configuration by name, else by id. Callers hold p.mu.
func (h *holdings) config(ref string) *votingConfig {
	if vc := h.configs[ref]; vc != nil {
		return vc
	}
	for _, vc := range h.configs {
		if vc.id == ref {
			return vc
		}
	}
	return nil
}

// missingDevice reports whether one of ids is not a device of h.
func (h *holdings) missingDevice(ids []string) bool {
	for _, id := range ids {
		if h.devices[id] == nil {
			return true
		}
	}
	return false
}

// policy is one registered policy; its id is its register command's id.
type policy struct {
	id, name      string
	templateID    string
	eventIDs      []string
	votingConfig  string // the configuration's name; "" = the profile's defaults
	configuration map[string]any
	configBytes   int // configuration's size as JSON, charged to the stored-bytes quota
	active        bool
	createdAt     time.Time
	visibleAt     time.Time // PL9 answers 404 before this (eventual consistency)
}

// view is the PL9 record (PROPOSED beyond id), also listed by PL3/PL4/PL8.
func (pl *policy) view() map[string]any {
	return map[string]any{"id": pl.id, "name": pl.name, "policyTemplateId": pl.templateID,
		"applyingEventIds": pl.eventIDs, "votingConfigurationId": pl.votingConfig,
		"configuration": pl.configuration, "active": pl.active, "createdAt": timestamp(pl.createdAt)}
}

// policy finds a policy by id, else by name. Callers hold p.mu.
func (h *holdings) policy(ref string) *policy {
	for _, pl := range h.policies {
		if pl.id == ref {
			return pl
		}
	}
	for _, pl := range h.policies {
		if pl.name != "" && pl.name == ref {
			return pl
		}
	}
	return nil
}

// gatingPolicy is the oldest active policy that gates event, or nil.
func (h *holdings) gatingPolicy(event string) *policy {
	for _, pl := range h.policies {
		if t, ok := templateByID(pl.templateID); ok && pl.active && t.gates(pl.eventIDs, event) {
			return pl
		}
	}
	return nil
}

// poolRecord is one voting pool of a profile with what the simulator
// needs around the vote engine: the command whose terminal ack waits for
// it, what was asked, and the timer of its current attempt. Guarded by
// the profile's mu, like every other holding.
type poolRecord struct {
	pool      *vote.Pool
	seq       uint64 // the order it was opened in (voting.poolSeq)
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
	// manual: no virtual authenticator votes in this pool, whatever
	// Options.Vote says; its ballots come through the /_sim/ hook only
	// (POST /voting/create?sim-ballots=manual, see castBallot).
	manual bool
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
	return p.held.pools[id] // nil map reads are fine: no need to make the holdings
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
