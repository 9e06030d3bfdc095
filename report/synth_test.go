package report

import (
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// t0 is the fixed clock of every synthetic run.
var t0 = time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)

// event is one Sink call of a synthetic run: a sample or a counter add.
type event struct {
	s       metrics.Sample
	counter metrics.Counter
	n       int64
}

// synth is a seeded synthetic run of two workloads: "writers" reserve (a
// synchronous step) then upload (an async step with http / ack halves);
// "readers" download. Latencies are log-normal-ish, a few steps fail.
func synth(seed uint64, iterations int, span time.Duration) []event {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var evs []event
	lat := func(median time.Duration) time.Duration {
		f := 0.5 + rng.ExpFloat64()*0.6
		return time.Duration(float64(median) * f)
	}
	for i := range iterations {
		start := t0.Add(time.Duration(int64(span) * int64(i) / int64(iterations)))
		vu := 1 + i%50
		wl := "writers"
		if i%3 == 2 {
			wl = "readers"
		}
		it := int64(i / 50)
		add := func(c metrics.Counter, n int64) {
			evs = append(evs, event{counter: c, n: n, s: metrics.Sample{Workload: wl}})
		}
		sample := func(metric, step string, d time.Duration, kind metrics.ErrorKind) {
			// Like package steps, no step tag: the report reads it from the name.
			_ = step
			evs = append(evs, event{s: metrics.Sample{Metric: metric, Workload: wl, Start: start,
				Duration: d, VU: vu, Iteration: it, Error: kind}})
		}
		var total time.Duration
		if wl == "writers" {
			d := lat(3 * time.Millisecond)
			sample("step.reserve.http", "reserve", d, 0)
			sample("step.reserve.total", "reserve", d, 0)
			h, a := lat(2*time.Millisecond), lat(8*time.Millisecond)
			kind := metrics.ErrNone
			if rng.IntN(100) == 0 {
				kind = metrics.ErrAckTimeout
			}
			sample("step.upload.http", "upload", h, 0)
			sample("step.upload.encrypt.total", "upload", h/4, 0) // a composite's inner operation
			sample("step.upload.ack", "upload", a, kind)
			sample("step.upload.total", "upload", h+a, kind)
			add(metrics.Requests, 2)
			add(metrics.Commands, 1)
			if kind == metrics.ErrNone {
				add(metrics.AcksOK, 1)
			} else {
				add(metrics.AcksTimeout, 1)
			}
			total = d + h + a
		} else {
			d := lat(20 * time.Millisecond)
			kind := metrics.ErrNone
			if rng.IntN(50) == 0 {
				kind = metrics.ErrHTTP5xx
			}
			sample("step.download.http", "download", d, kind)
			sample("step.download.total", "download", d, kind)
			add(metrics.Requests, 1)
			add(metrics.BytesReceived, 4096)
			total = d
		}
		add(metrics.ChecksPassed, 1)
		sample(metrics.MetricIteration, "", total, 0)
		sample(metrics.MetricScheduleLag, "", lat(50*time.Microsecond), 0)
		add(metrics.Iterations, 1)
	}
	return evs
}

func feed(s metrics.Sink, evs []event) {
	for _, e := range evs {
		if e.s.Metric == "" {
			s.Add(e.counter, e.s.Workload, e.n)
		} else {
			s.Record(e.s)
		}
	}
}

func synthFacts(span time.Duration) RunFacts {
	return RunFacts{Scenario: "store-and-retrieve", StopReason: metrics.StopNormal, StartedAt: t0, Duration: span}
}

// synthThresholds are a passing and a failing threshold of each family.
func synthThresholds() []metrics.Threshold {
	ms := float64(time.Millisecond)
	return []metrics.Threshold{
		{Metric: "step.upload.total", Stat: metrics.Stat{Kind: metrics.StatPercentile, Percentile: 95},
			Op: metrics.OpLess, Value: 400 * ms, Unit: metrics.UnitDuration, Source: "p95 < 400ms"},
		{Metric: "step.download.total", Tags: map[string]string{"workload": "readers"},
			Stat: metrics.Stat{Kind: metrics.StatPercentile, Percentile: 99}, Op: metrics.OpLess,
			Value: 20 * ms, Unit: metrics.UnitDuration, Source: "p99 < 20ms"},
		{Metric: "checks", Stat: metrics.Stat{Kind: metrics.StatRate}, Op: metrics.OpGreater, Value: 0.99,
			Source: "rate > 0.99"},
		{Metric: "errors", Stat: metrics.Stat{Kind: metrics.StatRate}, Op: metrics.OpLess, Value: 0.01,
			Source: "rate < 1%"},
		{Metric: "acks_lost", Stat: metrics.Stat{Kind: metrics.StatCount}, Op: metrics.OpEqual, Value: 0,
			Source: "count == 0"},
	}
}

func synthOrder() []WorkloadOrder {
	return []WorkloadOrder{{Name: "writers", Steps: []string{"reserve", "upload"}},
		{Name: "readers", Steps: []string{"download"}}}
}

// synthResult aggregates a synthetic run in one goroutine.
func synthResult(t testing.TB, seed uint64, iterations int, span time.Duration) *Result {
	a := NewAggregator(Options{Thresholds: synthThresholds(), Workloads: synthOrder()})
	feed(a, synth(seed, iterations, span))
	a.Close()
	return a.Snapshot(synthFacts(span))
}

// golden compares got with testdata/NAME, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (go test ./report -run %s -update to accept):\n%s",
			name, t.Name(), firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	wl, gl := splitLines(want), splitLines(got)
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\nwant: " + w + "\ngot:  " + g
		}
	}
	return "(equal lines, different endings)"
}

func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		out = append(out, s[:i])
		if i < len(s) {
			i++
		}
		s = s[i:]
	}
	return out
}
