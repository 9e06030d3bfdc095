package steps

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// vu is one virtual user: its variables, its session, its data key and
// what it stored. Used from its own goroutine only (engine.VU).
type vu struct {
	p         *program
	w         *workload
	id        int
	iteration int64
	env       *scenario.Env
	sess      *privicore.Session
	rng       *rand.Rand
	key       privicore.AESKey
	stored    *digests // data token → SHA-256 of the plaintext, bounded
	lastToken string   // the last data token this VU stored
	username  string   // the profile onboard signed in
	password  privicore.Secret
	buf       []byte                      // upload's random plaintext, reused
	secrets   map[string]privicore.Secret // the last secret of each capture name (call.secretOr)

	calls     []*call   // one per nesting depth, reused
	cause     error     // what the last failed step judged, for its group's expect
	scheduled time.Time // the iteration's scheduled start, consumed by its first sample
	stats     privicore.SessionStats
	resp      scenario.Response
	respAck   scenario.Ack
}

func newVU(p *program, w *workload, id int, shared *scenario.Env) *vu {
	seed := uint64(p.seed)
	if seed == 0 {
		seed = rand.Uint64() // unrepeatable: fresh names never collide across runs
	}
	v := &vu{
		p: p, w: w, id: id, iteration: -1,
		env:     scenario.NewEnv(w.src, id, shared),
		rng:     rand.New(rand.NewPCG(seed, uint64(id))),
		stored:  newDigests(),
		secrets: map[string]privicore.Secret{},
	}
	// The AES key is per VU, drawn from crypto/rand (never from the seed:
	// a repeatable run must not mean a guessable key).
	if k, err := privicore.NewAESKey(); err == nil {
		v.key = k
	}
	return v
}

// Setup runs vu-setup (engine.VU).
func (v *vu) Setup(ctx context.Context) error {
	v.iteration = -1
	return v.runPhase(ctx, v.w.vuSetup)
}

// Run runs one iteration (engine.VU).
func (v *vu) Run(ctx context.Context, it engine.Iteration) error {
	v.iteration = it.N
	if err := v.env.BeginIteration(it.N); err != nil {
		return &engine.StepError{Workload: v.w.src.Name, Step: "vars", Kind: "vars",
			Pos: v.w.src.Pos.String(), ErrorKind: metrics.ErrExpression.String(), Message: err.Error()}
	}
	v.scheduled = it.Scheduled
	err := v.runList(ctx, v.w.steps, 0)
	v.scheduled = time.Time{}
	v.addSessionCounters()
	return err
}

// Teardown runs vu-teardown, then closes the session (engine.VU).
func (v *vu) Teardown(ctx context.Context) error {
	v.iteration = -1
	err := v.runPhase(ctx, v.w.vuTd)
	v.closeSession()
	return err
}

// runPhase runs a setup or teardown list outside any iteration.
func (v *vu) runPhase(ctx context.Context, steps []*cstep) error {
	err := v.runList(ctx, steps, 0)
	v.addSessionCounters()
	return err
}

// runList runs steps in order and stops at the first failure.
func (v *vu) runList(ctx context.Context, steps []*cstep, depth int) error {
	for _, st := range steps {
		if err := v.runStep(ctx, st, depth); err != nil {
			return err
		}
	}
	return nil
}

// callAt returns the reusable call of a nesting depth.
func (v *vu) callAt(depth int) *call {
	for len(v.calls) <= depth {
		v.calls = append(v.calls, &call{})
	}
	return v.calls[depth]
}

// useSession makes s the VU's session, closing the one it replaces.
func (v *vu) useSession(s *privicore.Session) {
	if v.sess != nil && v.sess != s {
		v.addSessionCounters()
		_ = v.sess.Close()
	}
	v.sess, v.stats = s, privicore.SessionStats{}
}

func (v *vu) closeSession() {
	if v.sess != nil {
		v.addSessionCounters()
		_ = v.sess.Close()
		v.sess = nil
	}
}

// addSessionCounters adds what the session's correlator counted since the
// last call (reconnects, duplicate and orphaned messages).
func (v *vu) addSessionCounters() {
	if v.sess == nil {
		return
	}
	now := v.sess.Stats()
	name := v.w.src.Name
	add := func(c metrics.Counter, cur, prev uint64) {
		if cur > prev {
			v.p.sink.Add(c, name, int64(cur-prev))
		}
	}
	add(metrics.Reconnects, now.Reconnects, v.stats.Reconnects)
	add(metrics.AcksDuplicate, now.Duplicates, v.stats.Duplicates)
	add(metrics.AcksOrphan, now.Orphans, v.stats.Orphans)
	v.stats = now
}
