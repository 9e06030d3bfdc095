package steps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/scenario"
	"github.com/pcflow/pcflow/sim"
)

// With silent virtual authenticators only the ballot hook can end a vote:
// vote casts through it and sees the outcome it chose.
func TestVoteCastsThroughTheSimulatorHook(t *testing.T) {
	for _, c := range []struct{ cast, expect string }{
		{"approve", ""},
		{"reject", "\n    expect: {command-status: rejected}"},
	} {
		t.Run(c.cast, func(t *testing.T) {
			tg := startSim(t, sim.Options{Vote: sim.VoteSilent})
			scn := parse(t, `
name: cast
vu-setup:
  - onboard: {}
  - register-authenticator-device: {}
  - register-voting-configuration: {name: vc1}
steps:
  - vote: {votingConfigurationId: vc1, cast: `+c.cast+`}`+c.expect+`
`)
			if err := runOnce(t, tg, scn, 1); err != nil {
				t.Fatalf("%v\n%s", err, diag(err))
			}
			if n, _ := tg.sink.count("step.vote.cast-ballot.total"); n != 1 {
				t.Errorf("%d ballots cast, want 1", n)
			}
		})
	}
}

// A scenario that casts ballots against a target without the /_sim/ hook
// is refused at Setup, before any load, with a message that says why.
func TestVoteCastingNeedsTheHook(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler()) // a deployment: no /_sim/
	t.Cleanup(srv.Close)
	vote := mk(t, "vote", map[string]any{"votingConfigurationId": "vc1", "cast": "approve"})
	scn := oneWorkload(nil, []*scenario.Step{vote}, nil)
	prog, err := Compile(scn, Options{APIURL: srv.URL, WSURL: "ws" + strings.TrimPrefix(srv.URL, "http")})
	if err != nil {
		t.Fatal(err)
	}
	err = prog.Setup(context.Background())
	if err == nil || !strings.Contains(err.Error(), "/_sim/") || !strings.Contains(err.Error(), "test.yaml:1:1") {
		t.Fatalf("Setup = %v; want the missing-hook error naming the step", err)
	}
	// Without cast the same target is fine at Setup: real authenticators vote.
	scn = oneWorkload(nil, []*scenario.Step{mk(t, "vote", map[string]any{"votingConfigurationId": "vc1"})}, nil)
	prog, _ = Compile(scn, Options{APIURL: srv.URL})
	if err := prog.Setup(context.Background()); err != nil {
		t.Fatalf("Setup without cast: %v", err)
	}
}

// Under the simulator's default approving authenticators a vote that
// opens its own pool and casts reject decides it (the pool is opened
// with sim-ballots=manual, so no virtual ballot comes first), while a
// vote casting into a pool it did not open (pool:) is refused at Setup
// with the flag that fixes it: there the authenticators were asked first
// and its ballots would be 409 voting.duplicate_ballot.
func TestVoteCastingUnderApprovingAuthenticators(t *testing.T) {
	tg := startSim(t, sim.Options{})
	scn := parse(t, `
name: cast-under-approve
vu-setup:
  - onboard: {}
  - register-authenticator-device: {}
  - register-voting-configuration: {name: cfg}
steps:
  - vote: {votingConfigurationId: cfg, cast: reject}
    expect: {command-status: rejected}
    check: ["pool_status == 'rejected'"]
`)
	if err := runOnce(t, tg, scn, 1); err != nil {
		t.Fatalf("run: %v\n%s", err, diag(err))
	}
	into := mk(t, "vote", map[string]any{"pool": "p1", "cast": "approve"})
	prog, err := Compile(oneWorkload(nil, []*scenario.Step{into}, nil), tg.opts)
	if err != nil {
		t.Fatal(err)
	}
	err = prog.Setup(ctxT(t))
	if err == nil || !strings.Contains(err.Error(), "vote: approve") || !strings.Contains(err.Error(), "--sim-vote silent") {
		t.Fatalf("Setup = %v; want the error naming --vote silent", err)
	}
}

// A failed step's diagnosis and the trace never show a secret parameter.
func TestSecretsStayRedacted(t *testing.T) {
	tg := startSim(t, sim.Options{})
	var trace strings.Builder
	tg.opts.Trace = &trace
	const pass = "Sup3r-secret-passw0rd"
	scn := oneWorkload(nil, []*scenario.Step{
		mk(t, "register-profile", map[string]any{"username": "redact-1", "password": pass}),
		mk(t, "authenticate", map[string]any{"username": "redact-1", "password": pass + "x"}),
	}, nil)
	err := runOnce(t, tg, scn, 1)
	d := diag(err)
	if err == nil || !strings.Contains(d, "password=[redacted]") {
		t.Fatalf("want a 401 whose diagnosis redacts the password, got %v\n%s", err, d)
	}
	if all := err.Error() + d + trace.String(); strings.Contains(all, pass) {
		t.Fatalf("a secret leaked:\n%s", all)
	}
}

// vote takes an existing pool (the command id of a gated or created
// command that nobody awaits), casts into it and polls it to its end.
func TestVoteTakesAPool(t *testing.T) {
	tg := startSim(t, sim.Options{Vote: sim.VoteSilent})
	scn := parse(t, `
name: take
vu-setup:
  - onboard: {}
  - register-authenticator-device: {}
  - register-voting-configuration: {name: vc1}
steps:
  - http:
      method: POST
      path: /voting/create
      json: {votingConfigurationId: vc1, question: "ok?", title: t, skipAuthenticatorDevices: []}
    capture: {pool: response.command_id}
  - vote: {pool: "${pool}", cast: reject}
    expect: {command-status: rejected, reason: voting.rejected}
`)
	if err := runOnce(t, tg, scn, 1); err != nil {
		t.Fatalf("%v\n%s", err, diag(err))
	}
	if n, _ := tg.sink.count("step.vote.check-pool-status.total"); n != 1 {
		t.Errorf("%d final pool checks, want 1", n)
	}
}

// The http kind's headers and forms can hold secrets under any name: a
// diagnosis lists their keys, never their values.
func TestHTTPDiagnosisHidesMapValues(t *testing.T) {
	tg := startSim(t, sim.Options{})
	st := mk(t, "http", map[string]any{"path": "/no/such", "auth": "none",
		"headers": map[string]any{"X-DPT-AUTHORIZATION": "tok-very-secret"}})
	err := runOnce(t, tg, oneWorkload(nil, []*scenario.Step{st}, nil), 1)
	if d := diag(err); err == nil || strings.Contains(d, "tok-very-secret") || !strings.Contains(d, "X-DPT-AUTHORIZATION") {
		t.Fatalf("diagnosis:\n%s", d)
	}
}

// A vote that outlasts the session's ack timeout is still awaited when
// the step's own timeout: is longer.
func TestVoteOutlastsTheAckTimeout(t *testing.T) {
	tg := startSim(t, sim.Options{VoteLatency: sim.Latency{Min: 400 * time.Millisecond, Max: 400 * time.Millisecond}})
	tg.opts.StepTimeout = 100 * time.Millisecond
	scn := parse(t, `
name: slow-vote
vu-setup:
  - onboard: {}
  - register-authenticator-device: {}
  - register-voting-configuration: {name: vc1}
steps:
  - vote: {votingConfigurationId: vc1}
    timeout: 5s
`)
	if err := runOnce(t, tg, scn, 1); err != nil {
		t.Fatalf("%v\n%s", err, diag(err))
	}
}

// Casting starts right after the 202 that opens the pool, which the
// simulator opens only when that command resolves (after its ack latency),
// and a reject from the first of two devices ends a unanimous pool before
// the second ballot: the vote retries the not-yet-open pool, stops casting
// into an ended one, and reports the pool's outcome.
func TestVoteCastsIntoAPoolStillOpeningAndStopsWhenItEnds(t *testing.T) {
	tg := startSim(t, sim.Options{Vote: sim.VoteSilent, AckLatency: sim.Latency{Min: 20 * time.Millisecond, Max: 20 * time.Millisecond}})
	scn := parse(t, `
name: cast
vu-setup:
  - onboard: {}
  - register-authenticator-device: {deviceName: a}
  - register-authenticator-device: {deviceName: b}
  - set-quorum-size: {quorumSize: 2}
  - register-voting-configuration: {name: vc1, strategy: unanimous}
steps:
  - vote: {votingConfigurationId: vc1, cast: reject}
    expect: {command-status: rejected}
`)
	if err := runOnce(t, tg, scn, 1); err != nil {
		t.Fatalf("%v\n%s", err, diag(err))
	}
	if n, failed := tg.sink.count("step.vote.cast-ballot.total"); n != 1 || failed != 0 {
		t.Errorf("%d ballots cast (%d failed); want the one that ended the pool, no failure", n, failed)
	}
}
