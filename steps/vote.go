package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// voteKind takes the pool of a gated command (pool:) or opens one
// (create-voting), casts ballots through the simulator's /_sim/ ballot
// hook when cast: asks for it (otherwise real authenticators must
// answer), and waits for the outcome. A pool that does not succeed is a
// *privicore.CommandRejectedError with reason voting.STATUS, so
// `expect: {command-status: rejected}` reads as for any command.
func voteKind() *Kind {
	return &Kind{
		KindSpec: scenario.KindSpec{
			Name: "vote", Summary: "Take or open a voting pool, cast ballots via the simulator's hook if asked, await the outcome.",
			Params: []scenario.ParamSpec{
				opt("pool", scenario.TypeString, "", "the pool id of a gated command (its command id); default: open a pool"),
				opt("votingConfigurationId", scenario.TypeString, "", "the configuration of an opened pool (required without pool)"),
				opt("question", scenario.TypeString, "Approve?", "an opened pool's question"),
				opt("title", scenario.TypeString, "pcflow vote", "an opened pool's title"),
				enum("cast", "none", "ballots to cast through /_sim/ (simulator only; into a gated command's pool with --vote silent); none waits for real authenticators",
					"none", "approve", "reject"),
				list("devices", scenario.TypeString, "the authenticators that cast; default: every authenticator of the profile"),
			},
			Captures: captures("pool_id", "the pool's id", "pool_status", "its final status"),
			Metrics:  totalPhase,
			Inner:    []string{"create-voting", "list-authenticators", "cast-ballot", "check-pool-status"},
			Example:  "- vote: {votingConfigurationId: \"${voting_configuration}\", cast: approve}",
		},
		Session: true,
		run:     runVote,
	}
}

func runVote(ctx context.Context, c *call) error {
	pool := c.str("pool")
	var pending *privicore.Pending
	if pool == "" {
		if c.str("votingConfigurationId") == "" {
			return failure(metrics.ErrExpression, "vote: give pool or votingConfigurationId")
		}
		p, err := c.submitCreateVoting(ctx, c.str("cast") != "none")
		if err != nil {
			return c.innerOp("create-voting", privicore.Timing{}, err)
		}
		pending, pool = p, p.CommandID()
	}
	c.commandID = pool
	c.set("pool_id", pool)
	if choice := c.str("cast"); choice != "none" {
		if err := c.castBallots(ctx, pool, choice); err != nil {
			return err
		}
	}
	if pending != nil {
		a, err := pending.Wait(ctx)
		if c.st.src.Timeout > c.vu.p.ackTimeout() && errors.Is(err, privicore.ErrAckTimeout) && ctx.Err() == nil {
			// A vote may outlast the session's ack timeout; a step with a
			// longer timeout: keeps watching the pool until its own end.
			c.innerAck("create-voting", a, nil)
			return c.awaitPool(ctx, pool)
		}
		c.set("pool_status", poolWord(err))
		return c.innerAck("create-voting", a, err)
	}
	return c.awaitPool(ctx, pool)
}

// submitCreateVoting opens the step's pool. A pool the step casts into
// is opened with the simulator's sim-ballots=manual, so that its virtual
// authenticators stay out of it whatever --vote says: the step's ballots
// decide it, and none is refused as a duplicate (Setup made sure the
// target is the simulator).
func (c *call) submitCreateVoting(ctx context.Context, manual bool) (*privicore.Pending, error) {
	r, err := privicore.CreateVotingRequest(privicore.VotingParams{VotingConfigurationID: c.str("votingConfigurationId"),
		Question: c.str("question"), Title: c.str("title")})
	if err != nil {
		return nil, err
	}
	if manual {
		r.Query = url.Values{"sim-ballots": {"manual"}}
	}
	return c.sess.Submit(ctx, r)
}

// castBallots casts choice for every device through the simulator's hook.
func (c *call) castBallots(ctx context.Context, pool, choice string) error {
	devices := c.strs("devices")
	if len(devices) == 0 {
		l, err := c.sess.ListAuthenticators(ctx)
		if err = c.innerOp("list-authenticators", l.Timing, err); err != nil {
			return err
		}
		for _, d := range l.Devices {
			devices = append(devices, d.DeviceIdentifier)
		}
	}
	deadline := time.Now().Add(max(c.st.src.Timeout, c.vu.p.ackTimeout()))
	for _, d := range devices {
		form := url.Values{"deviceIdentifier": {d}, "vote": {choice}}
		r := privicore.Request{Op: "cast-ballot", Method: "POST", Path: "/_sim/pools/" + url.PathEscape(pool) + "/ballots", Form: form}
		t := privicore.Timing{Start: time.Now()}
		err := c.castOne(ctx, r, deadline)
		t.Written, t.Read = t.Start, time.Now()
		if poolEnded(err) {
			// The pool ended on the ballots before this one (one no ends a
			// unanimous pool): the rest cannot change it, and its outcome
			// is what the step awaits next.
			return nil
		}
		if err = c.innerOp("cast-ballot", t, err); err != nil {
			return err
		}
	}
	return nil
}

// poolEnded reports whether the hook refused a ballot because its pool had
// already ended (409 voting.pool_ended), rather than for another reason.
func poolEnded(err error) bool {
	var ae *privicore.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusConflict && strings.Contains(ae.Body, "pool_ended")
}

// castOne casts one ballot. A 404 right after the 202 that opens the pool
// means the pool does not exist yet — the simulator opens it when the
// command resolves, after its ack latency — so the ballot is sent again
// until it lands or the deadline passes.
func (c *call) castOne(ctx context.Context, r privicore.Request, deadline time.Time) error {
	for {
		err := c.hookCall(ctx, r)
		if privicore.StatusOf(err) != http.StatusNotFound || time.Now().After(deadline) {
			return err
		}
		if err := pause(ctx, 5*time.Millisecond); err != nil {
			return err
		}
	}
}

// hookCall sends one request to a /_sim/ hook with the session's token.
func (c *call) hookCall(ctx context.Context, r privicore.Request) error {
	req, err := http.NewRequestWithContext(ctx, r.Method, strings.TrimRight(c.vu.p.apiURL, "/")+r.Path,
		strings.NewReader(r.Form.Encode()))
	if err != nil {
		return failure(metrics.ErrExpression, "cast-ballot: "+err.Error())
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-DPT-AUTHORIZATION", c.sess.Token().Reveal())
	res, err := c.vu.p.http.Do(req)
	if err != nil {
		return transportFailure(ctx, err)
	}
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	res.Body.Close()
	if res.StatusCode/100 != 2 {
		return &privicore.APIError{Op: r.Op, Status: res.StatusCode, Body: truncate(string(body), 512)}
	}
	return nil
}

// awaitPool polls a pool until it ends, bounded by the step's timeout:,
// else by the ack timeout.
func (c *call) awaitPool(ctx context.Context, pool string) error {
	deadline := time.Now().Add(max(c.st.src.Timeout, c.vu.p.ackTimeout()))
	for {
		st, err := c.sess.CheckPoolStatus(ctx, pool)
		if err != nil {
			return c.innerOp("check-pool-status", st.Timing, err)
		}
		if st.Status != "pending" && st.Status != "" {
			c.set("pool_status", st.Status)
			c.innerOp("check-pool-status", st.Timing, nil)
			if st.Status == "succeeded" {
				return nil
			}
			return &privicore.CommandRejectedError{Op: "vote", CommandID: pool, Reason: "voting." + st.Status}
		}
		if time.Now().After(deadline) {
			return &privicore.AckTimeoutError{Op: "vote", CommandID: pool}
		}
		if err := pause(ctx, 10*time.Millisecond); err != nil {
			return err
		}
	}
}

// poolWord is an opened pool's final status as its command reports it.
func poolWord(err error) string {
	if err == nil {
		return "succeeded"
	}
	return "rejected"
}

// probeBallotHook fails when the target has no /_sim/ hook: a scenario
// that casts ballots can only run against pcflow's simulator, and should
// say so before any load is sent rather than fail every vote. It also
// fails when a step casts into a pool it did not open (pool:, a gated
// command's) while the simulator's virtual authenticators vote by
// themselves (its vote behaviour is not silent): they were asked when the
// pool opened, their ballots come first, and the step's would be refused
// as 409 voting.duplicate_ballot. A pool the step opens itself keeps them
// out (submitCreateVoting).
func (p *program) probeBallotHook(ctx context.Context) error {
	if len(p.casting) == 0 {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimRight(p.apiURL, "/")+"/_sim/", nil)
	if err == nil {
		var res *http.Response
		if res, err = p.http.Do(req); err == nil {
			var target struct{ Vote string }
			derr := json.NewDecoder(io.LimitReader(res.Body, 64<<10)).Decode(&target)
			res.Body.Close()
			switch {
			case res.StatusCode != 200:
				err = fmt.Errorf("GET /_sim/ answered %d", res.StatusCode)
			case derr != nil:
				err = fmt.Errorf("GET /_sim/ answered %v", derr)
			case target.Vote != "" && target.Vote != "silent" && len(p.castingInto) > 0:
				return fmt.Errorf("steps: %s: vote casts ballots into a pool it did not open (pool:), but the simulator's "+
					"virtual authenticators vote by themselves (vote: %s) and were asked first, so its ballots would be "+
					"duplicates (409 voting.duplicate_ballot); start it with --vote silent (pcflow sim), or pass "+
					"--sim-vote silent to pcflow run/test for the built-in one", p.castingInto[0], target.Vote)
			default:
				return nil
			}
		}
	}
	return fmt.Errorf("steps: %s: vote casts ballots through the simulator's /_sim/ hook, but the target %s has none (%v); "+
		"use cast: none against a real deployment, where authenticators answer", p.casting[0], p.apiURL, err)
}
