package privicore

import (
	"context"
	"encoding/json"
	"net/url"
	"sort"
)

// PolicyTemplate is one entry of PL1's object keyed by template id.
type PolicyTemplate struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Events is keyed by event id (the keys are what register-policy's
	// applyingEventIds take); values are kept raw.
	Events           map[string]json.RawMessage `json:"events"`
	Configuration    StringList                 `json:"configuration"`
	VotingAttributes StringList                 `json:"votingAttributes"`
}

// EventIDs returns the template's event ids, sorted.
func (t PolicyTemplate) EventIDs() []string {
	ids := make([]string, 0, len(t.Events))
	for id := range t.Events {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// PolicyTemplates is PL1's answer.
type PolicyTemplates struct {
	Templates map[string]PolicyTemplate // keyed by template id
	Timing
}

// IDs returns the template ids, sorted.
func (p PolicyTemplates) IDs() []string {
	ids := make([]string, 0, len(p.Templates))
	for id := range p.Templates {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// ListPolicyTemplates is PL1: GET /policy/list-policy-templates.
func (s *Session) ListPolicyTemplates(ctx context.Context) (PolicyTemplates, error) {
	var m map[string]PolicyTemplate
	t, err := s.decodeInto(ctx, get("list-policy-templates", "/policy/list-policy-templates"), &m)
	return PolicyTemplates{Templates: m, Timing: t}, err
}

// PolicyParams are PL2's JSON body.
type PolicyParams struct {
	Name             string   `json:"name,omitempty"`   // "" is not sent; needed to find the policy again (RetrievePolicy)
	PolicyTemplateID string   `json:"policyTemplateId"` // required: a key of ListPolicyTemplates
	ApplyingEventIDs []string `json:"applyingEventIds"` // required: keys of the template's Events
	// VotingConfigurationID links a voting configuration by its name (the
	// probe's reading).
	VotingConfigurationID string            `json:"votingConfigurationId,omitempty"`
	Configuration         map[string]string `json:"configuration,omitempty"` // template parameters; nil is not sent
}

// RegisterPolicy is PL2: POST /policy/register (JSON; async command). The
// policy starts inactive; find its id with RetrievePolicy(name).
func (s *Session) RegisterPolicy(ctx context.Context, p PolicyParams) (Ack, error) {
	const op = "register-policy"
	if err := required(op, "policyTemplateId", p.PolicyTemplateID); err != nil {
		return Ack{}, err
	}
	if len(p.ApplyingEventIDs) == 0 {
		return Ack{}, invalid(op, "applyingEventIds is required")
	}
	return s.command(ctx, postJSON(op, "/policy/register", p))
}

// Policy is a registered policy record (PL3, PL4, PL8, PL9).
type Policy struct {
	ID                    string         `json:"id"`
	Name                  string         `json:"name"`
	PolicyTemplateID      string         `json:"policyTemplateId"`
	ApplyingEventIDs      StringList     `json:"applyingEventIds"`
	VotingConfigurationID string         `json:"votingConfigurationId"`
	Configuration         map[string]any `json:"configuration"`
	Active                bool           `json:"active"`
	CreatedAt             string         `json:"createdAt"`
}

// PolicyList is the answer of PL3, PL4 and PL8.
type PolicyList struct {
	Policies []Policy
	Timing
}

// ListActivePolicies is PL3: GET /policy/list-active-policies (PROPOSED).
func (s *Session) ListActivePolicies(ctx context.Context) (PolicyList, error) {
	return s.policies(ctx, get("list-active-policies", "/policy/list-active-policies"))
}

// ListInactivePolicies is PL4: GET /policy/list-inactive-policies (PROPOSED).
func (s *Session) ListInactivePolicies(ctx context.Context) (PolicyList, error) {
	return s.policies(ctx, get("list-inactive-policies", "/policy/list-inactive-policies"))
}

// ListRegisteredPolicies is PL8: GET /policy/list-registered-policies (PROPOSED).
func (s *Session) ListRegisteredPolicies(ctx context.Context) (PolicyList, error) {
	return s.policies(ctx, get("list-registered-policies", "/policy/list-registered-policies"))
}

func (s *Session) policies(ctx context.Context, r Request) (PolicyList, error) {
	policies, t, err := list[Policy](ctx, s, r)
	return PolicyList{Policies: policies, Timing: t}, err
}

// ActivatePolicy is PL5: POST /policy/activate, form policyId (async command).
func (s *Session) ActivatePolicy(ctx context.Context, policyID string) (Ack, error) {
	return s.byPolicy(ctx, "activate-policy", "/policy/activate", policyID)
}

// DeactivatePolicy is PL6: POST /policy/deactivate, form policyId (async command).
func (s *Session) DeactivatePolicy(ctx context.Context, policyID string) (Ack, error) {
	return s.byPolicy(ctx, "deactivate-policy", "/policy/deactivate", policyID)
}

// DeletePolicy is PL7: POST /policy/delete, form policyId (PROPOSED; async command).
func (s *Session) DeletePolicy(ctx context.Context, policyID string) (Ack, error) {
	return s.byPolicy(ctx, "delete-policy", "/policy/delete", policyID)
}

// PolicyRecord is PL9's answer.
type PolicyRecord struct {
	Policy
	Timing
}

// RetrievePolicy is PL9: GET /policy/retrieve-policy/{name}. It is
// eventually consistent: right after the register ack it may be a 404.
func (s *Session) RetrievePolicy(ctx context.Context, name string) (PolicyRecord, error) {
	const op = "retrieve-policy"
	if err := required(op, "name", name); err != nil {
		return PolicyRecord{}, err
	}
	var p Policy
	t, err := s.decodeInto(ctx, get(op, "/policy/retrieve-policy/"+url.PathEscape(name)), &p)
	return PolicyRecord{Policy: p, Timing: t}, err
}
