package vote

import (
	"testing"
	"time"
)

// BenchmarkPoolLifecycle: one gated operation's pool from creation to its
// outcome, five authenticators approving under consensus — the work the
// simulator adds to each gated command.
func BenchmarkPoolLifecycle(b *testing.B) {
	b.ReportAllocs()
	rule := mustRule(b, Consensus, 51)
	cfg := Config{Rule: rule, Quorum: 1, TimeLimit: time.Minute, MaxAttempts: 3,
		Targets: []string{"a", "b", "c", "d", "e"}}
	for b.Loop() {
		p, err := New("pool", cfg, t0)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range cfg.Targets {
			if err := p.Cast(d, Approve, t0); err != nil && !p.Ended() {
				b.Fatal(err)
			}
		}
		if !p.Ended() {
			b.Fatal("pool did not end")
		}
	}
}

// BenchmarkEarly: the decision run after every ballot.
func BenchmarkEarly(b *testing.B) {
	b.ReportAllocs()
	rule := mustRule(b, MinimumPercentage, 67)
	for b.Loop() {
		if rule.Early(Count{Targets: 9, Yes: 4, No: 2, Quorum: 3}).Verdict != Pending {
			b.Fatal("4 yes 2 no of 9 at 67 % is undecided")
		}
	}
}
