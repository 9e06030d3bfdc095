package steps

import (
	"testing"

	"github.com/pcflow/pcflow/scenario"
	"github.com/pcflow/pcflow/sim"
)

// A composite whose expect: asks for the rejection it gets records no
// failed sample, inner operations included: the rejection was the point
// of the step, and an `errors` threshold must not count it.
func TestExpectedRejectionOfACompositeIsNoError(t *testing.T) {
	tg := startSim(t, sim.Options{})
	scn := oneWorkload(
		[]*scenario.Step{
			mk(t, "onboard", nil),
			mk(t, "gate-with-vote", map[string]any{"policyTemplateId": "tpl-data-exchange"}),
			mk(t, "set-quorum-size", map[string]any{"quorumSize": int64(5)}), // no authenticators: every pool fails
		},
		[]*scenario.Step{expectStep(mk(t, "upload", map[string]any{"size": int64(1024)}),
			scenario.Expect{CommandStatus: "rejected", Reason: "voting.no_authenticators"})},
		nil)
	if err := runOnce(t, tg, scn, 2); err != nil {
		t.Fatal(err)
	}
	if n, _ := tg.sink.count("step.upload.exchange-data-for-token.total"); n != 2 {
		t.Fatalf("%d samples of the gated exchange; want 2 (the test would hold vacuously)", n)
	}
	if f := tg.sink.failures(); len(f) != 0 {
		t.Errorf("an expected rejection left failed samples: %+v", f)
	}
}
