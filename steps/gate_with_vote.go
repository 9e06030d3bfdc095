package steps

import (
	"context"
	"strconv"
	"time"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// gateWithVoteKind puts an operation behind a vote of the profile's
// authenticators: register a voting configuration → pick the policy
// template → register the policy → find its id (retrieve-policy is
// eventually consistent, so it is retried until visible) → activate it.
func gateWithVoteKind() *Kind {
	return &Kind{
		KindSpec: scenario.KindSpec{
			Name: "gate-with-vote", Summary: "Gate an event behind a vote: voting configuration → policy from a template → activate.",
			Params: []scenario.ParamSpec{
				opt("name", scenario.TypeString, "", "names the voting configuration and the policy; default: gate-VU-N"),
				opt("policyTemplateId", scenario.TypeString, "", "default: the first template of list-policy-templates"),
				list("applyingEventIds", scenario.TypeString, "the gated events; default: every event of the template"),
				enum("strategy", "unanimous", "how ballots decide", "unanimous", "consensus", "affirmative", "minimum_percentage"),
				opt("timeLimit", scenario.TypeInt, "60", "seconds a vote attempt lasts"),
				list("deviceIdentifiers", scenario.TypeString, "the authenticators asked; empty means all"),
				{Name: "configuration", Type: scenario.TypeMap, Doc: "template parameters"},
			},
			Captures: captures("policy_id", "the active policy's id", "voting_configuration", "the configuration's name"),
			Metrics:  totalPhase,
			Inner: []string{"register-voting-configuration", "list-policy-templates", "register-policy",
				"retrieve-policy", "activate-policy"},
			Example: "- gate-with-vote: {policyTemplateId: tpl-data-access}",
		},
		Session: true,
		run:     runGateWithVote,
	}
}

func runGateWithVote(ctx context.Context, c *call) error {
	s := c.sess
	name := c.str("name")
	if name == "" {
		name = "gate-" + strconv.Itoa(c.vu.id) + "-" + strconv.FormatUint(c.vu.rng.Uint64()%1e9, 10)
	}
	vc := privicore.VotingConfiguration{Name: name, Strategy: c.str("strategy"), TimeLimit: c.int("timeLimit"),
		DeviceIdentifiers: c.strs("deviceIdentifiers")}
	a, err := s.RegisterVotingConfiguration(ctx, vc)
	if err = c.innerAck("register-voting-configuration", a, err); err != nil {
		return err
	}
	tpl, events := c.str("policyTemplateId"), c.strs("applyingEventIds")
	if tpl == "" || len(events) == 0 {
		ts, err := s.ListPolicyTemplates(ctx)
		if err = c.innerOp("list-policy-templates", ts.Timing, err); err != nil {
			return err
		}
		if tpl == "" && len(ts.IDs()) > 0 {
			tpl = ts.IDs()[0]
		}
		if len(events) == 0 {
			events = ts.Templates[tpl].EventIDs()
		}
	}
	a, err = s.RegisterPolicy(ctx, privicore.PolicyParams{Name: name, PolicyTemplateID: tpl,
		ApplyingEventIDs: events, VotingConfigurationID: name, Configuration: c.fields("configuration")})
	if err = c.innerAck("register-policy", a, err); err != nil {
		return err
	}
	pol, err := c.retrievePolicy(ctx, name)
	if err = c.innerOp("retrieve-policy", pol.Timing, err); err != nil {
		return err
	}
	a, err = s.ActivatePolicy(ctx, pol.ID)
	if err = c.innerAck("activate-policy", a, err); err != nil {
		return err
	}
	c.set("policy_id", pol.ID)
	c.set("voting_configuration", name)
	return nil
}

// retrievePolicy asks for a just-registered policy until it is visible
// (a 404 right after the register ack is the live wire's eventual
// consistency), bounded by the ack timeout.
func (c *call) retrievePolicy(ctx context.Context, name string) (privicore.PolicyRecord, error) {
	deadline := time.Now().Add(c.vu.p.ackTimeout())
	for {
		p, err := c.sess.RetrievePolicy(ctx, name)
		if privicore.StatusOf(err) != 404 || time.Now().After(deadline) {
			return p, err
		}
		if err := pause(ctx, 20*time.Millisecond); err != nil {
			return p, err
		}
	}
}
