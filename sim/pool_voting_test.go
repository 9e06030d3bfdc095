package sim_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// approvalConfig is a unanimous configuration over every authenticator.
func approvalConfig(name string, timeLimit int) map[string]any {
	return map[string]any{"name": name, "strategy": "unanimous", "timeLimit": timeLimit, "deviceIdentifiers": []string{}}
}

func TestGatedExchangePassesWhenAuthenticatorsApprove(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Vote: sim.VoteApprove, VoteLatency: sim.Latency{Min: time.Millisecond, Max: 20 * time.Millisecond}})
	o := newOwner(t, srv, "alice")
	o.authenticators(2)
	o.votingConfig(approvalConfig("two-phones", 60))

	tmp, r := o.exchange() // no active policy yet: not gated
	id := o.ok(r)
	if r := o.get("/voting/check-pool-status/" + id); r.status != http.StatusNotFound {
		t.Fatalf("an ungated exchange opened a pool: %d %s", r.status, r.body)
	}
	configure(t, o.a, o.token, tmp, 12)

	o.gateExchange("gate-exchange", "two-phones")
	tmp, r = o.exchange()
	pool := o.ok(r)
	o.ws.quiet(50 * time.Millisecond) // exactly one terminal ack
	v := o.pool(pool)
	if v.Status != "succeeded" || v.Ballots.Yes != 2 || v.Ballots.Total != 2 || v.Strategy != "unanimous" {
		t.Fatalf("pool after approval: %+v", v)
	}
	configure(t, o.a, o.token, tmp, 12) // the gated exchange did store the bytes
}

func TestGatedExchangeRejectedByAuthenticators(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Vote: sim.VoteReject})
	o := newOwner(t, srv, "bob")
	o.authenticators(3)
	o.votingConfig(approvalConfig("all", 60))
	o.gateExchange("gate", "all")
	tmp, r := o.exchange()
	pool := o.refused(r, "voting.rejected")
	o.ws.quiet(50 * time.Millisecond)
	if v := o.pool(pool); v.Status != "rejected" || v.Reason != "voting.rejected" || v.Ballots.No < 1 {
		t.Fatalf("pool after rejection: %+v", v)
	}
	r = o.post("/data-token/configure-file-meta", url.Values{"token": {tmp}, "fileName": {"f"}, "extension": {"txt"},
		"context": {"c"}, "size": {"1"}, "path": {"/"}})
	wantKey(t, r, http.StatusUnprocessableEntity, "data_token.not_filled") // the rejected exchange stored nothing
}

func TestGatedExchangeTimesOutAndRetriesUntilTheAttemptLimit(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := start(t, sim.Options{Vote: sim.VoteSilent, Clock: clock})
	o := newOwner(t, srv, "carol")
	o.authenticators(1)
	o.ok(o.post("/verified-authenticator/set-maximum-voting-attempts", url.Values{"numberOfAttempts": {"2"}}))
	o.votingConfig(approvalConfig("quick", 1))
	o.gateExchange("gate", "quick")

	_, r := o.exchange()
	pool := commandID(t, r)
	if v := o.awaitPool(pool); v.Status != "pending" || v.Attempt != 1 || v.MaxAttempts != 2 {
		t.Fatalf("fresh pool: %+v", v)
	}
	clock.Advance(time.Second - time.Nanosecond)
	if v := o.pool(pool); v.Status != "pending" || v.Attempt != 1 {
		t.Fatalf("before the first time limit: %+v", v)
	}
	clock.Advance(time.Nanosecond)
	if v := o.pool(pool); v.Status != "pending" || v.Attempt != 2 {
		t.Fatalf("at the first time limit: %+v; want the second attempt", v)
	}
	clock.Advance(time.Second)
	if status, body := o.ws.ack(pool); status != 3 || body != "voting.expired" {
		t.Fatalf("ack %d %v; want 3 voting.expired", status, body)
	}
	if v := o.pool(pool); v.Status != "expired" || v.Attempt != 2 || v.Ballots.Pending != 1 {
		t.Fatalf("pool after the last attempt: %+v", v)
	}
}

func TestASecondAttemptCanPass(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := start(t, sim.Options{Vote: sim.VoteSilent, Clock: clock})
	o := newOwner(t, srv, "dave")
	phones := o.authenticators(1)
	o.ok(o.post("/verified-authenticator/set-maximum-voting-attempts", url.Values{"numberOfAttempts": {"3"}}))
	o.votingConfig(approvalConfig("quick", 1))
	o.gateExchange("gate", "quick")
	tmp, r := o.exchange()
	pool := commandID(t, r)
	o.awaitPool(pool)
	clock.Advance(time.Second) // the first attempt's time limit
	if v := o.pool(pool); v.Attempt != 2 {
		t.Fatalf("after the first time limit: %+v", v)
	}
	want(t, o.ballot(pool, phones[0], "approve"), http.StatusOK)
	if status, body := o.ws.ack(pool); status != 2 {
		t.Fatalf("ack %d %v; want 2 after the second attempt passed", status, body)
	}
	if v := o.pool(pool); v.Status != "succeeded" || v.Attempt != 2 {
		t.Fatalf("pool: %+v", v)
	}
	configure(t, o.a, o.token, tmp, 12)
}

func TestGateWithoutAuthenticatorsFailsAtOnce(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	o := newOwner(t, srv, "erin")
	o.votingConfig(approvalConfig("nobody", 60))
	o.gateExchange("gate", "nobody")
	_, r := o.exchange()
	pool := o.refused(r, "voting.no_authenticators")
	if v := o.pool(pool); v.Status != "rejected" || v.Ballots.Total != 0 {
		t.Fatalf("pool: %+v", v)
	}
}

// TestStrategiesDecideManualPools runs each strategy's arithmetic through
// /voting/create and the ballot hook, with silent virtual authenticators.
func TestStrategiesDecideManualPools(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Vote: sim.VoteSilent})
	o := newOwner(t, srv, "frank")
	phones := o.authenticators(4)
	tests := []struct {
		why      string
		strategy string
		percent  int
		targets  int // the first n phones
		votes    []string
		want     string
	}{
		{"unanimous passes when all four approve", "unanimous", 0, 4, []string{"approve", "approve", "approve", "approve"}, "succeeded"},
		{"unanimous fails on the first reject", "unanimous", 0, 4, []string{"approve", "reject"}, "rejected"},
		{"consensus 2 of 4 is a tie and fails", "consensus", 0, 4, []string{"approve", "approve", "reject", "reject"}, "rejected"},
		{"consensus 3 of 4 passes before the fourth votes", "consensus", 0, 4, []string{"approve", "approve", "approve"}, "succeeded"},
		{"affirmative passes on one approve after a reject", "affirmative", 0, 4, []string{"reject", "approve"}, "succeeded"},
		{"affirmative fails when all reject", "affirmative", 0, 4, []string{"reject", "reject", "reject", "reject"}, "rejected"},
		{"minimum 67 % fails at 2 of 3 (66.67 %)", "minimum_percentage", 67, 3, []string{"approve", "approve", "reject"}, "rejected"},
		{"minimum 75 % passes at 3 of 4", "minimum_percentage", 75, 4, []string{"approve", "reject", "approve", "approve"}, "succeeded"},
	}
	for i, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			o.t = t
			cfg := map[string]any{"name": "cfg-" + string(rune('a'+i)), "strategy": tt.strategy, "timeLimit": 60,
				"deviceIdentifiers": phones[:tt.targets]}
			if tt.percent > 0 {
				cfg["percentageRequired"] = tt.percent
			}
			o.votingConfig(cfg)
			r := o.postJSON("/voting/create", map[string]any{"votingConfigurationId": cfg["name"],
				"title": "Strategy check", "question": tt.why})
			pool := commandID(t, r)
			o.awaitPool(pool)
			for j, choice := range tt.votes {
				want(t, o.ballot(pool, phones[j], choice), http.StatusOK)
			}
			status, body := o.ws.ack(pool)
			if v := o.pool(pool); v.Status != tt.want || (status == 2) != (tt.want == "succeeded") {
				t.Fatalf("pool %+v, ack %d %v; want %s", v, status, body, tt.want)
			}
		})
	}
}

func TestManualPool(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Vote: sim.VoteSilent})
	o := newOwner(t, srv, "grace")
	phones := o.authenticators(3)
	o.votingConfig(map[string]any{"name": "admin-approval", "strategy": "minimum_percentage",
		"percentageRequired": 50, "timeLimit": 60, "deviceIdentifiers": []string{}})

	r := o.postJSON("/voting/create", map[string]any{"votingConfigurationId": "admin-approval",
		"question": "Approve adding John Smith to the Finance team?", "title": "Team Member Addition",
		"skipAuthenticatorDevices": []string{phones[2]}, "nonce": "hr-request-12345"})
	pool := commandID(t, r)
	v := o.awaitPool(pool)
	if v.Status != "pending" || v.Ballots.Total != 2 || v.Title != "Team Member Addition" || v.Nonce != "hr-request-12345" ||
		v.Strategy != "minimum_percentage" || v.StrategyParams != "50" || v.Attempt != 1 {
		t.Fatalf("new pool: %+v", v)
	}
	want(t, o.ballot(pool, phones[2], "approve"), http.StatusForbidden) // skipped: not a target
	want(t, o.ballot(pool, phones[0], "approve"), http.StatusOK)        // 1 of 2 = 50 % is certain
	if status, _ := o.ws.ack(pool); status != 2 {
		t.Fatalf("manual pool acked %d; want 2", status)
	}

	o.refused(o.postJSON("/voting/create", map[string]any{"votingConfigurationId": "nope", "title": "t", "question": "q"}),
		"voting_configuration.not_found")
	r = o.postJSON("/voting/create", map[string]any{"votingConfigurationId": "admin-approval"})
	wantKey(t, r, http.StatusUnprocessableEntity, "validation.required")

	other := newOwner(t, srv, "mallory")
	wantKey(t, other.get("/voting/check-pool-status/"+pool), http.StatusNotFound, "voting.pool_not_found")
	wantKey(t, o.get("/voting/check-pool-status/00000000-0000-0000-0000-000000000000"), http.StatusNotFound, "voting.pool_not_found")
}

func TestBallotHook(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Vote: sim.VoteSilent})
	o := newOwner(t, srv, "heidi")
	phones := o.authenticators(2)
	outsider := o.device("laptop")
	o.votingConfig(map[string]any{"name": "both", "strategy": "unanimous", "timeLimit": 60, "deviceIdentifiers": phones})
	pool := commandID(t, o.postJSON("/voting/create", map[string]any{"votingConfigurationId": "both", "title": "t", "question": "q"}))
	o.awaitPool(pool)

	tests := []struct {
		why    string
		token  string
		body   map[string]string
		status int
		key    string // "" for a ballot that counts
	}{
		{"a device that is not a targeted authenticator is refused", o.token, map[string]string{"deviceIdentifier": outsider, "vote": "approve"}, http.StatusForbidden, "voting.not_a_target"},
		{"an unknown device is refused", o.token, map[string]string{"deviceIdentifier": "ghost", "vote": "approve"}, http.StatusForbidden, "voting.not_a_target"},
		{"a vote other than approve or reject is a 422", o.token, map[string]string{"deviceIdentifier": phones[0], "vote": "maybe"}, http.StatusUnprocessableEntity, "voting.unknown_vote"},
		{"a missing device is a 422", o.token, map[string]string{"vote": "approve"}, http.StatusUnprocessableEntity, "validation.required"},
		{"without a token the hook is refused: anyone could end the pool", "", map[string]string{"deviceIdentifier": phones[0], "vote": "approve"}, http.StatusUnauthorized, "invalid token"},
		{"a target's approve counts", o.token, map[string]string{"deviceIdentifier": phones[0], "vote": "approve"}, http.StatusOK, ""},
		{"a second ballot in the same attempt is refused", o.token, map[string]string{"deviceIdentifier": phones[0], "vote": "reject"}, http.StatusConflict, "voting.duplicate_ballot"},
		{"the last approve ends the pool", o.token, map[string]string{"deviceIdentifier": phones[1], "vote": "approve"}, http.StatusOK, ""},
		{"a ballot after the end is refused", o.token, map[string]string{"deviceIdentifier": phones[1], "vote": "reject"}, http.StatusConflict, "voting.pool_ended"},
	}
	for _, tt := range tests {
		r := o.a.postJSON("/_sim/pools/"+pool+"/ballots", tt.token, tt.body)
		if tt.key == "" {
			want(t, r, tt.status)
		} else {
			wantKey(t, r, tt.status, tt.key)
		}
	}
	if v := o.pool(pool); v.Status != "succeeded" || v.Ballots.Yes != 2 {
		t.Fatalf("pool: %+v", v)
	}
	other := newOwner(t, srv, "ivan")
	want(t, other.ballot(pool, phones[0], "approve"), http.StatusNotFound) // another profile's pool
	want(t, o.ballot("unknown-pool", phones[0], "approve"), http.StatusNotFound)
}

func TestCancelPool(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Vote: sim.VoteSilent})
	o := newOwner(t, srv, "judy")
	o.authenticators(1)
	o.votingConfig(approvalConfig("one", 60))
	pool := commandID(t, o.postJSON("/voting/create", map[string]any{"votingConfigurationId": "one", "title": "t", "question": "q"}))
	o.awaitPool(pool)
	cancel := commandID(t, o.post("/voting/cancel-pool", url.Values{"poolId": {pool}}))
	if status, body := o.ws.ack(pool); status != 3 || body != "voting.cancelled" { // the pool's ack comes first
		t.Fatalf("cancelled pool acked %d %v", status, body)
	}
	if status, body := o.ws.ack(cancel); status != 2 {
		t.Fatalf("cancel-pool acked %d %v", status, body)
	}
	o.refused(o.post("/voting/cancel-pool", url.Values{"poolId": {pool}}), "voting.pool_ended")
}

// TestManualPoolGetsNoVirtualBallots: under approving authenticators a
// pool opened with ?sim-ballots=manual waits for the hook's ballots (one
// reject ends it rejected), while a pool opened plainly is approved by
// the virtual authenticators before any hook ballot (409 pool_ended).
func TestManualPoolGetsNoVirtualBallots(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Vote: sim.VoteApprove})
	o := newOwner(t, srv, "ivan")
	devs := o.authenticators(2)
	o.votingConfig(map[string]any{"name": "both", "strategy": "unanimous", "timeLimit": 60, "deviceIdentifiers": devs})
	body := map[string]any{"votingConfigurationId": "both", "title": "t", "question": "q"}
	manual := commandID(t, o.postJSON("/voting/create?sim-ballots=manual", body))
	if v := o.awaitPool(manual); v.Status != "pending" || v.Ballots.Yes+v.Ballots.No != 0 || v.Ballots.Pending != 2 {
		t.Fatalf("manual pool before any hook ballot: %+v, want pending with no ballot", v)
	}
	want(t, o.ballot(manual, devs[0], "reject"), http.StatusOK)
	if status, reason := o.ws.ack(manual); status != 3 || reason != "voting.rejected" {
		t.Fatalf("manual pool after one reject: ack %d %v", status, reason)
	}
	plain := commandID(t, o.postJSON("/voting/create", body))
	if status, _ := o.ws.ack(plain); status != 2 {
		t.Fatalf("plain pool under approving authenticators: ack %d", status)
	}
	wantKey(t, o.ballot(plain, devs[0], "reject"), http.StatusConflict, "voting.pool_ended")
}

func TestDescribeTarget(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Vote: sim.VoteReject, VoteLatency: sim.Latency{Min: time.Millisecond, Max: 5 * time.Millisecond}})
	a := newAPI(t, srv)
	r := a.get("/_sim/", "")
	want(t, r, http.StatusOK)
	var v struct {
		Target, Vote string
		Hooks        []struct{ Method, Path string }
		GatedEvents  []string
	}
	r.json(t, &v)
	if v.Target != "pcflow-sim" || v.Vote != "reject" || len(v.Hooks) != 2 || v.Hooks[0].Path != "/_sim/pools/{poolId}/ballots" ||
		len(v.GatedEvents) != 2 {
		t.Fatalf("describe: %s", r.body)
	}
	want(t, a.get("/_sim/nothing-here", ""), http.StatusNotFound)
}

func TestVotingOptionsAreValidated(t *testing.T) {
	t.Parallel()
	for _, o := range []sim.Options{{Vote: "maybe"}, {VoteLatency: sim.Latency{Min: 2, Max: 1}}, {PolicyVisibilityDelay: -1}} {
		if srv, err := sim.Start(o); err == nil {
			srv.Close()
			t.Errorf("Start(%+v) accepted a bad voting knob", o)
		}
	}
}

// TestRejectionRetriesUntilTheAttemptLimit follows [W] §1.10: a rejected
// attempt, like an expired one, is followed by a new attempt until
// numberOfAttempts; the pool then ends rejected in its last attempt.
func TestRejectionRetriesUntilTheAttemptLimit(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Vote: sim.VoteReject})
	o := newOwner(t, srv, "kim")
	o.authenticators(2)
	o.ok(o.post("/verified-authenticator/set-maximum-voting-attempts", url.Values{"numberOfAttempts": {"3"}}))
	o.votingConfig(approvalConfig("all", 60))
	o.gateExchange("gate", "all")
	_, r := o.exchange()
	pool := o.refused(r, "voting.rejected")
	if v := o.pool(pool); v.Status != "rejected" || v.Attempt != 3 || v.MaxAttempts != 3 {
		t.Fatalf("pool after three rejected attempts: %+v", v)
	}
}

// TestGatedRequestData: a policy from the reference's data-access template
// (event 17) puts request-data to a vote; a rejection answers the request
// itself (X-DPT-CAB-REQUEST-ID status 3), an approval delivers the data.
func TestGatedRequestData(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Vote: sim.VoteSilent})
	o := newOwner(t, srv, "lena")
	phones := o.authenticators(1)
	blob := sealed(t, make([]byte, 32), []byte("gated read"))
	dtk := store(t, o.a, o.ws, o.token, blob)
	o.votingConfig(approvalConfig("one", 60))
	o.ok(o.postJSON("/policy/register", map[string]any{"name": "gate-reads", "policyTemplateId": "tpl-data-access",
		"applyingEventIds": []string{"17"}, "votingConfigurationId": "one"}))
	var pl struct{ ID string }
	o.get("/policy/retrieve-policy/gate-reads").json(t, &pl)
	o.ok(o.post("/policy/activate", url.Values{"policyId": {pl.ID}}))

	for _, tt := range []struct {
		choice string
		status float64
	}{{"reject", 3}, {"approve", 2}} {
		r := o.post("/data-token/request-data", url.Values{"token": {dtk}})
		want(t, r, http.StatusAccepted)
		pool, requestID := r.header.Get("x-dpt-cab-id"), r.header.Get("x-dpt-cab-request-id")
		o.awaitPool(pool)
		want(t, o.ballot(pool, phones[0], tt.choice), http.StatusOK)
		d := o.ws.event("X-DPT-CAB-REQUEST-ID", requestID)
		if d["command_status"] != tt.status {
			t.Fatalf("%s: request answered %v", tt.choice, d)
		}
		if tt.status == 3 && d["body"] != "voting.rejected" {
			t.Fatalf("rejected request body %v", d["body"])
		}
		if tt.status == 2 && d["body"] != base64.StdEncoding.EncodeToString(blob) {
			t.Fatalf("approved request delivered %v", d["body"])
		}
	}
}
