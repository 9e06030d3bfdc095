package sim

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/pcflow/pcflow/sim/internal/vote"
)

// rollVote is the dice kind of virtual authenticators' latencies (the
// pipeline's kinds are small integers).
const rollVote uint64 = 0x40

// voting runs the pools of package vote in time: it opens them, arms
// each attempt's time limit and the virtual authenticators' ballots on
// the simulator's clock, applies each change under the owning profile's
// lock, and hands a gated command's outcome to the pipeline when its
// pool ends. It knows nothing of HTTP; the handlers in pool.go and
// hooks.go call it.
type voting struct {
	clock    Clock
	stop     <-chan struct{}                 // closed when Close began: timers then do nothing
	dice     dice                            // for the ballots' delays
	ballot   vote.Vote                       // what virtual authenticators answer; 0 = silent
	latency  Latency                         // Options.VoteLatency
	complete func(id string, o outcome) bool // ends a pending command (the pipeline's)
	poolSeq  atomic.Uint64                   // numbers pools, for the ballots' delays
}

// open creates rec's pool under vc and starts its clocks. It returns
// the command's outcome: rejected at once when the pool can never pass
// (no authenticators, quorum above the targets), else pending — the
// terminal ack follows when the pool ends. Inside p.inHoldings.
func (v *voting) open(p *profile, h *holdings, rec *poolRecord, vc *votingConfig, skip []string) outcome {
	if !h.roomForPool() {
		return rejected("voting.too_many_pools")
	}
	pool, err := vote.New(rec.commandID, h.poolConfig(vc, skip), v.clock.Now())
	if err != nil { // the settings were validated when set; this is a bug
		return rejected("voting.invalid_configuration")
	}
	rec.pool, rec.seq = pool, v.poolSeq.Add(1)
	h.pools[pool.ID()] = rec
	if out, ended := pool.Outcome(); ended { // a failure: a fresh attempt cannot pass at once
		rec.finished = true
		h.ended = append(h.ended, pool.ID())
		return rec.result(out)
	}
	v.arm(p, rec)
	return pending()
}

// arm starts the current attempt's clocks: the timer at its time
// limit and the virtual authenticators' ballots. Inside p.inHoldings.
func (v *voting) arm(p *profile, rec *poolRecord) {
	deadline, _ := rec.pool.NextDeadline()
	if rec.stopTimer != nil {
		rec.stopTimer()
	}
	rec.stopTimer = v.clock.AfterFunc(deadline.Sub(v.clock.Now()), func() {
		v.step(p, rec, func(pool *vote.Pool) { pool.Tick(v.clock.Now()) })
	})
	ballot := v.ballot
	if ballot == 0 || rec.manual {
		return
	}
	attempt := rec.pool.Attempt()
	for i, dev := range rec.pool.Targets() {
		v.clock.AfterFunc(v.ballotDelay(rec.seq, i, attempt), func() {
			v.step(p, rec, func(pool *vote.Pool) { pool.CastInAttempt(attempt, dev, ballot, v.clock.Now()) })
		})
	}
}

// ballotDelay draws a virtual authenticator's answer time from VoteLatency,
// a pure function of the seed, the pool's sequence number, the target's
// position and the attempt (not of ids, which are random).
func (v *voting) ballotDelay(poolSeq uint64, target, attempt int) time.Duration {
	l := v.latency
	if l.Max <= l.Min {
		return l.Min
	}
	u := v.dice.uniform(splitmix64(poolSeq<<20^uint64(target)<<8^uint64(attempt)), rollVote)
	return l.Min + time.Duration(u*float64(l.Max-l.Min))
}

// step applies step to rec's pool in p's holdings, then hands the
// command's terminal ack over if the pool just ended, or re-arms the
// clocks if a new attempt began. After Close it does nothing.
func (v *voting) step(p *profile, rec *poolRecord, step func(*vote.Pool)) {
	select {
	case <-v.stop:
		return
	default:
	}
	var finish func()
	p.inHoldings(func(h *holdings) {
		prev := rec.pool.Attempt()
		step(rec.pool)
		finish = v.moved(p, h, rec, prev)
	})
	finish()
}

// moved reacts to a change of rec's pool (inside p.inHoldings) and
// returns what to do after unlocking: complete the waiting command once.
func (v *voting) moved(p *profile, h *holdings, rec *poolRecord, prevAttempt int) func() {
	out, ended := rec.pool.Outcome()
	switch {
	case ended && !rec.finished:
		rec.finished = true
		h.ended = append(h.ended, rec.pool.ID())
		if rec.stopTimer != nil {
			rec.stopTimer()
		}
		// The pipeline holds a command from the start of its resolve, so
		// complete finds it even when the pool ends before resolve returns.
		return func() { v.complete(rec.commandID, rec.result(out)) }
	case !ended && rec.pool.Attempt() != prevAttempt:
		v.arm(p, rec)
	}
	return func() {}
}

// gate is the resolve of command id of an operation a policy may gate:
// with no active policy on event, resolve runs at once; otherwise a pool
// named after the command opens, and the operation runs (and the single
// terminal message goes out) only when the pool passed, or fail builds
// the answer when it failed (nil: a plain status-3 ack with the reason:
// voting.rejected, voting.expired, …).
func (v *voting) gate(p *profile, event, id string, resolve func() outcome, fail func(string) outcome) outcome {
	var o outcome
	gated := false
	p.inHoldings(func(h *holdings) {
		pl := h.gatingPolicy(event)
		if gated = pl != nil; gated {
			rec := &poolRecord{commandID: id, config: pl.votingConfig, policyID: pl.id, onPass: resolve, onFail: fail}
			o = v.open(p, h, rec, h.config(pl.votingConfig), nil)
		}
	})
	if !gated {
		return resolve() // outside inHoldings: resolve asks the profile itself
	}
	return o
}

// acceptGated is accept for an operation that an active policy on event
// may put to a vote (see gate); a failed pool acks 3 with its reason.
func (s *Server) acceptGated(w http.ResponseWriter, p *profile, op, event string, resolve func() outcome) command {
	return s.acceptWithID(w, p, op, func(id string) outcome { return s.voting.gate(p, event, id, resolve, nil) })
}

// gatedRequest is the resolve of request-data's command id: the data goes
// out at once, or once a pool on eventDataRequested passed; a failed pool
// answers the request itself, with X-DPT-CAB-REQUEST-ID status 3 and the
// pool's reason, since that is the message a request-data client waits for.
func (s *Server) gatedRequest(p *profile, token, requestID string) func(id string) outcome {
	return func(id string) outcome {
		return s.voting.gate(p, eventDataRequested, id,
			func() outcome { return s.deliverData(p, token, requestID) },
			func(reason string) outcome { return requestRejected(requestID, reason) })
	}
}
