package sim_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// TestConcurrentGatedExchanges: many gated exchanges at once, virtual
// authenticators answering with jitter while the hook votes too: every
// command gets exactly one terminal ack, and it is 2.
func TestConcurrentGatedExchanges(t *testing.T) {
	t.Parallel()
	const n = 40
	srv := start(t, sim.Options{Vote: sim.VoteApprove, VoteLatency: sim.Latency{Max: 5 * time.Millisecond}, Workers: 4})
	o := newOwner(t, srv, "alice")
	phones := o.authenticators(3)
	o.votingConfig(map[string]any{"name": "majority", "strategy": "consensus", "timeLimit": 60, "deviceIdentifiers": []string{}})
	o.gateExchange("gate", "majority")
	tmps := make([]string, n)
	for i := range tmps {
		tmps[i], _, _ = reserve(t, o.a, o.ws, o.token)
	}
	blob := base64.StdEncoding.EncodeToString(sealed(t, make([]byte, 32), []byte("concurrent")))
	ids := make([]string, n)
	var wg sync.WaitGroup
	hc := http.Client{Timeout: waitLimit}
	for i := range n { // plain net/http here: t.Fatal belongs to the test goroutine
		wg.Go(func() {
			ids[i] = postForID(srv.URLs().API+"/data-token/exchange-data-for-token", o.token,
				url.Values{"temporaryTokenSpace": {tmps[i]}, "data": {blob}})
			ballot := `{"deviceIdentifier":"` + phones[i%3] + `","vote":"approve"}`
			// races the virtual authenticators: 200, 404 (not open yet) or 409 (ended) are all fine
			if resp, err := hc.Post(srv.URLs().API+"/_sim/pools/"+ids[i]+"/ballots", "application/json",
				strings.NewReader(ballot)); err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	if slices.Contains(ids, "") {
		t.Fatalf("some exchanges were not accepted: %q", ids)
	}
	acks := map[string][]float64{}
	deadline := time.After(waitLimit)
	for len(acks) < n {
		select {
		case m := <-o.ws.msgs:
			if d, ok := m["data"].(map[string]any); ok && d["type"] == "X-DPT-CAB-ID" {
				acks[d["id"].(string)] = append(acks[d["id"].(string)], d["command_status"].(float64))
			}
		case <-deadline:
			t.Fatalf("%d of %d gated exchanges acked", len(acks), n)
		}
	}
	o.ws.quiet(100 * time.Millisecond)
	for _, id := range ids {
		if got := acks[id]; len(got) != 1 || got[0] != 2 {
			t.Errorf("exchange %s acks %v; want exactly one 2", id, got)
		}
	}
}

// postForID posts form with token and returns the 202's command id (its
// x-dpt-cab-id header), or "" on any failure.
func postForID(u, token string, form url.Values) string {
	req, err := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	if err != nil {
		return ""
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-DPT-AUTHORIZATION", token)
	cl := http.Client{Timeout: waitLimit}
	resp, err := cl.Do(req)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return ""
	}
	return resp.Header.Get("X-Dpt-Cab-Id")
}
