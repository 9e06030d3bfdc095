package sim_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// configView is A11/A12's record.
type configView struct {
	ID, Name, Strategy string
	PercentageRequired int
	TimeLimit          int
	DeviceIdentifiers  []string
}

func TestVotingConfigurations(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	o := newOwner(t, srv, "alice")
	phones := o.authenticators(2)
	o.votingConfig(map[string]any{"name": "two-thirds-approval", "timeLimit": 180, "strategy": "minimum_percentage",
		"percentageRequired": 67, "deviceIdentifiers": []string{}})
	r := o.get("/verified-authenticator/voting-configuration/retrieve/two-thirds-approval")
	want(t, r, http.StatusOK)
	var v configView
	r.json(t, &v)
	if v.ID == "" || v.Strategy != "minimum_percentage" || v.PercentageRequired != 67 || v.TimeLimit != 180 {
		t.Fatalf("retrieve: %s", r.body)
	}

	o.ok(o.postJSON("/verified-authenticator/voting-configuration/update", map[string]any{"name": "two-thirds-approval",
		"timeLimit": 60, "deviceIdentifiers": []string{phones[0]}}))
	o.refused(o.postJSON("/verified-authenticator/voting-configuration/update", map[string]any{"name": "two-thirds-approval",
		"strategy": "consensus", "deviceIdentifiers": []string{"ghost"}}), "device.not_found")
	o.refused(o.postJSON("/verified-authenticator/voting-configuration/update", map[string]any{"name": "missing", "timeLimit": 5}),
		"voting_configuration.not_found")
	// the guide's form with a comma list, at the guide's path
	o.ok(o.post("/voting-configuration/create", url.Values{"name": {"form-made"}, "strategy": {"affirmative"},
		"timeLimit": {"30"}, "deviceIdentifiers": {phones[0] + "," + phones[1]}}))
	o.refused(o.postJSON("/verified-authenticator/voting-configuration/register", map[string]any{"name": "form-made",
		"strategy": "unanimous", "timeLimit": 30}), "voting_configuration.name_taken")
	o.ok(o.postJSON("/verified-authenticator/voting-configuration/register", map[string]any{"name": "nulls",
		"strategy": "consensus", "timeLimit": 30, "percentageRequired": nil, "deviceIdentifiers": nil}))
	o.refused(o.postJSON("/verified-authenticator/voting-configuration/register", map[string]any{"name": "ghosts",
		"strategy": "unanimous", "timeLimit": 30, "deviceIdentifiers": []string{"ghost"}}), "device.not_found")

	r = o.get("/verified-authenticator/voting-configuration/list")
	want(t, r, http.StatusOK)
	var list []configView
	r.json(t, &list)
	if len(list) != 3 || list[0].TimeLimit != 60 || len(list[0].DeviceIdentifiers) != 1 || list[1].Name != "form-made" ||
		len(list[1].DeviceIdentifiers) != 2 {
		t.Fatalf("list: %s", r.body)
	}
	// retrievable by id too, since policies may link either way
	want(t, o.get("/verified-authenticator/voting-configuration/retrieve/"+list[0].ID), http.StatusOK)
	wantKey(t, o.get("/verified-authenticator/voting-configuration/retrieve/nope"), http.StatusNotFound, "voting_configuration.not_found")
}

func TestVotingConfigurationValidation(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	o := newOwner(t, srv, "bob")
	const path = "/verified-authenticator/voting-configuration/register"
	for _, tt := range []struct {
		why  string
		body map[string]any
		key  string
	}{
		{"no name", map[string]any{"strategy": "unanimous", "timeLimit": 30}, "validation.required"},
		{"no strategy", map[string]any{"name": "x", "timeLimit": 30}, "validation.required"},
		{"no time limit", map[string]any{"name": "x", "strategy": "unanimous"}, "validation.required"},
		{"minimum_percentage without percentageRequired", map[string]any{"name": "x", "strategy": "minimum_percentage", "timeLimit": 30}, "validation.required"},
		{"a percentage above 100", map[string]any{"name": "x", "strategy": "minimum_percentage", "percentageRequired": 150, "timeLimit": 30}, "voting.percentage_out_of_range"},
		{"device identifiers that are not strings", map[string]any{"name": "x", "strategy": "unanimous", "timeLimit": 30, "deviceIdentifiers": []int{1}}, "validation.string_list_expected"},
	} {
		t.Run(tt.why, func(t *testing.T) { wantKey(t, o.postJSON(path, tt.body), http.StatusUnprocessableEntity, tt.key) })
	}
}

// policyRecord is PL9's record.
type policyRecord struct {
	ID, Name, PolicyTemplateID, VotingConfigurationID string
	ApplyingEventIDs                                  []string `json:"applyingEventIds"`
	Active                                            bool
}

func (o *owner) policies(path string) []policyRecord {
	o.t.Helper()
	r := o.get(path)
	want(o.t, r, http.StatusOK)
	var list []policyRecord
	r.json(o.t, &list)
	return list
}

func TestPolicyTemplates(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	o := newOwner(t, srv, "carol")
	r := o.get("/policy/list-policy-templates")
	want(t, r, http.StatusOK)
	var templates map[string]struct {
		Name          string
		Events        map[string]map[string]string
		Configuration []string
	}
	r.json(t, &templates)
	tpl, ok := templates["tpl-data-exchange"]
	if !ok || tpl.Events["11"]["data_token.exchange_data_for_token"] == "" || len(tpl.Configuration) == 0 {
		t.Fatalf("templates: %s", r.body)
	}
	if access := templates["tpl-data-access"]; access.Events["17"]["data_token.data_requested"] != "Retrieve data" {
		t.Fatalf("the reference's example template is missing: %s", r.body)
	}
}

func TestPolicyLifecycle(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	o := newOwner(t, srv, "dave")
	o.votingConfig(approvalConfig("high-security", 60))
	o.ok(o.postJSON("/policy/register", map[string]any{"name": "gate-data-exchange", "policyTemplateId": "tpl-data-exchange",
		"applyingEventIds": []string{"11"}, "configurationId": "high-security",
		"configuration": map[string]any{"classification": "internal", "label": "probe", "handling": "none"}}))
	r := o.get("/policy/retrieve-policy/gate-data-exchange")
	want(t, r, http.StatusOK)
	var pl policyRecord
	r.json(t, &pl)
	if pl.ID == "" || pl.Active || pl.VotingConfigurationID != "high-security" || pl.ApplyingEventIDs[0] != "11" {
		t.Fatalf("a new policy: %s", r.body)
	}
	if in := o.policies("/policy/list-inactive-policies"); len(in) != 1 || len(o.policies("/policy/list-active-policies")) != 0 {
		t.Fatalf("a new policy is not inactive: %+v", in)
	}
	o.ok(o.post("/policy/activate", url.Values{"policyId": {pl.ID}}))
	if act := o.policies("/policy/list-active-policies"); len(act) != 1 || !act[0].Active {
		t.Fatalf("active list: %+v", act)
	}
	o.refused(o.post("/policy/delete", url.Values{"policyId": {pl.ID}}), "policy.active")
	o.ok(o.post("/policy/deactivate-policy", url.Values{"name": {"gate-data-exchange"}})) // the guide's path and field
	if all := o.policies("/policy/list-registered-policies"); len(all) != 1 || all[0].Active {
		t.Fatalf("registered list: %+v", all)
	}
	o.ok(o.post("/policy/delete", url.Values{"policyId": {pl.ID}}))
	wantKey(t, o.get("/policy/retrieve-policy/gate-data-exchange"), http.StatusNotFound, "policy.not_found")
	o.refused(o.post("/policy/activate", url.Values{"policyId": {pl.ID}}), "policy.not_found")
}

func TestPolicyRegistrationRules(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	o := newOwner(t, srv, "erin")
	body := func(edit func(map[string]any)) map[string]any {
		b := map[string]any{"name": "p", "policyTemplateId": "tpl-data-exchange", "applyingEventIds": []string{"11"}}
		edit(b)
		return b
	}
	o.refused(o.postJSON("/policy/register", body(func(b map[string]any) { b["policyTemplateId"] = "tpl-nope" })), "policy.template_not_found")
	o.refused(o.postJSON("/policy/register", body(func(b map[string]any) { b["applyingEventIds"] = []string{"99"} })), "policy.event_not_in_template")
	o.refused(o.postJSON("/policy/register", body(func(b map[string]any) { b["votingConfigurationId"] = "nope" })), "voting_configuration.not_found")
	o.ok(o.postJSON("/policy/register", body(func(b map[string]any) { b["votingConfigurationId"] = nil })))
	o.refused(o.postJSON("/policy/register", body(func(map[string]any) {})), "policy.name_taken")
	want(t, o.postJSON("/policy/register", body(func(b map[string]any) { delete(b, "applyingEventIds") })), http.StatusUnprocessableEntity)
	want(t, o.postJSON("/policy/register", body(func(b map[string]any) { b["configuration"] = []string{"x"} })), http.StatusUnprocessableEntity)
	want(t, o.post("/policy/activate", url.Values{}), http.StatusUnprocessableEntity)
}

func TestPolicyVisibilityDelay(t *testing.T) {
	t.Parallel()
	const delay = 300 * time.Millisecond
	clock := newFakeClock()
	srv := start(t, sim.Options{PolicyVisibilityDelay: delay, Clock: clock})
	o := newOwner(t, srv, "frank")
	o.ok(o.postJSON("/policy/register", map[string]any{"name": "late", "policyTemplateId": "tpl-data-exchange",
		"applyingEventIds": []string{"11"}}))
	wantKey(t, o.get("/policy/retrieve-policy/late"), http.StatusNotFound, "policy.not_found") // right after the ack, as the probe saw
	clock.Advance(delay - time.Nanosecond)
	wantKey(t, o.get("/policy/retrieve-policy/late"), http.StatusNotFound, "policy.not_found")
	clock.Advance(time.Nanosecond)
	want(t, o.get("/policy/retrieve-policy/late"), http.StatusOK)
}
