package sim_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// owner is a profile with a joined socket: what every voting test drives.
type owner struct {
	t     testing.TB
	a     *api
	token string
	ws    *socket
}

func newOwner(t testing.TB, srv *sim.Server, name string) *owner {
	t.Helper()
	a := newAPI(t, srv)
	token := a.newProfile(name)
	ws := dial(t, srv)
	ws.join(token)
	return &owner{t: t, a: a, token: token, ws: ws}
}

// ack waits for the terminal ack of r's command.
func (o *owner) ack(r reply) (id string, status int, body any) {
	o.t.Helper()
	id = commandID(o.t, r)
	status, body = o.ws.ack(id)
	return id, status, body
}

// ok fails unless r's command acks 2, and returns its id.
func (o *owner) ok(r reply) string {
	o.t.Helper()
	id, status, body := o.ack(r)
	if status != 2 {
		o.t.Fatalf("command %s acked %d %v; want 2", id, status, body)
	}
	return id
}

// refused fails unless r's command acks 3 with reason.
func (o *owner) refused(r reply, reason string) string {
	o.t.Helper()
	id, status, body := o.ack(r)
	if status != 3 || body != reason {
		o.t.Fatalf("command %s acked %d %v; want 3 %s", id, status, body, reason)
	}
	return id
}

func (o *owner) post(path string, form url.Values) reply {
	o.t.Helper()
	return o.a.post(path, o.token, form)
}

func (o *owner) postJSON(path string, v any) reply {
	o.t.Helper()
	return o.a.postJSON(path, o.token, v)
}

func (o *owner) get(path string) reply {
	o.t.Helper()
	return o.a.get(path, o.token)
}

// device requests a device identifier and returns it, still pending.
func (o *owner) device(name string) string {
	o.t.Helper()
	id := o.ok(o.post("/device/request-unique-identifier", url.Values{"deviceName": {name}}))
	r := o.post("/device/retrieve-unique-identifier", url.Values{"id": {id}})
	want(o.t, r, http.StatusOK)
	var v struct{ DeviceIdentifier string }
	r.json(o.t, &v)
	if v.DeviceIdentifier == "" {
		o.t.Fatalf("retrieve-unique-identifier: %s", r.body)
	}
	return v.DeviceIdentifier
}

// authenticators onboards n approved devices as authenticators.
func (o *owner) authenticators(n int) []string {
	o.t.Helper()
	var ids []string
	for i := range n {
		id := o.device(fmt.Sprintf("phone-%d", i))
		o.ok(o.post("/device/approve-device", url.Values{"deviceIdentifier": {id}}))
		o.ok(o.post("/verified-authenticator/register", url.Values{"deviceIdentifier": {id}}))
		ids = append(ids, id)
	}
	return ids
}

// votingConfig registers a configuration (JSON, as the live wire does).
func (o *owner) votingConfig(body map[string]any) {
	o.t.Helper()
	o.ok(o.postJSON("/verified-authenticator/voting-configuration/register", body))
}

// gateExchange registers and activates a policy that puts
// exchange-data-for-token to a vote under the configuration named config.
func (o *owner) gateExchange(name, config string) string {
	o.t.Helper()
	o.ok(o.postJSON("/policy/register", map[string]any{"name": name, "policyTemplateId": "tpl-data-exchange",
		"applyingEventIds": []string{"11"}, "votingConfigurationId": config,
		"configuration": map[string]any{"classification": "internal"}}))
	r := o.get("/policy/retrieve-policy/" + url.PathEscape(name))
	want(o.t, r, http.StatusOK)
	var v struct{ ID string }
	r.json(o.t, &v)
	o.ok(o.post("/policy/activate", url.Values{"policyId": {v.ID}}))
	return v.ID
}

// exchange reserves space and sends a blob to exchange; it returns the
// tmp token and the reply (whose command id is the pool id when gated).
func (o *owner) exchange() (string, reply) {
	o.t.Helper()
	tmp, _, _ := reserve(o.t, o.a, o.ws, o.token)
	blob := sealed(o.t, make([]byte, 32), []byte("hello voting"))
	return tmp, o.post("/data-token/exchange-data-for-token", url.Values{"temporaryTokenSpace": {tmp},
		"data": {base64.StdEncoding.EncodeToString(blob)}})
}

// poolView is check-pool-status's body.
type poolView struct {
	PoolID, Status, Strategy, Reason string
	StrategyParams                   string `json:"strategy_params"`
	Attempt, MaxAttempts, QuorumSize int
	Title, Question, Nonce           string
	Ballots                          struct{ Total, Yes, No, Pending int }
}

// pool reads check-pool-status of id.
func (o *owner) pool(id string) poolView {
	o.t.Helper()
	r := o.get("/voting/check-pool-status/" + id)
	want(o.t, r, http.StatusOK)
	var v poolView
	r.json(o.t, &v)
	return v
}

// awaitPool polls check-pool-status until the pool exists (its command
// resolves after the ack latency) and returns it.
func (o *owner) awaitPool(id string) poolView {
	o.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		if r := o.get("/voting/check-pool-status/" + id); r.status == http.StatusOK {
			var v poolView
			r.json(o.t, &v)
			return v
		}
		time.Sleep(2 * time.Millisecond)
	}
	o.t.Fatalf("pool %s never appeared", id)
	return poolView{}
}

// ballot casts a vote through the hook, with the owner's token.
func (o *owner) ballot(pool, device, choice string) reply {
	o.t.Helper()
	return o.postJSON("/_sim/pools/"+pool+"/ballots", map[string]string{"deviceIdentifier": device, "vote": choice})
}
