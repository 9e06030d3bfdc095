package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/report"
)

// resultFile writes a small result of segment seg whose upload step takes
// about base; it returns the file's path.
func resultFile(t *testing.T, name, seg string, base time.Duration) string {
	t.Helper()
	start := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	a := report.NewAggregator(report.Options{Thresholds: []metrics.Threshold{{Metric: "step.upload.total",
		Stat: metrics.Stat{Kind: metrics.StatPercentile, Percentile: 95}, Op: metrics.OpLess,
		Value: float64(50 * time.Millisecond), Unit: metrics.UnitDuration, Source: "p95 < 50ms"}}})
	for i := range 5000 {
		a.Record(metrics.Sample{Metric: "step.upload.total", Workload: "w", Start: start.Add(time.Duration(i) * time.Millisecond),
			Duration: base + time.Duration(i%100)*time.Microsecond})
		a.Add(metrics.Iterations, "w", 1)
	}
	a.Close()
	r := a.Snapshot(report.RunFacts{Scenario: "s", StartedAt: start, Duration: 5 * time.Second, Segment: seg})
	path := filepath.Join(t.TempDir(), name)
	var b bytes.Buffer
	if err := report.EncodeJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReportMergeCompareCommands(t *testing.T) {
	fast := resultFile(t, "a.json", "0/2", 3*time.Millisecond)
	fast2 := resultFile(t, "b.json", "1/2", 3*time.Millisecond)
	slow := resultFile(t, "c.json", "0/1", 6*time.Millisecond)
	merged := filepath.Join(t.TempDir(), "m.json")
	cases := []struct {
		what string
		args []string
		code int
		out  string
	}{
		{"report prints the summary", []string{"report", fast}, exitOK, "step.upload.total"},
		{"report renders csv to stdout", []string{"report", fast, "--out", "csv=-"}, exitOK, "metric,t_s"},
		{"report refuses an unknown kind", []string{"report", fast, "--out", "pdf=x"}, exitBadArgs, ""},
		{"report refuses a missing file", []string{"report", "nosuch.json"}, exitBadArgs, ""},
		{"merge combines two halves", []string{"merge", "--out", "json=" + merged, fast, fast2}, exitOK, "step.upload.total"},
		{"merge refuses overlapping segments", []string{"merge", fast, fast}, exitBadArgs, ""},
		{"compare of a run with itself passes", []string{"compare", fast, fast2}, exitOK, "no regression"},
		{"compare flags a slow-down", []string{"compare", fast, slow}, exitFailed, "✗ regression"},
		{"compare tolerates it with a wide margin", []string{"compare", "--max-regression", "150%", fast, slow}, exitOK, ""},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(context.Background(), c.args, stdio{out: &out, err: &errb})
		if code != c.code || !strings.Contains(out.String(), c.out) {
			t.Errorf("%s: exit %d (want %d); stdout lacks %q?\n%s%s", c.what, code, c.code, c.out, out.String(), errb.String())
		}
	}
	if b, err := os.ReadFile(merged); err != nil {
		t.Errorf("merge wrote no file: %v", err)
	} else if !strings.Contains(string(b), `"segment": "0/1"`) {
		t.Errorf("two halves merged do not make the whole run (segment 0/1):\n%s", b)
	}
}

func TestStartMetricsServesGauges(t *testing.T) {
	a := report.NewAggregator(report.Options{})
	defer a.Close()
	a.Record(metrics.Sample{Metric: "step.upload.total", Workload: "w", Duration: time.Millisecond})
	srv, err := startMetrics("127.0.0.1:0", a, func() int { return 7 }, func() int { return 10 })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get("http://" + srv.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"pcflow_vus 7", "pcflow_vus_max 10", `pcflow_latency_seconds_count{metric="step.upload.total",phase="total",step="upload",workload="w"} 1`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the scrape lacks %q:\n%s", want, body)
		}
	}
	if srv, err := startMetrics("", a, nil, nil); srv != nil || err != nil {
		t.Errorf("no --metrics-addr: %v, %v; want no server", srv, err)
	}
	if _, err := startMetrics("256.0.0.1:x", a, nil, nil); err == nil {
		t.Error("a bad address was accepted")
	}
}
