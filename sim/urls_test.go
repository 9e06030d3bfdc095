package sim_test

import (
	"testing"

	"github.com/pcflow/pcflow/sim"
)

func TestURLsLineRoundTrips(t *testing.T) {
	u := sim.URLs{API: "http://127.0.0.1:1", WS: "ws://127.0.0.1:2", Upstream: "http://127.0.0.1:3", Downstream: "http://127.0.0.1:4"}
	got, err := sim.ParseURLsLine(u.Line() + "\n")
	if err != nil || got != u {
		t.Fatalf("ParseURLsLine(Line()) = %+v, %v; want %+v", got, err, u)
	}
	for _, bad := range []string{"", "pcflow sim: api=x ws=y", "api=a ws=b upstream=c downstream=d"} {
		if _, err := sim.ParseURLsLine(bad); err == nil {
			t.Errorf("ParseURLsLine(%q) accepted it", bad)
		}
	}
}
