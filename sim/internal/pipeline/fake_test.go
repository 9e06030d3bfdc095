package pipeline

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim/internal/fakeclock"
)

// wire records what a pipeline published, in order.
type wire struct {
	mu   sync.Mutex
	msgs []string
}

func (w *wire) publish(owner string, msg []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, owner+" "+string(msg))
}

func (w *wire) published() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.msgs...)
}

// rig is a pipeline on a fake clock whose acks read "ack ID STATUS BODY".
type rig struct {
	*Pipeline
	clock  *fakeclock.Clock
	wire   *wire
	count  *Counters
	faults *FaultCounts
}

func newRig(t *testing.T, cfg Config) *rig {
	t.Helper()
	r := &rig{clock: fakeclock.New(), wire: &wire{}, count: &Counters{}, faults: &FaultCounts{}}
	cfg.Clock, cfg.Publish, cfg.Faults = r.clock, r.wire.publish, r.faults
	cfg.Ack = func(id string, status int, body string) []byte {
		return fmt.Appendf(nil, "ack %s %d %s", id, status, body)
	}
	cfg.StartedAck = func(id string) []byte { return []byte("started " + id) }
	if cfg.ResultTTL == 0 {
		cfg.ResultTTL = time.Hour
	}
	if cfg.MaxResults == 0 {
		cfg.MaxResults = 1000
	}
	r.Pipeline = New(cfg)
	t.Cleanup(r.Close)
	return r
}

// succeed is a resolve that succeeds.
func succeed(string) Outcome { return Success() }

// submit accepts and submits command id of owner "alice" with plan.
func (r *rig) submit(id string, plan Plan, resolve func() Outcome) *Command {
	c := r.Accept(id, "alice", plan, r.count, func(string) Outcome { return resolve() })
	r.Submit(c, func() {})
	return c
}

// waitStatus waits until command id has status and body. The workers run
// on their own goroutines, so it yields rather than sleeps; a bound on
// yields, not on time, ends a test that would hang.
func (r *rig) waitStatus(t *testing.T, id string, status int, body string) {
	t.Helper()
	// Bounded by wall time, not a count of yields: under -race on a busy
	// machine a million yields can pass before a worker is scheduled.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if st, b, _, _ := r.Status(id); st == status && b == body {
			return
		}
		runtime.Gosched()
	}
	st, b, _, _ := r.Status(id)
	r.sched.mu.Lock()
	var dues []string
	for _, c := range r.sched.due {
		dues = append(dues, c.ID+"@"+c.due.Format("05.000000000"))
	}
	r.sched.mu.Unlock()
	t.Fatalf("command %s: %d %q, want %d %q (clock %s, due heap %v, work %d)", id, st, b, status, body, r.clock.Now().Format("05.000000000"), dues, len(r.sched.work))
}

// settle yields long enough for any runnable worker to have run.
func settle() {
	for range 1000 {
		runtime.Gosched()
	}
}
