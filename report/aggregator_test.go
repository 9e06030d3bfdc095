package report

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

func encode(t testing.TB, r *Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := EncodeJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Samples recorded from many goroutines at once aggregate to exactly what
// one goroutine's recording gives: nothing lost in the shard buffers.
func TestAggregatorConcurrentEqualsSerial(t *testing.T) {
	const span = 30 * time.Second
	evs := synth(1, 3000, span)
	serial := synthResult(t, 1, 3000, span)

	a := NewAggregator(Options{Thresholds: synthThresholds(), Workloads: synthOrder(), Shards: 3})
	var wg sync.WaitGroup
	const workers = 16
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(evs); i += workers {
				feed(a, evs[i:i+1])
			}
		}()
	}
	wg.Wait()
	parallel := a.Snapshot(synthFacts(span)) // before Close: flushes the shards
	a.Close()
	if got, want := encode(t, parallel), encode(t, serial); !bytes.Equal(got, want) {
		t.Fatalf("concurrent recording differs from serial:\n%s", firstDiff(string(want), string(got)))
	}
	if n := parallel.Counters.Get(metrics.Iterations); n != 3000 {
		t.Errorf("iterations = %d; want 3000", n)
	}
	if m := parallel.Metrics["step.upload.total"]; m == nil || m.Count != 2000 {
		t.Errorf("step.upload.total = %+v; want 2000 samples", m)
	}
}

// Record and Add after Close are dropped rather than panicking or
// blocking: a straggling VU must not hang the end of a run.
func TestAggregatorAfterClose(t *testing.T) {
	a := NewAggregator(Options{})
	a.Record(metrics.Sample{Metric: "iteration", Workload: "w", Start: t0, Duration: time.Millisecond})
	a.Close()
	a.Close()
	a.Record(metrics.Sample{Metric: "iteration", Workload: "w", Start: t0, Duration: time.Millisecond})
	a.Add(metrics.Iterations, "w", 1)
	r := a.Snapshot(synthFacts(time.Second))
	if m := r.Metrics["iteration"]; m == nil || m.Count != 1 {
		t.Fatalf("iteration = %+v; want the one sample before Close", m)
	}
}

// Encoding, decoding and encoding again gives the same bytes, and the
// decoded histograms answer the same percentiles.
func TestJSONRoundTrip(t *testing.T) {
	r := synthResult(t, 2, 2000, 20*time.Second)
	first := encode(t, r)
	back, err := DecodeJSON(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	if second := encode(t, back); !bytes.Equal(first, second) {
		t.Fatalf("round trip changed the JSON:\n%s", firstDiff(string(first), string(second)))
	}
	for name, m := range r.Metrics {
		b := back.Metrics[name]
		for _, p := range []float64{50, 99, 99.9} {
			if m.Quantile(p) != b.Quantile(p) {
				t.Errorf("%s p%v: %v before, %v after", name, p, m.Quantile(p), b.Quantile(p))
			}
		}
	}
	if len(back.Thresholds) != len(r.Thresholds) || back.Thresholds[1].Threshold.Tags["workload"] != "readers" {
		t.Errorf("thresholds did not survive: %+v", back.Thresholds)
	}
}

func TestDecodeJSONRejectsOtherFiles(t *testing.T) {
	for _, in := range []string{`{}`, `[1,2]`, `{"scenario":"x","started_at":"2026-01-01T00:00:00Z","metrics":{"m":{"hdr":"nope"}}}`} {
		if _, err := DecodeJSON(bytes.NewReader([]byte(in))); err == nil {
			t.Errorf("DecodeJSON(%s) accepted it", in)
		}
	}
}

func BenchmarkRecord(b *testing.B) {
	a := NewAggregator(Options{})
	defer a.Close()
	s := metrics.Sample{Metric: "step.upload.total", Workload: "w", Step: "upload", Start: t0,
		Duration: 3 * time.Millisecond, VU: 1}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s.Duration = time.Duration(i%5000) * time.Microsecond
		a.Record(s)
	}
}

// BenchmarkRecordParallel records from GOMAXPROCS goroutines at once (and
// b.SetParallelism more), as thousands of VUs do.
func BenchmarkRecordParallel(b *testing.B) {
	a := NewAggregator(Options{})
	defer a.Close()
	b.ReportAllocs()
	b.SetParallelism(64)
	b.RunParallel(func(pb *testing.PB) {
		s := metrics.Sample{Metric: "step.upload.total", Workload: "w", Step: "upload", Start: t0,
			Duration: 3 * time.Millisecond, VU: 1}
		for pb.Next() {
			a.Record(s)
		}
	})
}

// Snapshot, Totals and AbortFailed racing with Close neither hang nor
// lose what was recorded (a scrape or the progress line at the end of a
// run does exactly this).
func TestReadsRacingClose(t *testing.T) {
	for range 50 {
		a := NewAggregator(Options{Shards: 2})
		for i := range 1000 {
			a.Record(metrics.Sample{Metric: "iteration", Workload: "w", Start: t0, Duration: time.Duration(i) * time.Microsecond})
		}
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if n := a.Snapshot(synthFacts(time.Second)).Metrics["iteration"].Count; n != 1000 {
					t.Errorf("snapshot saw %d samples; want 1000", n)
				}
				a.Totals()
				a.AbortFailed(time.Second)
			}()
		}
		a.Close()
		wg.Wait()
	}
}
