package sim_test

import (
	"encoding/base64"
	"net/url"
	"testing"

	"github.com/pcflow/pcflow/sim"
)

// BenchmarkExchange compares one client's store path (reserve, then
// exchange-data-for-token, each acked on its socket) with and without a
// policy that puts the exchange to a vote of three virtual authenticators
// approving at once: the difference is what a pool costs a gated command.
func BenchmarkExchange(b *testing.B) {
	for _, gated := range []bool{false, true} {
		name := "ungated"
		if gated {
			name = "gated-3-authenticators"
		}
		b.Run(name, func(b *testing.B) {
			srv := start(b, sim.Options{Vote: sim.VoteApprove})
			o := newOwner(b, srv, "bench")
			if gated {
				o.authenticators(3)
				o.votingConfig(map[string]any{"name": "all", "strategy": "unanimous", "timeLimit": 60, "deviceIdentifiers": []string{}})
				o.gateExchange("gate", "all")
			}
			blob := base64.StdEncoding.EncodeToString(sealed(b, make([]byte, 32), []byte("benchmark")))
			b.ReportAllocs()
			for b.Loop() {
				tmp, _, _ := reserve(b, o.a, o.ws, o.token)
				o.ok(o.post("/data-token/exchange-data-for-token", url.Values{"temporaryTokenSpace": {tmp}, "data": {blob}}))
			}
		})
	}
}
