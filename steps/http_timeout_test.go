package steps

import (
	"net"
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

// A plain http step against a target that accepts and never answers ends
// by the step timeout, as a timeout: it does not hold the VU until the
// run's graceful stop.
func TestHTTPStepAgainstASilentTargetTimesOut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() }) // hold it open, say nothing
		}
	}()
	rec := &recorder{}
	tg := &target{sink: rec, opts: Options{APIURL: "http://" + ln.Addr().String(), WSURL: "ws://" + ln.Addr().String(),
		Sink: rec, Seed: 1, StepTimeout: 200 * time.Millisecond}}
	st := mk(t, "http", map[string]any{"method": "GET", "path": "/health", "auth": "none"})
	err = runOnce(t, tg, oneWorkload(nil, []*scenario.Step{st}, nil), 1)
	if err == nil {
		t.Fatal("the step succeeded against a target that never answers")
	}
	fails := rec.failures()
	if len(fails) == 0 || fails[0].Error != metrics.ErrTimeout {
		t.Fatalf("failures %+v (err %v): want one of kind timeout", fails, err)
	}
}
