package scenario_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		err  string // a part of the message; "" for none
	}{
		{"512", 512, ""},
		{"1KiB", 1024, ""},
		{"1.5MB", 1_500_000, ""},
		{"3MiB", 3 << 20, ""},
		{"2 GiB", 2 << 30, ""},
		{"1kB", 1000, ""},
		{"0", 0, ""},
		{"1.5B", 0, "whole number of bytes"},
		{"-1KiB", 0, "negative"},
		{"4KB2", 0, "want a size like"},
		{"1e3", 0, "want a size like"},
		{"2PiB", 0, "want a size like"},
		{"99999TiB", 0, "out of range"},
		{"NaN", 0, "want a size like"},
	} {
		got, err := scenario.ParseSize(c.in)
		if c.err == "" && (err != nil || got != c.want) || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("ParseSize(%q) = %d, %v; want %d, %q", c.in, got, err, c.want, c.err)
		}
	}
}

func TestParseRate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64 // per second
		err  string
	}{
		{"50/s", 50, ""},
		{"3000/m", 50, ""},
		{"1/h", 1.0 / 3600, ""},
		{"5/10s", 0.5, ""},
		{"50", 0, "want a rate like"},
		{"0/s", 0, "above zero"},
		{"-5/s", 0, "above zero"},
		{"2000000/s", 0, "out of range"},
		{"5/0s", 0, "want a rate like"},
		{"Inf/s", 0, "want a rate like"},
	} {
		got, err := scenario.ParseRate(c.in)
		if c.err == "" && (err != nil || math.Abs(got.PerSecond()-c.want) > 1e-9) || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("ParseRate(%q) = %v, %v; want %v/s, %q", c.in, got.PerSecond(), err, c.want, c.err)
		}
	}
}

func TestParseRangeAndDuration(t *testing.T) {
	if r, err := scenario.ParseRange("200ms..800ms"); err != nil || r != (scenario.Range{Min: 200 * time.Millisecond, Max: 800 * time.Millisecond}) {
		t.Errorf("range = %v, %v", r, err)
	}
	if r, err := scenario.ParseRange("1s"); err != nil || r.Min != time.Second || r.Max != time.Second {
		t.Errorf("fixed range = %v, %v", r, err)
	}
	for _, bad := range []string{"800ms..200ms", "200..800ms", "..1s", "1s.."} {
		if _, err := scenario.ParseRange(bad); err == nil {
			t.Errorf("ParseRange(%q) accepted", bad)
		}
	}
	if d, err := scenario.ParseDuration("1m30s"); err != nil || d != 90*time.Second {
		t.Errorf("1m30s = %v, %v", d, err)
	}
	for _, bad := range []string{"30", "-1s", "soon", ""} {
		if _, err := scenario.ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

func TestThresholdForms(t *testing.T) {
	s := load(t, `
steps:
  - upload: {size: 1KiB}
    name: up
thresholds:
  step.up.total: [p99.9 < 1.5s, "count >= 10"]
  step.up.reserve.http: ["max <= 200ms"]
  checks: "rate > 99%"
  dropped_iterations:
    - {expr: count == 0, abort-on-fail: true, delay: 10s}
`, nil)
	want := []metrics.Threshold{
		{Metric: "step.up.total", Stat: metrics.Stat{Kind: metrics.StatPercentile, Percentile: 99.9}, Op: metrics.OpLess, Value: 1.5e9, Unit: metrics.UnitDuration, Source: "p99.9 < 1.5s", Pos: "t.yaml:6:19"},
		{Metric: "step.up.total", Stat: metrics.Stat{Kind: metrics.StatCount}, Op: metrics.OpGreaterEqual, Value: 10, Source: "count >= 10", Pos: "t.yaml:6:33"},
		{Metric: "step.up.reserve.http", Stat: metrics.Stat{Kind: metrics.StatMax}, Op: metrics.OpLessEqual, Value: 2e8, Unit: metrics.UnitDuration, Source: "max <= 200ms", Pos: "t.yaml:7:26"},
		{Metric: "checks", Stat: metrics.Stat{Kind: metrics.StatRate}, Op: metrics.OpGreater, Value: 0.99, Source: "rate > 99%", Pos: "t.yaml:8:11"},
		{Metric: "dropped_iterations", Stat: metrics.Stat{Kind: metrics.StatCount}, Op: metrics.OpEqual, Value: 0, Source: "count == 0", Pos: "t.yaml:10:14", AbortOnFail: true, Delay: 10 * time.Second},
	}
	if len(s.Thresholds) != len(want) {
		t.Fatalf("%d thresholds, want %d: %+v", len(s.Thresholds), len(want), s.Thresholds)
	}
	for i, got := range s.Thresholds {
		w := want[i]
		if got.Metric != w.Metric || got.Stat != w.Stat || got.Op != w.Op || math.Abs(got.Value-w.Value) > 1e-9 || got.Unit != w.Unit ||
			got.Source != w.Source || got.Pos != w.Pos || got.AbortOnFail != w.AbortOnFail || got.Delay != w.Delay || got.Tags != nil {
			t.Errorf("threshold %d = %+v\nwant %+v", i, got, w)
		}
	}
}
