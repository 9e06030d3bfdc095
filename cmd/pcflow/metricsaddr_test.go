package main

import (
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// A scrape of --metrics-addr while `pcflow run` runs parses in the
// exposition format and shows the scenario's step metrics.
func TestMetricsAddrServesTheRunWhileItRuns(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // a free loopback port for the run to take
	dir := t.TempDir()
	file := writeFile(t, dir, "health.yaml", `name: health
load: {executor: constant-vus, vus: 2, duration: 3s}
steps:
  - check-server-health: {}
  - sleep: 10ms
`)
	type exit struct {
		code      int
		out, errs string
	}
	done := make(chan exit, 1)
	go func() {
		code, out, errs := runCLI(t, "run", "--quiet", "--sim-ack-latency", "0s", "--metrics-addr", addr, file)
		done <- exit{code, out, errs}
	}()
	var steps map[string]bool
	deadline := time.Now().Add(20 * time.Second)
	for !steps["check-server-health"] && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			continue // not listening yet
		}
		parser := expfmt.NewTextParser(model.UTF8Validation)
		fams, err := parser.TextToMetricFamilies(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("the scrape does not parse: %v", err)
		}
		steps = map[string]bool{}
		for _, m := range fams["pcflow_latency_seconds"].GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "step" && m.GetHistogram().GetSampleCount() > 0 {
					steps[l.GetValue()] = true
				}
			}
		}
	}
	if !steps["check-server-health"] {
		t.Errorf("no scrape during the run showed step check-server-health; last saw %v", steps)
	}
	select {
	case e := <-done:
		if e.code != exitOK {
			t.Fatalf("run exited %d: %s", e.code, e.errs)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the run did not end")
	}
}
