package sim_test

import (
	"encoding/base64"
	"fmt"
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

// BenchmarkBallotOnUnknownPool is issue 13's row "an anonymous ballot on
// an unknown pool at 100,000 profiles: 5.0 ms instead of 0.16 ms" (it
// scanned every profile). The hook now needs the owner's token and looks
// the pool up in that profile, so the cost must not grow with the number
// of profiles: compare profiles=1000 with profiles=100000.
func BenchmarkBallotOnUnknownPool(b *testing.B) {
	for _, n := range []int{1000, 100_000} {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			users := make([]sim.User, n)
			for i := range users {
				users[i] = sim.User{Name: fmt.Sprintf("u%d", i), Password: "pw"}
			}
			srv := start(b, sim.Options{Users: users})
			a := newAPI(b, srv)
			token := a.login("u0", "pw")
			body := map[string]string{"deviceIdentifier": "d", "vote": "approve"}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if r := a.postJSON("/_sim/pools/pool-unknown/ballots", token, body); r.status != 404 {
					b.Fatalf("ballot on an unknown pool: %d %s", r.status, r.body)
				}
			}
		})
	}
}
