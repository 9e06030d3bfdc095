package steps

import (
	"context"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// authenticatorKinds are A1–A12: verified authenticators, the profile's
// voting defaults and voting configurations.
func authenticatorKinds() []*Kind {
	intCommand := func(name, summary, path, param, doc string, f func(*privicore.Session, context.Context, int) (privicore.Ack, error)) *Kind {
		return op(opDecl{
			name: name, summary: summary, method: "POST", path: path, async: true,
			params: []scenario.ParamSpec{must(param, scenario.TypeInt, doc)},
			run: func(ctx context.Context, c *call) error {
				return c.ack(f(c.sess, ctx, c.int(param)))
			},
		})
	}
	return []*Kind{
		deviceCommand("register-authenticator", "Register an approved device as an authenticator (A1).",
			"/verified-authenticator/register", (*privicore.Session).RegisterAuthenticator),
		deviceList("list-authenticators", "List the verified authenticators (A2).", "/verified-authenticator/list",
			(*privicore.Session).ListAuthenticators),
		op(opDecl{
			name: "retrieve-voting-strategy", summary: "Retrieve the profile's voting defaults (A3).",
			method: "GET", path: "/verified-authenticator/retrieve-strategy",
			captures: captures("strategy", "the quorum strategy", "quorum_size", "the quorum size"),
			example:  "- retrieve-voting-strategy: {}",
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.RetrieveVotingStrategy(ctx)
				keep(c, r)
				if err == nil {
					c.set("strategy", r.Strategy)
					c.set("quorum_size", int64(r.QuorumSize))
				}
				return c.done(r.Timing, err)
			},
		}),
		intCommand("set-quorum-size", "Set how many authenticators must answer (A4).", "/verified-authenticator/set-quorum-size",
			"quorumSize", "the quorum size", (*privicore.Session).SetQuorumSize),
		op(opDecl{
			name: "set-quorum-strategy", summary: "Set the quorum strategy (A5).",
			method: "POST", path: "/verified-authenticator/set-quorum-strategy", async: true,
			params: []scenario.ParamSpec{
				{Name: "strategy", Type: scenario.TypeEnum, Required: true, Doc: "how ballots decide",
					Enum: []string{"unanimous", "consensus", "affirmative", "minimum_percentage"}},
				opt("strategy_params", scenario.TypeInt, "0", "the yes-percentage of minimum_percentage (0–100)"),
			},
			run: func(ctx context.Context, c *call) error {
				return c.ack(c.sess.SetQuorumStrategy(ctx, c.str("strategy"), c.int("strategy_params")))
			},
		}),
		intCommand("set-voting-time-limit", "Set the voting time limit (A6).", "/verified-authenticator/set-voting-time-limit",
			"timeLimit", "seconds", (*privicore.Session).SetVotingTimeLimit),
		intCommand("set-maximum-voting-attempts", "Set how many attempts a vote gets (A7).",
			"/verified-authenticator/set-maximum-voting-attempts", "numberOfAttempts", "attempts", (*privicore.Session).SetMaximumVotingAttempts),
		deviceCommand("remove-authenticator", "Remove a device's authenticator role (A8).",
			"/verified-authenticator/remove", (*privicore.Session).RemoveAuthenticator),
		votingConfigurationKind("register-voting-configuration", "Register a voting configuration (A9).",
			"/verified-authenticator/voting-configuration/register", (*privicore.Session).RegisterVotingConfiguration),
		votingConfigurationKind("update-voting-configuration", "Update a voting configuration (A10).",
			"/verified-authenticator/voting-configuration/update", (*privicore.Session).UpdateVotingConfiguration),
		op(opDecl{
			name: "list-voting-configurations", summary: "List the voting configurations (A11).",
			method: "GET", path: "/verified-authenticator/voting-configuration/list",
			captures: captures("voting_configuration_count", "how many"),
			example:  "- list-voting-configurations: {}",
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.ListVotingConfigurations(ctx)
				keep(c, r.Configurations)
				if err == nil {
					c.set("voting_configuration_count", int64(len(r.Configurations)))
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "retrieve-voting-configuration", summary: "Retrieve a voting configuration by name (A12).",
			method: "GET", path: "/verified-authenticator/voting-configuration/retrieve/{name}",
			params: []scenario.ParamSpec{must("name", scenario.TypeString, "the configuration's name")},
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.RetrieveVotingConfiguration(ctx, c.str("name"))
				keep(c, r.VotingConfiguration)
				return c.done(r.Timing, err)
			},
		}),
	}
}

// votingConfigurationParams are A9/A10's JSON body fields.
var votingConfigurationParams = []scenario.ParamSpec{
	must("name", scenario.TypeString, "the configuration's name; policies link it by name"),
	enum("strategy", "unanimous", "how ballots decide", "unanimous", "consensus", "affirmative", "minimum_percentage"),
	opt("timeLimit", scenario.TypeInt, "60", "seconds a vote attempt lasts"),
	opt("percentageRequired", scenario.TypeInt, "", "yes-percentage of minimum_percentage"),
	list("deviceIdentifiers", scenario.TypeString, "the authenticators asked; empty means all"),
}

func votingConfigurationOf(c *call) privicore.VotingConfiguration {
	v := privicore.VotingConfiguration{Name: c.str("name"), Strategy: c.str("strategy"),
		TimeLimit: c.int("timeLimit"), DeviceIdentifiers: c.strs("deviceIdentifiers")}
	if c.has("percentageRequired") {
		p := c.int("percentageRequired")
		v.PercentageRequired = &p
	}
	return v
}

func votingConfigurationKind(name, summary, path string, f func(*privicore.Session, context.Context, privicore.VotingConfiguration) (privicore.Ack, error)) *Kind {
	return op(opDecl{
		name: name, summary: summary, method: "POST", path: path, async: true,
		params: votingConfigurationParams,
		run: func(ctx context.Context, c *call) error {
			return c.ack(f(c.sess, ctx, votingConfigurationOf(c)))
		},
	})
}
