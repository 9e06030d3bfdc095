package steps

import (
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/sim"
)

// A gated exchange whose vote outlasts the session's ack timeout (200 ms
// here; the authenticators answer after 600 ms) succeeds when the step's
// timeout: is longer — outlastAck polls request-status — and is an ack
// timeout without one.
func TestStepTimeoutOutlastsTheSessionsAckTimeout(t *testing.T) {
	tg := startSim(t, sim.Options{VoteLatency: sim.Latency{Min: 600 * time.Millisecond, Max: 600 * time.Millisecond}})
	tg.opts.StepTimeout = 200 * time.Millisecond
	tg.opts.Seed = 0 // two runs on one simulator: fresh names each
	src := func(timeout string) string {
		return `
name: outlast
vu-setup:
  - onboard: {}
  - register-authenticator-device: {}
  - list-authenticators: {}
  - gate-with-vote: {name: gate, policyTemplateId: tpl-data-exchange, applyingEventIds: ["11"], strategy: unanimous,
      timeLimit: 30, deviceIdentifiers: ["${device_ids[0]}"]}
steps:
  - reserve-token-space: {context: gated}
  - retrieve-temporary-data-token: {commandId: "${reservation_id}"}
  - exchange-data-for-token: {temporaryTokenSpace: "${temporary_token}", data: "waits for a vote"}
` + timeout
	}
	if err := runOnce(t, tg, parse(t, src("    timeout: 5s\n")), 1); err != nil {
		t.Fatalf("with timeout: 5s: %v\n%s", err, diag(err))
	}
	if n := tg.sink.counters[metrics.AcksTimeout]; n != 0 || tg.sink.counters[metrics.AcksOK] == 0 {
		t.Fatalf("acks_timeout %d, acks_ok %d: the outlasted ack must count as ok", n, tg.sink.counters[metrics.AcksOK])
	}
	tg.sink = &recorder{}
	tg.opts.Sink = tg.sink
	err := runOnce(t, tg, parse(t, src("")), 1)
	if err == nil || tg.sink.counters[metrics.AcksTimeout] != 1 {
		t.Fatalf("without a timeout: %v, acks_timeout %d; want the session's ack timeout", err, tg.sink.counters[metrics.AcksTimeout])
	}
}
