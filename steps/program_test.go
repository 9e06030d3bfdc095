package steps

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
	"github.com/pcflow/pcflow/sim"
)

// The main example scenario's shape, hand-built: onboard in vu-setup,
// upload and verified download (inline and streamed), reads, think time,
// revoke in vu-teardown, health checks in setup and teardown.
func TestStoreAndRetrieveAgainstSimulator(t *testing.T) {
	tg := startSim(t, sim.Options{})
	var trace bytes.Buffer
	tg.opts.Trace = &trace
	scn := oneWorkload(
		[]*scenario.Step{mk(t, "onboard", nil)},
		[]*scenario.Step{
			mk(t, "upload", map[string]any{"size": int64(2048)}),
			mk(t, "download", map[string]any{"verify": true}),
			mk(t, "upload", map[string]any{"size": int64(100 << 10)}),
			mk(t, "download", map[string]any{"verify": true}),
			mk(t, "list-data-tokens", nil),
			mk(t, "sleep", map[string]any{"duration": scenario.Range{Min: 1e6, Max: 2e6}}),
		},
		[]*scenario.Step{mk(t, "revoke-authorization-token", nil)},
	)
	scn.Setup = []*scenario.Step{mk(t, "check-server-health", nil)}
	scn.Teardown = []*scenario.Step{mk(t, "check-server-health", nil)}
	if err := runOnce(t, tg, scn, 2); err != nil {
		t.Fatalf("run: %v\n%s", err, diag(err))
	}
	if f := tg.sink.failures(); len(f) > 0 {
		t.Fatalf("failed samples: %+v", f)
	}
	for metric, want := range map[string]int{
		"step.upload.total": 4, "step.download.total": 4, "step.list-data-tokens.http": 2,
		"step.upload.reserve-token-space.ack": 4, "step.upload.upstream-file.http": 2,
		"step.download.download-data.http": 2, "step.onboard.register-profile.total": 1,
		"step.check-server-health.total": 2, "step.revoke-authorization-token.total": 1,
	} {
		if n, _ := tg.sink.count(metric); n != want {
			t.Errorf("%s: %d samples, want %d", metric, n, want)
		}
	}
	if n, _ := tg.sink.count("step.sleep.total"); n != 0 {
		t.Errorf("sleep emitted %d samples", n)
	}
	c := tg.sink.counters
	if c[metrics.AcksOK] == 0 || c[metrics.Requests] == 0 || c[metrics.BytesSent] < 2*(100<<10) {
		t.Errorf("counters: %v", c)
	}
	if strings.Contains(trace.String(), "Pc1!") {
		t.Errorf("the trace prints a password:\n%s", trace.String())
	}
	t.Log("\n" + trace.String())
	if !strings.Contains(trace.String(), "GET /data-token/list-data-tokens → 200") {
		t.Errorf("trace lacks the list call:\n%s", trace.String())
	}
}

// A negative step passes when its expectation of failure holds, and a
// step without a session fails with a diagnosis instead of a panic.
func TestExpectationsAndDiagnosis(t *testing.T) {
	tg := startSim(t, sim.Options{})
	scn := oneWorkload(
		[]*scenario.Step{mk(t, "onboard", nil)},
		[]*scenario.Step{
			expectStep(mk(t, "download", map[string]any{"token": "dtk-nosuch"}), scenario.Expect{Status: 404}),
			expectStep(mk(t, "list-data-tokens", nil), scenario.Expect{Status: 200}),
		}, nil)
	if err := runOnce(t, tg, scn, 1); err != nil {
		t.Fatalf("negative steps failed: %v\n%s", err, diag(err))
	}
	scn = oneWorkload(nil, []*scenario.Step{mk(t, "list-data-tokens", nil)}, nil)
	err := runOnce(t, tg, scn, 1)
	var se *engine.StepError
	if !errors.As(err, &se) || se.ErrorKind != "ws_closed" || !strings.Contains(se.Diagnosis, "GET /data-token/list-data-tokens") {
		t.Fatalf("got %v (%+v)", err, se)
	}
}

func diag(err error) string {
	var se *engine.StepError
	if errors.As(err, &se) {
		return se.ErrorKind + "\n" + se.Diagnosis
	}
	return ""
}
