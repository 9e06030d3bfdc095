package vote

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// FuzzPool drives a pool with arbitrary ballots, ticks and cancels and
// checks the invariants after each step: yes + no ≤ targets, the attempt
// never exceeds the limit nor goes back, a finished pool never changes,
// and every refusal is one of the typed errors.
func FuzzPool(f *testing.F) {
	f.Add([]byte{0, 100, 1, 3, 1, 0, 1, 2, 3, 4, 5, 6})
	f.Add([]byte{1, 51, 2, 4, 3, 1, 9, 9, 9, 9, 200, 17, 33})
	f.Add([]byte{3, 67, 1, 3, 2, 0, 64, 65, 130, 255, 0})
	f.Add([]byte{2, 1, 6, 0, 4, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 6 {
			return
		}
		cfg := fuzzConfig(data[:6])
		p, err := New("fuzz", cfg, t0)
		if err != nil {
			t.Fatalf("config %+v refused: %v", cfg, err)
		}
		now := t0
		for _, op := range data[6:] {
			now = now.Add(time.Duration(op>>4) * time.Second)
			before, wasEnded := p.Snapshot(), p.Ended()
			applyFuzzOp(t, p, op, now)
			checkPoolInvariants(t, p, cfg, before)
			if wasEnded && p.Snapshot() != before {
				t.Fatalf("op %#x changed a finished pool: %+v → %+v", op, before, p.Snapshot())
			}
		}
	})
}

// fuzzConfig reads a valid configuration from six bytes: strategy,
// percentage, quorum, number of targets, attempts, reject-is-final.
func fuzzConfig(b []byte) Config {
	targets := make([]string, int(b[3])%7)
	for i := range targets {
		targets[i] = fmt.Sprintf("dev-%d", i)
	}
	rule, _ := NewRule(Strategies()[int(b[0])%4], int(b[1])%101)
	return Config{
		Rule: rule, Quorum: 1 + int(b[2])%7, TimeLimit: 10 * time.Second,
		MaxAttempts: 1 + int(b[4])%4, Targets: targets, FinalOnReject: b[5]%2 == 1,
	}
}

// applyFuzzOp: low 3 bits pick a device (7 = not a target), bit 3 the
// vote; device 6 doubles as "tick" and op 0x0e as "cancel".
func applyFuzzOp(t *testing.T, p *Pool, op byte, now time.Time) {
	switch dev := int(op & 7); {
	case op&0x0f == 0x0e:
		p.Cancel(now)
	case dev == 6:
		p.Tick(now)
	default:
		v := Approve
		if op&8 != 0 {
			v = Reject
		}
		err := p.Cast(fmt.Sprintf("dev-%d", dev), v, now)
		if err != nil && !isBallotRefusal(err) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	}
}

func isBallotRefusal(err error) bool {
	for _, target := range []error{ErrNotTarget, ErrDuplicateBallot, ErrPoolEnded, ErrStaleAttempt} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

func checkPoolInvariants(t *testing.T, p *Pool, cfg Config, before Snapshot) {
	t.Helper()
	s := p.Snapshot()
	if s.Yes < 0 || s.No < 0 || s.Yes+s.No > s.Targets || s.Yes+s.No+s.Pending != s.Targets {
		t.Fatalf("impossible counts: %+v", s)
	}
	if s.Attempt < before.Attempt || s.Attempt < 1 || s.Attempt > cfg.MaxAttempts {
		t.Fatalf("attempt %d after %d (limit %d)", s.Attempt, before.Attempt, cfg.MaxAttempts)
	}
	o, ended := p.Outcome()
	if ended != (s.Status != StatusPending) || (ended && o.Passed() != (o.Reason == "")) {
		t.Fatalf("status %s disagrees with outcome %+v", s.Status, o)
	}
	if len(p.History()) != s.Attempt-1 && !ended {
		t.Fatalf("%d finished attempts recorded in attempt %d", len(p.History()), s.Attempt)
	}
}
