package report

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

// simulate records perSecond samples per metric for every second of span,
// straight into an owner state (no goroutines: this measures memory).
func simulate(st *state, span time.Duration, perSecond int, names []string) {
	rng := rand.New(rand.NewPCG(7, 7))
	for sec := int64(0); sec < int64(span/time.Second); sec++ {
		at := t0.Add(time.Duration(sec) * time.Second)
		for range perSecond {
			for _, m := range names {
				d := time.Duration(float64(5*time.Millisecond) * (0.3 + rng.ExpFloat64()))
				st.record(&metrics.Sample{Metric: m, Workload: "w", Start: at, Duration: d})
			}
		}
	}
}

// A day-long run keeps at most MaxPoints per metric, and coarsening loses
// no sample.
func TestSeriesBoundedOverADay(t *testing.T) {
	st := newState(Options{})
	simulate(st, 24*time.Hour, 1, []string{"step.a.total"})
	se := st.series["step.a.total"]
	if n := len(se.pts); n > defaultMaxPoints {
		t.Fatalf("%d points; want ≤ %d", n, defaultMaxPoints)
	}
	if se.width != 64 {
		t.Errorf("width %d s; want 64 (86,400 s / 2,000 points → the next power of two)", se.width)
	}
	var n int64
	for _, p := range se.points(t0) {
		n += p.Count
	}
	if n != 86400 {
		t.Errorf("series holds %d samples; want 86400", n)
	}
}

func TestSeriesAlignsToEpochMultiples(t *testing.T) {
	se := newSeries(4)
	for s := int64(1001); s < 1012; s++ {
		se.record(time.Unix(s, 0), 1000, false)
	}
	pts := se.points(time.Unix(1001, 0))
	for _, p := range pts {
		if p.TS%p.Width != 0 {
			t.Errorf("point at %d is not a multiple of its width %d", p.TS, p.Width)
		}
	}
	if se.width != 4 || len(pts) != 3 || pts[0].Count != 3 || pts[0].T != -1 {
		t.Errorf("width %d, points %+v", se.width, pts)
	}
}

// BenchmarkSeries24h records a simulated 24-hour run (10 samples per
// second for 3 metrics) and reports the points and bytes it ends with:
// bounded by MaxPoints whatever the length.
func BenchmarkSeries24h(b *testing.B) {
	names := []string{"step.a.http", "step.a.ack", "step.a.total"}
	for b.Loop() {
		st := newState(Options{})
		simulate(st, 24*time.Hour, 10, names)
		var bytes, points int
		for _, se := range st.series {
			bytes += se.memSize()
			points = max(points, len(se.pts))
		}
		b.ReportMetric(float64(points), "points/metric")
		b.ReportMetric(float64(bytes)/float64(len(names))/1e6, "MB/metric")
	}
}

// BenchmarkEncodeHour encodes the JSON result of a 1-hour run of 6
// metrics at 20 samples per second each (issue 10: ≤ 1 s).
func BenchmarkEncodeHour(b *testing.B) {
	st := newState(Options{})
	names := []string{"step.a.http", "step.a.ack", "step.a.total", "step.b.http", "step.b.total", "iteration"}
	simulate(st, time.Hour, 20, names)
	r := st.result(synthFacts(time.Hour))
	var buf bytes.Buffer
	if err := EncodeJSON(&buf, r); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(buf.Len())/1e6, "MB")
	for b.Loop() {
		if err := EncodeJSON(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
