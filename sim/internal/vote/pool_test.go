package vote

import (
	"errors"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)

func at(seconds float64) time.Time {
	return t0.Add(time.Duration(seconds * float64(time.Second)))
}

// newPool builds a pool of three phones, 10 s per attempt, unless cfg
// says otherwise.
func newPool(t *testing.T, edit func(*Config)) *Pool {
	t.Helper()
	cfg := Config{
		Rule: mustRule(t, Unanimous, 100), Quorum: 1, TimeLimit: 10 * time.Second,
		MaxAttempts: 1, Targets: []string{"phone-a", "phone-b", "phone-c"},
	}
	if edit != nil {
		edit(&cfg)
	}
	p, err := New("pool-1", cfg, t0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustCast(t *testing.T, p *Pool, device string, v Vote, now time.Time) {
	t.Helper()
	if err := p.Cast(device, v, now); err != nil {
		t.Fatal(err)
	}
}

func wantOutcome(t *testing.T, p *Pool, want Outcome) {
	t.Helper()
	got, ended := p.Outcome()
	if !ended || got != want {
		t.Fatalf("outcome = %+v (ended %v); want %+v", got, ended, want)
	}
}

func TestApprovedByEveryAuthenticator(t *testing.T) {
	t.Parallel()
	p := newPool(t, nil)
	mustCast(t, p, "phone-a", Approve, at(1))
	mustCast(t, p, "phone-b", Approve, at(2))
	if b := p.Ballots(); len(b) != 2 || b["phone-b"] != Approve {
		t.Fatalf("current ballots: %v", b)
	}
	if p.Ended() {
		t.Fatal("unanimous pool ended before its third authenticator voted")
	}
	mustCast(t, p, "phone-c", Approve, at(3))
	wantOutcome(t, p, Outcome{Status: StatusSucceeded, Attempt: 1, At: at(3)})
	if o, _ := p.Outcome(); !o.Passed() || o.CommandStatus() != 2 {
		t.Errorf("a passed pool acks %d, passed=%v", o.CommandStatus(), o.Passed())
	}
}

func TestOneRejectEndsAUnanimousPool(t *testing.T) {
	t.Parallel()
	p := newPool(t, nil)
	mustCast(t, p, "phone-a", Approve, at(1))
	mustCast(t, p, "phone-b", Reject, at(2))
	wantOutcome(t, p, Outcome{Status: StatusRejected, Reason: ReasonRejected, Attempt: 1, At: at(2)})
	if o, _ := p.Outcome(); o.CommandStatus() != 3 {
		t.Errorf("a rejected pool acks %d; want 3", o.CommandStatus())
	}
}

func TestSilenceRetriesUntilTheAttemptLimit(t *testing.T) {
	t.Parallel()
	p := newPool(t, func(c *Config) { c.MaxAttempts = 3 })
	p.Tick(at(9.999))
	if p.Attempt() != 1 || p.Ended() {
		t.Fatalf("before the limit: attempt %d, ended %v", p.Attempt(), p.Ended())
	}
	p.Tick(at(10))
	if s := p.Snapshot(); s.Attempt != 2 || s.Status != StatusPending || s.StartedAt != at(10) || s.ExpiresAt != at(20) {
		t.Fatalf("at the first limit: %+v; want attempt 2 over [10 s, 20 s)", s)
	}
	p.Tick(at(25)) // a late timer: attempt 3 still opens at 20 s
	if s := p.Snapshot(); s.Attempt != 3 || s.ExpiresAt != at(30) {
		t.Fatalf("after a late tick: %+v; want attempt 3 expiring at 30 s", s)
	}
	p.Tick(at(30))
	wantOutcome(t, p, Outcome{Status: StatusExpired, Reason: ReasonExpired, Attempt: 3, At: at(30)})
	if h := p.History(); len(h) != 3 || h[2].Decision != failed(ReasonExpired) {
		t.Errorf("history = %+v; want three expired attempts", h)
	}
}

func TestOneLateTickAppliesEveryPassedLimit(t *testing.T) {
	t.Parallel()
	p := newPool(t, func(c *Config) { c.MaxAttempts = 4 })
	p.Tick(at(3600))
	wantOutcome(t, p, Outcome{Status: StatusExpired, Reason: ReasonExpired, Attempt: 4, At: at(40)})
}

func TestANewAttemptCanPass(t *testing.T) {
	t.Parallel()
	p := newPool(t, func(c *Config) { c.MaxAttempts = 2 })
	mustCast(t, p, "phone-a", Approve, at(5))
	p.Tick(at(10)) // quorum 1 met by one yes, unanimous of responders: passes at the limit
	wantOutcome(t, p, Outcome{Status: StatusSucceeded, Attempt: 1, At: at(10)})

	q := newPool(t, func(c *Config) { c.MaxAttempts = 2; c.Quorum = 3 })
	mustCast(t, q, "phone-a", Approve, at(5))
	q.Tick(at(10)) // one of three is short of quorum 3: attempt 2
	if q.Attempt() != 2 || q.Voted("phone-a") {
		t.Fatalf("attempt %d, phone-a voted %v; want a fresh attempt 2", q.Attempt(), q.Voted("phone-a"))
	}
	for _, d := range []string{"phone-a", "phone-b", "phone-c"} {
		mustCast(t, q, d, Approve, at(12))
	}
	wantOutcome(t, q, Outcome{Status: StatusSucceeded, Attempt: 2, At: at(12)})
}

func TestRejectionRetriesAsTheReferenceSays(t *testing.T) {
	t.Parallel()
	p := newPool(t, func(c *Config) { c.MaxAttempts = 2 })
	mustCast(t, p, "phone-a", Reject, at(1))
	if s := p.Snapshot(); s.Attempt != 2 || s.Status != StatusPending || s.ExpiresAt != at(11) {
		t.Fatalf("after a rejected attempt 1: %+v; want attempt 2 opened at 1 s", s)
	}
	mustCast(t, p, "phone-a", Reject, at(2))
	wantOutcome(t, p, Outcome{Status: StatusRejected, Reason: ReasonRejected, Attempt: 2, At: at(2)})
	h := p.History()
	if len(h) != 2 || h[0].Ballots["phone-a"] != Reject || len(h[0].Ballots) != 1 || h[1].Ballots["phone-a"] != Reject {
		t.Fatalf("ballots per attempt: %+v", h)
	}
	h[0].Ballots["phone-b"] = Approve
	if _, leaked := p.History()[0].Ballots["phone-b"]; leaked {
		t.Error("History shares its ballot maps with the caller")
	}

	q := newPool(t, func(c *Config) { c.MaxAttempts = 2; c.FinalOnReject = true })
	mustCast(t, q, "phone-a", Reject, at(1))
	wantOutcome(t, q, Outcome{Status: StatusRejected, Reason: ReasonRejected, Attempt: 1, At: at(1)})
}

func TestRefusedBallots(t *testing.T) {
	t.Parallel()
	tests := []struct {
		why    string
		setup  func(*Pool)
		cast   func(*Pool) error
		target error
	}{
		{"a device that is not a target is refused", nil,
			func(p *Pool) error { return p.Cast("laptop", Approve, at(1)) }, ErrNotTarget},
		{"a second ballot in one attempt is refused", func(p *Pool) { p.Cast("phone-a", Approve, at(1)) },
			func(p *Pool) error { return p.Cast("phone-a", Reject, at(2)) }, ErrDuplicateBallot},
		{"a ballot exactly at the time limit is late", nil,
			func(p *Pool) error { return p.Cast("phone-a", Approve, at(10)) }, ErrPoolEnded},
		{"a ballot after the pool ended is ignored", func(p *Pool) { p.Cast("phone-a", Reject, at(1)) },
			func(p *Pool) error { return p.Cast("phone-b", Approve, at(2)) }, ErrPoolEnded},
		{"a virtual authenticator's answer to attempt 1 is late in attempt 2",
			func(p *Pool) { p.cfg.MaxAttempts = 2; p.Tick(at(10)) },
			func(p *Pool) error { return p.CastInAttempt(1, "phone-a", Approve, at(11)) }, ErrStaleAttempt},
		{"an answer for an attempt not yet opened is refused", nil,
			func(p *Pool) error { return p.CastInAttempt(2, "phone-a", Approve, at(1)) }, ErrStaleAttempt},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			p := newPool(t, nil)
			if tt.setup != nil {
				tt.setup(p)
			}
			before := p.Snapshot()
			err := tt.cast(p)
			var be *BallotError
			if !errors.Is(err, tt.target) || !errors.As(err, &be) || be.PoolID != "pool-1" {
				t.Fatalf("error = %v; want a *BallotError wrapping %v", err, tt.target)
			}
			if after := p.Snapshot(); after.Yes != before.Yes || after.No != before.No {
				t.Errorf("a refused ballot changed the counts: %+v → %+v", before, after)
			}
		})
	}
}

func TestAnInvalidVoteIsRefused(t *testing.T) {
	t.Parallel()
	p := newPool(t, nil)
	var fe *FieldError
	if err := p.Cast("phone-a", Vote(0), at(1)); !errors.As(err, &fe) || fe.Key != KeyUnknownVote {
		t.Fatalf("error = %v; want %s", err, KeyUnknownVote)
	}
	if p.Voted("phone-a") {
		t.Error("an invalid vote was recorded")
	}
}

func TestAFinishedPoolNeverChanges(t *testing.T) {
	t.Parallel()
	p := newPool(t, func(c *Config) { c.MaxAttempts = 3 })
	for _, d := range p.Targets() {
		mustCast(t, p, d, Approve, at(1))
	}
	want := p.Snapshot()
	p.Tick(at(1000))
	_ = p.Cast("phone-a", Reject, at(1001))
	if p.Cancel(at(1002)) {
		t.Error("Cancel reported cancelling a finished pool")
	}
	if got := p.Snapshot(); got != want {
		t.Errorf("snapshot moved after the end:\n got %+v\nwant %+v", got, want)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	p := newPool(t, nil)
	mustCast(t, p, "phone-a", Approve, at(1))
	if !p.Cancel(at(2)) {
		t.Fatal("Cancel refused a pending pool")
	}
	wantOutcome(t, p, Outcome{Status: StatusCancelled, Reason: ReasonCancelled, Attempt: 1, At: at(2)})

	q := newPool(t, nil)
	if q.Cancel(at(10)) {
		t.Error("Cancel at the time limit cancelled a pool that had already expired")
	}
	wantOutcome(t, q, Outcome{Status: StatusExpired, Reason: ReasonExpired, Attempt: 1, At: at(10)})
}

func TestPoolsThatCanNeverPassEndAtCreation(t *testing.T) {
	t.Parallel()
	p := newPool(t, func(c *Config) { c.Targets = nil; c.MaxAttempts = 5 })
	wantOutcome(t, p, Outcome{Status: StatusRejected, Reason: ReasonNoAuthenticators, Attempt: 1, At: t0})
	q := newPool(t, func(c *Config) { c.Quorum = 4; c.MaxAttempts = 5 })
	wantOutcome(t, q, Outcome{Status: StatusRejected, Reason: ReasonQuorumUnreachable, Attempt: 1, At: t0})
}

func TestSnapshot(t *testing.T) {
	t.Parallel()
	p := newPool(t, func(c *Config) { c.Rule = mustRule(t, MinimumPercentage, 67); c.Quorum = 2 })
	mustCast(t, p, "phone-a", Approve, at(1))
	want := Snapshot{
		PoolID: "pool-1", Status: StatusPending, Rule: Rule{MinimumPercentage, 67}, Quorum: 2,
		Attempt: 1, MaxAttempts: 1, CreatedAt: t0, StartedAt: t0, ExpiresAt: at(10),
		Targets: 3, Yes: 1, No: 0, Pending: 2,
	}
	if got := p.Snapshot(); got != want {
		t.Fatalf("snapshot:\n got %+v\nwant %+v", got, want)
	}
	mustCast(t, p, "phone-b", Reject, at(2)) // 1 of 3 at best 2/3 = 66.67 % < 67 %
	want.Status, want.Reason, want.EndedAt, want.No, want.Pending = StatusRejected, ReasonRejected, at(2), 1, 1
	if got := p.Snapshot(); got != want {
		t.Fatalf("snapshot after the deciding no:\n got %+v\nwant %+v", got, want)
	}
}

func TestNewCopiesTheTargets(t *testing.T) {
	t.Parallel()
	targets := []string{"phone-a", "phone-b"}
	p := newPool(t, func(c *Config) { c.Targets = targets })
	targets[0] = "intruder"
	if err := p.Cast("intruder", Approve, at(1)); !errors.Is(err, ErrNotTarget) {
		t.Fatalf("the caller's slice reached into the pool: %v", err)
	}
	if got := p.Targets(); !slices.Equal(got, []string{"phone-a", "phone-b"}) {
		t.Errorf("targets = %v", got)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	bad := Config{
		Rule: Rule{Strategy: "majority"}, Quorum: 0, TimeLimit: 0, MaxAttempts: MaxAttempts + 1,
		Targets: []string{"phone-a", "", "phone-a"},
	}
	err := bad.Validate()
	var keys []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("%v is not a *FieldError", e)
		}
		keys = append(keys, fe.Key)
	}
	want := []string{KeyUnknownStrategy, KeyQuorumRange, KeyTimeLimitRange, KeyAttemptsRange,
		KeyInvalidTarget, KeyDuplicateTarget}
	if !slices.Equal(keys, want) {
		t.Errorf("keys = %v; want every problem at once: %v", keys, want)
	}
	if _, err := New("", Config{}, t0); err == nil {
		t.Error("New accepted a pool without an id")
	}
	if _, err := New("p", bad, t0); err == nil {
		t.Error("New accepted an invalid configuration")
	}
	tooLong := Config{Rule: mustRule(t, Affirmative, 1), Quorum: 1, TimeLimit: MaxTimeLimit + 1, MaxAttempts: 1}
	if tooLong.Validate() == nil {
		t.Error("a time limit above MaxTimeLimit was accepted")
	}
}
