package sim

import (
	"net/http"
	"slices"
)

// Events a policy can gate: the operations that go through gate.
const (
	eventExchangeData  = "data_token.exchange_data_for_token"
	eventDataRequested = "data_token.data_requested"
)

// policyTemplate is one read-only template of PL1.
type policyTemplate struct {
	id, name, description string
	events                []templateEvent
	configuration         []string
	votingAttributes      []string
}

// templateEvent is one entry of a template's events: its id (the key a
// policy's applyingEventIds names), the event it stands for, and a label.
type templateEvent struct{ id, event, label string }

// policyTemplates is the simulator's template catalogue. Only events some
// operation really gates are offered, so that a policy registered from
// any template does something.
func policyTemplates() []policyTemplate {
	return []policyTemplate{{
		id: "tpl-data-access", name: "data_access_gate", // the reference's example (PL1)
		description:      "Requires a vote of the profile's authenticators before data is retrieved",
		events:           []templateEvent{{id: "17", event: eventDataRequested, label: "Retrieve data"}},
		configuration:    []string{"classification"},
		votingAttributes: []string{"requester", "context"},
	}, {
		id: "tpl-data-exchange", name: "data_exchange_gate",
		description:      "Requires a vote of the profile's authenticators before data is exchanged for a data token",
		events:           []templateEvent{{id: "11", event: eventExchangeData, label: "Exchange data for token"}},
		configuration:    []string{"classification", "label", "handling"},
		votingAttributes: []string{"requester", "context"},
	}}
}

// templateByID finds a template of the catalogue.
func templateByID(id string) (policyTemplate, bool) {
	for _, t := range policyTemplates() {
		if t.id == id {
			return t, true
		}
	}
	return policyTemplate{}, false
}

// view is PL1's shape [W][P]: events keyed by event id, each mapping the
// event name to its label (the docset's inverted map is stale, §5.3 #11).
func (t policyTemplate) view() map[string]any {
	events := map[string]any{}
	for _, e := range t.events {
		events[e.id] = map[string]string{e.event: e.label}
	}
	return map[string]any{"name": t.name, "description": t.description, "events": events,
		"configuration": t.configuration, "votingAttributes": t.votingAttributes}
}

// gates reports whether a policy of t applying eventIDs gates event.
func (t policyTemplate) gates(eventIDs []string, event string) bool {
	for _, e := range t.events {
		if e.event == event && slices.Contains(eventIDs, e.id) {
			return true
		}
	}
	return false
}

// policyRoutes are PL1–PL9, with the guides' legacy paths.
func policyRoutes() []route {
	return []route{
		{"GET", "/policy/list-policy-templates", "list-policy-templates", authToken, (*Server).listTemplates},
		{"POST", "/policy/register", "register-policy", authToken, (*Server).registerPolicy},
		{"POST", "/policy/register-policy", "register-policy", authToken, (*Server).registerPolicy},
		{"GET", "/policy/list-active-policies", "list-active-policies", authToken, (*Server).listActivePolicies},
		{"GET", "/policy/list-inactive-policies", "list-inactive-policies", authToken, (*Server).listInactivePolicies},
		{"GET", "/policy/list-registered-policies", "list-registered-policies", authToken, (*Server).listAllPolicies},
		{"POST", "/policy/activate", "activate-policy", authToken, (*Server).activatePolicy},
		{"POST", "/policy/activate-policy", "activate-policy", authToken, (*Server).activatePolicy},
		{"POST", "/policy/deactivate", "deactivate-policy", authToken, (*Server).deactivatePolicy},
		{"POST", "/policy/deactivate-policy", "deactivate-policy", authToken, (*Server).deactivatePolicy},
		{"POST", "/policy/delete", "delete-policy", authToken, (*Server).deletePolicy},
		{"GET", "/policy/retrieve-policy/{name}", "retrieve-policy", authToken, (*Server).retrievePolicy},
	}
}

// listTemplates is PL1: an object keyed by template id.
func (s *Server) listTemplates(c *call) {
	out := map[string]any{}
	for _, t := range policyTemplates() {
		out[t.id] = t.view()
	}
	writeJSON(c.w, http.StatusOK, out)
}

// policyInput is PL2's body.
type policyInput struct {
	name, templateID, votingConfig string
	eventIDs                       []string
	configuration                  map[string]any
}

// readPolicy reads PL2's body; the voting configuration link may be
// votingConfigurationId ([P]) or configurationId ([W]).
func (f *fields) readPolicy() policyInput {
	in := policyInput{name: f.optional("name", maxUsernameLen),
		templateID: f.str("policyTemplateId", true, maxFieldLen)}
	in.eventIDs, _ = f.strList("applyingEventIds", 100)
	if len(in.eventIDs) == 0 && len(f.errs["applyingEventIds"]) == 0 {
		f.fail("applyingEventIds", "validation.required")
	}
	in.votingConfig = f.optional("votingConfigurationId", maxFieldLen)
	if in.votingConfig == "" { // [W] names the link configurationId
		in.votingConfig = f.optional("configurationId", maxFieldLen)
	}
	in.configuration = f.jsonObject("configuration")
	if in.configuration == nil {
		in.configuration = map[string]any{}
	}
	return in
}

// registerPolicy is PL2: JSON ([P][W]) or the guide's form. The policy is
// inactive on creation [W]; the template, its events, the voting
// configuration and the name's uniqueness are checked when the command
// resolves (business rules are asynchronous, §1.13).
func (s *Server) registerPolicy(c *call) {
	f := c.fields()
	in := f.readPolicy()
	if !f.ok() {
		return
	}
	configBytes := jsonSize(in.configuration)
	s.acceptOnHoldings(c, func(id string, h *holdings) outcome {
		if reason := h.policyProblem(in); reason != "" {
			return rejected(reason)
		}
		if vc := h.config(in.votingConfig); vc != nil {
			in.votingConfig = vc.name // linked by name, whichever way it was given
		}
		// The configuration object is stored too: charged like stored data.
		if !s.state.stored.take(configBytes) {
			return rejected(reasonQuotaExceeded)
		}
		now := s.clock.Now()
		h.policies = append(h.policies, &policy{id: id, name: in.name, templateID: in.templateID,
			eventIDs: in.eventIDs, votingConfig: in.votingConfig, configuration: in.configuration,
			configBytes: configBytes, createdAt: now, visibleAt: now.Add(s.opts.PolicyVisibilityDelay)})
		return succeeded()
	})
}

// policyProblem returns the rejection reason of in, or "".
func (h *holdings) policyProblem(in policyInput) string {
	t, ok := templateByID(in.templateID)
	if !ok {
		return "policy.template_not_found"
	}
	for _, id := range in.eventIDs {
		if !slices.ContainsFunc(t.events, func(e templateEvent) bool { return e.id == id }) {
			return "policy.event_not_in_template"
		}
	}
	switch {
	case len(h.policies) >= maxPoliciesPerProfile:
		return "policy.too_many"
	case in.votingConfig != "" && h.config(in.votingConfig) == nil:
		return "voting_configuration.not_found"
	case in.name != "" && h.policy(in.name) != nil:
		return "policy.name_taken"
	}
	return ""
}

// policyCommand accepts a command on one policy, named by policyId ([P])
// or by name ([D][G]); at resolution change runs under p.mu, or the
// command is rejected with policy.not_found.
func (s *Server) policyCommand(c *call, change func(h *holdings, pl *policy) outcome) {
	f := c.fields()
	ref := ""
	if _, byName := c.raw("name"); byName {
		if _, byID := c.raw("policyId"); !byID {
			ref = f.str("name", true, maxUsernameLen)
		}
	}
	if ref == "" {
		ref = f.str("policyId", true, maxFieldLen)
	}
	if !f.ok() {
		return
	}
	s.acceptOnHoldings(c, func(_ string, h *holdings) outcome {
		pl := h.policy(ref)
		if pl == nil {
			return rejected("policy.not_found")
		}
		return change(h, pl)
	})
}

// activatePolicy is PL5: from now on the policy's events spawn pools.
// Activating an active policy changes nothing.
func (s *Server) activatePolicy(c *call) {
	s.policyCommand(c, func(_ *holdings, pl *policy) outcome {
		pl.active = true
		return succeeded()
	})
}

// deactivatePolicy is PL6: the configuration is kept [D]; pools already
// running go on.
func (s *Server) deactivatePolicy(c *call) {
	s.policyCommand(c, func(_ *holdings, pl *policy) outcome {
		pl.active = false
		return succeeded()
	})
}

// deletePolicy is PL7 (PROPOSED): an active policy must be deactivated first.
func (s *Server) deletePolicy(c *call) {
	s.policyCommand(c, func(h *holdings, pl *policy) outcome {
		if pl.active {
			return rejected("policy.active")
		}
		h.policies = slices.DeleteFunc(h.policies, func(x *policy) bool { return x == pl })
		s.state.stored.give(pl.configBytes)
		return succeeded()
	})
}

// listPolicies answers the views of the caller's policies that keep.
func (s *Server) listPolicies(c *call, keep func(*policy) bool) {
	out := []map[string]any{}
	c.profile.inHoldings(func(h *holdings) {
		for _, pl := range h.policies {
			if keep(pl) {
				out = append(out, pl.view())
			}
		}
	})
	writeJSON(c.w, http.StatusOK, out)
}

// listActivePolicies is PL3 (PROPOSED).
func (s *Server) listActivePolicies(c *call) {
	s.listPolicies(c, func(pl *policy) bool { return pl.active })
}

// listInactivePolicies is PL4 (PROPOSED).
func (s *Server) listInactivePolicies(c *call) {
	s.listPolicies(c, func(pl *policy) bool { return !pl.active })
}

// listAllPolicies is PL8 (PROPOSED).
func (s *Server) listAllPolicies(c *call) {
	s.listPolicies(c, func(*policy) bool { return true })
}

// retrievePolicy is PL9: by name (or id). Until PolicyVisibilityDelay
// after the register command resolved it answers 404, as the live wire
// sometimes does right after the ack [P].
func (s *Server) retrievePolicy(c *call) {
	var view map[string]any
	c.profile.inHoldings(func(h *holdings) {
		if pl := h.policy(c.r.PathValue("name")); pl != nil && !s.clock.Now().Before(pl.visibleAt) {
			view = pl.view()
		}
	})
	if view == nil {
		writeError(c.w, http.StatusNotFound, "policy.not_found")
		return
	}
	writeJSON(c.w, http.StatusOK, view)
}
