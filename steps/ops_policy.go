package steps

import (
	"context"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// policyKinds are PL1–PL9: policy templates and the profile's policies.
func policyKinds() []*Kind {
	policyCommand := func(name, summary, path string, f func(*privicore.Session, context.Context, string) (privicore.Ack, error)) *Kind {
		return op(opDecl{
			name: name, summary: summary, method: "POST", path: path, async: true,
			params: []scenario.ParamSpec{must("policyId", scenario.TypeString, "the policy's id (retrieve-policy's policy_id)")},
			run: func(ctx context.Context, c *call) error {
				return c.ack(f(c.sess, ctx, c.str("policyId")))
			},
		})
	}
	return []*Kind{
		op(opDecl{
			name: "list-policy-templates", summary: "List the policy templates and their events (PL1).",
			method: "GET", path: "/policy/list-policy-templates",
			captures: captures("policy_template_ids", "the template ids, sorted"),
			example:  "- list-policy-templates: {}",
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.ListPolicyTemplates(ctx)
				keep(c, r.Templates)
				if err == nil {
					c.set("policy_template_ids", r.IDs())
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "register-policy", summary: "Register a policy from a template; it starts inactive (PL2).",
			method: "POST", path: "/policy/register", async: true,
			params: []scenario.ParamSpec{
				must("name", scenario.TypeString, "the policy's name (retrieve-policy finds it by name)"),
				must("policyTemplateId", scenario.TypeString, "a template id of list-policy-templates"),
				{Name: "applyingEventIds", Type: scenario.TypeList, Required: true, Doc: "event ids of the template"},
				opt("votingConfigurationId", scenario.TypeString, "", "the linked voting configuration's name"),
				{Name: "configuration", Type: scenario.TypeMap, Doc: "template parameters"},
			},
			run: func(ctx context.Context, c *call) error {
				return c.ack(c.sess.RegisterPolicy(ctx, privicore.PolicyParams{
					Name: c.str("name"), PolicyTemplateID: c.str("policyTemplateId"),
					ApplyingEventIDs: c.strs("applyingEventIds"), VotingConfigurationID: c.str("votingConfigurationId"),
					Configuration: c.fields("configuration")}))
			},
		}),
		policyList("list-active-policies", "List the active policies (PL3).", "/policy/list-active-policies",
			(*privicore.Session).ListActivePolicies),
		policyList("list-inactive-policies", "List the inactive policies (PL4).", "/policy/list-inactive-policies",
			(*privicore.Session).ListInactivePolicies),
		policyCommand("activate-policy", "Activate a policy (PL5).", "/policy/activate", (*privicore.Session).ActivatePolicy),
		policyCommand("deactivate-policy", "Deactivate a policy (PL6).", "/policy/deactivate", (*privicore.Session).DeactivatePolicy),
		policyCommand("delete-policy", "Delete a policy (PL7).", "/policy/delete", (*privicore.Session).DeletePolicy),
		policyList("list-registered-policies", "List every registered policy (PL8).", "/policy/list-registered-policies",
			(*privicore.Session).ListRegisteredPolicies),
		op(opDecl{
			name: "retrieve-policy", summary: "Retrieve a registered policy by name (PL9; eventually consistent after register).",
			method: "GET", path: "/policy/retrieve-policy/{name}",
			params:   []scenario.ParamSpec{must("name", scenario.TypeString, "the policy's name")},
			captures: captures("policy_id", "the policy's id, for activate/deactivate/delete-policy"),
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.RetrievePolicy(ctx, c.str("name"))
				keep(c, r.Policy)
				if err == nil {
					c.set("policy_id", r.ID)
				}
				return c.done(r.Timing, err)
			},
		}),
	}
}

// policyList declares a read that answers a list of policies.
func policyList(name, summary, path string, f func(*privicore.Session, context.Context) (privicore.PolicyList, error)) *Kind {
	return op(opDecl{
		name: name, summary: summary, method: "GET", path: path,
		captures: captures("policy_count", "how many policies"),
		example:  "- " + name + ": {}",
		run: func(ctx context.Context, c *call) error {
			r, err := f(c.sess, ctx)
			keep(c, r.Policies)
			if err == nil {
				c.set("policy_count", int64(len(r.Policies)))
			}
			return c.done(r.Timing, err)
		},
	})
}
