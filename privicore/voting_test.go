package privicore_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

// gate makes s's profile vote on template's event: one approved
// authenticator device, a voting configuration, an active policy.
func gate(t *testing.T, s *privicore.Session, template, event string) {
	t.Helper()
	ctx := ctxT(t)
	ack, err := s.RequestUniqueIdentifier(ctx, "authenticator")
	skipUnserved(t, "request-unique-identifier", err)
	dev, err := s.RetrieveUniqueIdentifier(ctx, ack.CommandID)
	skipUnserved(t, "retrieve-unique-identifier", err)
	_, err = s.ApproveDevice(ctx, dev.DeviceIdentifier)
	skipUnserved(t, "approve-device", err)
	_, err = s.RegisterAuthenticator(ctx, dev.DeviceIdentifier)
	skipUnserved(t, "verified-authenticator/register", err)
	_, err = s.RegisterVotingConfiguration(ctx, privicore.VotingConfiguration{Name: "vc", Strategy: "unanimous", TimeLimit: 5})
	skipUnserved(t, "voting-configuration/register", err)
	_, err = s.RegisterPolicy(ctx, privicore.PolicyParams{Name: "gate", PolicyTemplateID: template,
		ApplyingEventIDs: []string{event}, VotingConfigurationID: "vc"})
	skipUnserved(t, "policy/register", err)
	_, err = s.ActivatePolicy(ctx, retrievePolicy(t, s, "gate").ID)
	skipUnserved(t, "policy/activate", err)
}

func TestVotingGatedExchangeWaitsForThePoll(t *testing.T) {
	for _, vote := range []string{"approve", "reject"} {
		e := start(t, sim.Options{Vote: vote, VoteLatency: sim.Latency{Min: 60 * time.Millisecond, Max: 60 * time.Millisecond}})
		s := e.session(t, privicore.SessionOptions{})
		gate(t, s, "tpl-data-exchange", "11")
		key, _ := privicore.NewAESKey()
		st, err := s.Store(ctxT(t), privicore.StoreParams{Key: key, Plaintext: []byte("gated"), Context: "c"})
		var re *privicore.CommandRejectedError
		switch {
		case vote == "approve" && err != nil:
			t.Fatalf("approved exchange: %v", err)
		case vote == "approve" && st.Exchange.Ack() < 50*time.Millisecond:
			t.Fatalf("approved exchange acked after %v, before the 60 ms vote", st.Exchange.Ack())
		case vote == "reject" && !errors.As(err, &re):
			t.Fatalf("rejected exchange: %v, want *CommandRejectedError", err)
		}
	}
}

func TestVotingGatedRequestDataRejectionReachesTheCaller(t *testing.T) {
	e := start(t, sim.Options{Vote: "reject"})
	s := e.session(t, privicore.SessionOptions{})
	key, _ := privicore.NewAESKey()
	st, err := s.Store(ctxT(t), privicore.StoreParams{Key: key, Plaintext: []byte("x"), Context: "c"})
	if err != nil {
		t.Fatal(err)
	}
	gate(t, s, "tpl-data-access", "17")
	_, err = s.Retrieve(ctxT(t), st.DataToken, key)
	var re *privicore.CommandRejectedError
	if !errors.As(err, &re) {
		t.Fatalf("gated request-data: %v, want *CommandRejectedError", err)
	}
	t.Logf("reason: %s", re.Reason)
}

func TestCreateVotingAwaitsTheOutcomeOfThePoll(t *testing.T) {
	for _, vote := range []string{"approve", "reject"} {
		e := start(t, sim.Options{Vote: vote})
		s := e.session(t, privicore.SessionOptions{})
		gate(t, s, "tpl-data-access", "17")
		ack, err := s.CreateVoting(ctxT(t), privicore.VotingParams{VotingConfigurationID: "vc", Question: "Add John?", Title: "HR", Nonce: "hr-1"})
		var re *privicore.CommandRejectedError
		if (vote == "approve" && err != nil) || (vote == "reject" && !errors.As(err, &re)) {
			t.Fatalf("vote %s: %v", vote, err)
		}
		pool, err := s.CheckPoolStatus(ctxT(t), ack.CommandID)
		if vote == "reject" {
			pool, err = s.CheckPoolStatus(ctxT(t), re.CommandID)
		}
		if err != nil || pool.Status == "pending" || pool.Status == "" {
			t.Fatalf("vote %s: pool after the ack: %+v %v", vote, pool, err)
		}
		t.Logf("vote %s: pool %s, ballots %+v", vote, pool.Status, pool.Ballots)
	}
}
