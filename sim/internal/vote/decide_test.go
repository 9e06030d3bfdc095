package vote

import (
	"fmt"
	"testing"
)

func mustRule(t testing.TB, s Strategy, p int) Rule {
	t.Helper()
	r, err := NewRule(s, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestEarly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		why  string
		s    Strategy
		p    int
		c    Count
		want Decision
	}{
		{"no targets fail at once: nobody can approve", Unanimous, 100, Count{0, 0, 0, 1}, failed(ReasonNoAuthenticators)},
		{"quorum 4 of 3 targets can never be met", Affirmative, 1, Count{3, 0, 0, 4}, failed(ReasonQuorumUnreachable)},
		{"quorum equal to the targets is reachable", Unanimous, 100, Count{3, 0, 0, 3}, pending},
		{"unanimous: one reject fails at once", Unanimous, 100, Count{3, 0, 1, 1}, failed(ReasonRejected)},
		{"unanimous: yes from all passes at once", Unanimous, 100, Count{3, 3, 0, 1}, passed},
		{"unanimous: 2 of 3 yes waits, the third may still say no", Unanimous, 100, Count{3, 2, 0, 1}, pending},
		{"consensus: 3 yes of 4 targets is a majority whatever the 4th says", Consensus, 51, Count{4, 3, 0, 1}, passed},
		{"consensus: 2 yes of 4 waits, a tie is possible", Consensus, 51, Count{4, 2, 0, 1}, pending},
		{"consensus: 2 no of 4 fail at once, 2 of 4 yes is no majority", Consensus, 51, Count{4, 0, 2, 1}, failed(ReasonRejected)},
		{"consensus: 1 no of 3 waits, 2 yes of 3 could still pass", Consensus, 51, Count{3, 0, 1, 1}, pending},
		{"affirmative: one yes with quorum 1 passes at once", Affirmative, 1, Count{5, 1, 0, 1}, passed},
		{"affirmative: one yes waits for quorum 2", Affirmative, 1, Count{5, 1, 0, 2}, pending},
		{"affirmative: one yes and one no meet quorum 2 and pass", Affirmative, 1, Count{5, 1, 1, 2}, passed},
		{"affirmative: all no fails", Affirmative, 1, Count{3, 0, 3, 1}, failed(ReasonRejected)},
		{"minimum 67 %: 2 yes of 3 targets is 66.67 %, not certain", MinimumPercentage, 67, Count{3, 2, 0, 1}, pending},
		{"minimum 67 %: 1 no of 3 fails at once, 2 of 3 cannot reach 67 %", MinimumPercentage, 67, Count{3, 0, 1, 1}, failed(ReasonRejected)},
		{"minimum 66 %: 2 yes of 3 targets pass at once", MinimumPercentage, 66, Count{3, 2, 0, 1}, passed},
		{"minimum 0 %: the first response passes", MinimumPercentage, 0, Count{3, 0, 1, 1}, passed},
		{"no ballots yet is pending for every strategy", Consensus, 51, Count{4, 0, 0, 1}, pending},
	}
	for _, tt := range tests {
		if got := mustRule(t, tt.s, tt.p).Early(tt.c); got != tt.want {
			t.Errorf("%s: %s(%d).Early(%+v) = %+v; want %+v", tt.why, tt.s, tt.p, tt.c, got, tt.want)
		}
	}
}

func TestAtLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		why  string
		s    Strategy
		p    int
		c    Count
		want Decision
	}{
		{"no ballots at all: the quorum was not met", Affirmative, 1, Count{3, 0, 0, 1}, failed(ReasonExpired)},
		{"one ballot short of quorum 2 expires even if it is yes", Affirmative, 1, Count{3, 1, 0, 2}, failed(ReasonExpired)},
		{"unanimous counts responders only: 2 yes and a silent one pass", Unanimous, 100, Count{3, 2, 0, 1}, passed},
		{"unanimous: quorum 3 with a silent target expires", Unanimous, 100, Count{3, 2, 0, 3}, failed(ReasonExpired)},
		{"consensus: 2 yes 2 no of 4 is a tie and fails", Consensus, 51, Count{4, 2, 2, 1}, failed(ReasonRejected)},
		{"consensus: 2 yes 1 no, 1 silent, is 2/3 of responders", Consensus, 51, Count{4, 2, 1, 1}, passed},
		{"consensus: 1 yes alone is 100 % of responders", Consensus, 51, Count{4, 1, 0, 1}, passed},
		{"minimum 67 %: 2 yes 1 no is 66.67 % and fails", MinimumPercentage, 67, Count{3, 2, 1, 1}, failed(ReasonRejected)},
		{"minimum 75 %: 3 yes 1 no is exactly 75 %", MinimumPercentage, 75, Count{5, 3, 1, 1}, passed},
		{"no targets still says why", Consensus, 51, Count{0, 0, 0, 1}, failed(ReasonNoAuthenticators)},
		{"an unreachable quorum still says why", Consensus, 51, Count{2, 2, 0, 3}, failed(ReasonQuorumUnreachable)},
	}
	for _, tt := range tests {
		if got := mustRule(t, tt.s, tt.p).AtLimit(tt.c); got != tt.want {
			t.Errorf("%s: %s(%d).AtLimit(%+v) = %+v; want %+v", tt.why, tt.s, tt.p, tt.c, got, tt.want)
		}
	}
}

// TestEarlyAgreesWithEveryFuture checks Early against brute force: for
// every count up to 7 targets, Early may say passed (or failed) only if
// AtLimit says so for every way the silent targets could still vote, yes,
// no or not at all; and it must say so as soon as that is the case.
func TestEarlyAgreesWithEveryFuture(t *testing.T) {
	t.Parallel()
	var rules []Rule
	for _, s := range Strategies() {
		for _, p := range []int{0, 1, 33, 50, 51, 66, 67, 75, 99, 100} {
			rules = append(rules, mustRule(t, s, p))
		}
	}
	checked := 0
	for _, r := range rules {
		for targets := 0; targets <= 7; targets++ {
			for quorum := 1; quorum <= targets+1; quorum++ {
				for yes := 0; yes <= targets; yes++ {
					for no := 0; yes+no <= targets; no++ {
						c := Count{Targets: targets, Yes: yes, No: no, Quorum: quorum}
						checkEarly(t, r, c)
						checked++
					}
				}
			}
		}
	}
	if checked < 10000 {
		t.Fatalf("only %d counts checked", checked)
	}
}

func checkEarly(t *testing.T, r Rule, c Count) {
	t.Helper()
	outcomes := map[Verdict]bool{}
	for a := 0; a <= c.Silent(); a++ { // a more yes
		for b := 0; a+b <= c.Silent(); b++ { // b more no, the rest silent
			future := c
			future.Yes, future.No = c.Yes+a, c.No+b
			outcomes[r.AtLimit(future).Verdict] = true
		}
	}
	want := Pending
	switch {
	case outcomes[Passed] && !outcomes[Failed]:
		want = Passed
	case outcomes[Failed] && !outcomes[Passed]:
		want = Failed
	}
	if got := r.Early(c); got.Verdict != want {
		t.Errorf("%v.Early(%+v) = %v; futures %v say %v", r, c, got, outcomes, want)
	}
}

func TestVerdictString(t *testing.T) {
	t.Parallel()
	got := fmt.Sprint(Pending, Passed, Failed, Verdict(9))
	if got != "pending passed failed invalid" {
		t.Errorf("verdict names = %q", got)
	}
}
