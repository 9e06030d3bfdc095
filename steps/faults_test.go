package steps

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
	"github.com/pcflow/pcflow/sim"
)

// Every fault the simulator can inject ends in a classified error kind,
// never "other": classification is by type, so an unclassified failure
// means a typed error is missing or classify does not know it.
func TestEverySimulatorFaultIsClassified(t *testing.T) {
	for _, c := range []struct {
		name string
		opts sim.Options
		want metrics.ErrorKind // a kind the fault must produce; ErrNone: it may be absorbed
		seen metrics.Counter   // a counter the fault must move (requests: any run moves it)
	}{
		{"a rejected command is ack_rejected", sim.Options{RejectRate: 0.3}, metrics.ErrAckRejected, metrics.Requests},
		{"a dropped ack is reconciled through request-status", sim.Options{DropAckRate: 0.3}, metrics.ErrNone, metrics.Requests},
		{"a duplicate ack is counted, not a failure", sim.Options{DuplicateAckRate: 0.5}, metrics.ErrNone, metrics.AcksDuplicate},
		{"a 503 is http_5xx", sim.Options{HTTPErrorRate: 0.2}, metrics.ErrHTTP5xx, metrics.Requests},
		{"a socket dropped every 20ms reconnects or is ws_closed", sim.Options{WSDropEvery: 20 * time.Millisecond}, metrics.ErrNone, metrics.Reconnects},
		{"a stalled ack beyond the ack timeout is ack_timeout", sim.Options{Stall: sim.Stall{Hold: 1, Every: 3}, StallFor: 2 * time.Second}, metrics.ErrAckTimeout, metrics.Requests},
		{"an ack before its 202 is still correlated", sim.Options{AckBeforeResponse: true}, metrics.ErrNone, metrics.Requests},
		{"command ids in every body shape are read", sim.Options{CommandIDShape: "mixed"}, metrics.ErrNone, metrics.Requests},
		{"a pending status before the terminal one is ignored", sim.Options{EmitPendingStatus: true}, metrics.ErrNone, metrics.Requests},
		{"the site's streamed-download reading works", sim.Options{OutputTypeMode: "site"}, metrics.ErrNone, metrics.Requests},
		{"a missing storage device is ack_rejected", sim.Options{RequireStorageDevice: true}, metrics.ErrAckRejected, metrics.Requests},
		{"a full vault is a rejection or a 507", sim.Options{MaxStoredBytes: 64 << 10}, metrics.ErrNone, metrics.Requests},
		{"ack latency with every fault at once", sim.Options{AckLatency: sim.Latency{Min: time.Millisecond, Max: 5 * time.Millisecond},
			RejectRate: 0.1, DropAckRate: 0.1, DuplicateAckRate: 0.1, HTTPErrorRate: 0.1, WSDropEvery: 50 * time.Millisecond}, metrics.ErrNone, metrics.Requests},
	} {
		t.Run(c.name, func(t *testing.T) {
			tg := startSim(t, c.opts)
			tg.opts.StepTimeout = 300 * time.Millisecond // ack waits end fast; reconciliation follows
			kinds := driveFaults(t, tg, 3, 8)
			t.Logf("failures by kind: %v", kinds)
			if kinds[metrics.ErrOther] > 0 {
				t.Errorf("%d failures classified other: %v", kinds[metrics.ErrOther], kinds)
			}
			if c.want != metrics.ErrNone && kinds[c.want] == 0 {
				t.Errorf("no %s failure among %v", c.want, kinds)
			}
			if n := tg.sink.counters[c.seen]; n == 0 {
				t.Errorf("counter %s stayed 0", c.seen)
			}
		})
	}
}

// driveFaults runs vus VUs for n iterations each, going on after failed
// iterations as the engine does, and counts every failed sample's kind
// and every StepError's kind.
func driveFaults(t *testing.T, tg *target, vus, n int) map[metrics.ErrorKind]int {
	scn := oneWorkload(
		[]*scenario.Step{mk(t, "onboard", nil)},
		[]*scenario.Step{
			mk(t, "upload", map[string]any{"size": int64(2048)}),
			mk(t, "download", map[string]any{"verify": true}),
			mk(t, "upload", map[string]any{"size": int64(80 << 10)}),
			mk(t, "download", map[string]any{"verify": true}),
			mk(t, "list-data-tokens", nil),
			mk(t, "reserve-token-space", nil),
		}, nil)
	prog, err := Compile(scn, tg.opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	defer prog.Teardown(ctx) // closes the client's idle connections, which would hold the simulator's shutdown
	kinds := map[metrics.ErrorKind]int{}
	var mu sync.Mutex
	note := func(err error) {
		var se *engine.StepError
		if errors.As(err, &se) {
			k, _ := metrics.ParseErrorKind(se.ErrorKind)
			if se.ErrorKind == "other" {
				t.Logf("other: %s\n%s", se.Message, se.Diagnosis)
			}
			mu.Lock()
			kinds[k]++
			mu.Unlock()
		}
	}
	var wg sync.WaitGroup
	for id := 1; id <= vus; id++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vu, _ := prog.NewVU("w", id)
			defer vu.Teardown(ctx)
			for try := 0; try < 3; try++ { // onboarding meets the faults too
				err := vu.Setup(ctx)
				note(err)
				if err == nil {
					break
				}
			}
			for i := range n {
				note(vu.Run(ctx, engine.Iteration{N: int64(i), Scheduled: time.Now()}))
			}
		}()
	}
	wg.Wait()
	for _, s := range tg.sink.failures() {
		if s.Error == metrics.ErrOther {
			kinds[metrics.ErrOther]++
			t.Logf("sample %s failed as other", s.Metric)
		}
	}
	return kinds
}
