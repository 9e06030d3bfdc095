package report

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

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
	foreign, _ := hdr.New(1, 1000, 2).Encode(hdr.V2CompressedEncodingCookieBase) // another tool's layout
	for _, in := range []string{`{}`, `[1,2]`, `{"scenario":"x","started_at":"2026-01-01T00:00:00Z","metrics":{"m":{"hdr":"nope"}}}`,
		`{"scenario":"x","started_at":"2026-01-01T00:00:00Z","metrics":{"m":{"hdr":"` + string(foreign) + `"}}}`} {
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

// BenchmarkRecordCall times Record alone (shard pick, lock, copy, the
// hand-off of every 256th): its owner drops the batches unread.
func BenchmarkRecordCall(b *testing.B) {
	a := newAggregator(Options{}, true)
	defer a.Close()
	s := metrics.Sample{Metric: "step.upload.total", Workload: "w", Start: t0, Duration: 3 * time.Millisecond}
	b.ReportAllocs()
	for b.Loop() {
		a.Record(s)
	}
}

// BenchmarkFold times the owner's share per sample: the histogram, the
// time series and the tallies, with 6 tag sets and a clock that advances
// 10 µs a sample — 100,000 samples a second, a heavy run, where the
// owner's cost matters (at a light one it is idle anyway).
func BenchmarkFold(b *testing.B) {
	st := newState(Options{})
	names := []string{"step.a.http", "step.a.ack", "step.a.total", "step.b.http", "step.b.total", "iteration"}
	var batch batch
	for i := range batch.e {
		batch.e[i].s = metrics.Sample{Metric: names[i%len(names)], Workload: "w",
			Duration: time.Duration(1000+i*37) * time.Microsecond}
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range batch.e {
			batch.e[i].s.Start = t0.Add(time.Duration(n*batchSize+i) * 10 * time.Microsecond)
		}
		batch.n = batchSize
		st.fold(&batch)
		n++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*batchSize), "ns/sample")
}

// BenchmarkRecordParallel records from 64 × GOMAXPROCS goroutines at
// once, as thousands of VUs do. Its ns/op is the whole aggregator's
// throughput, so it is bounded below by the one owner's fold
// (BenchmarkFold), which shares the CPUs with the recording goroutines.
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

// Names built per sample (against Sample's contract) still land in one
// tag set each, and the address cache stays bounded.
func TestNamesBuiltPerSample(t *testing.T) {
	st := newState(Options{})
	for i := range 10000 {
		name := strings.Clone("step.x.total")
		st.record(&metrics.Sample{Metric: name, Workload: strings.Clone("w"), Start: t0, Duration: time.Duration(i)})
	}
	if len(st.tracks) != 1 || st.tracks[tagKey{"step.x.total", "w", ""}].hist.TotalCount() != 10000 {
		t.Errorf("%d tracks", len(st.tracks))
	}
	if len(st.fast) > 1100 {
		t.Errorf("the address cache grew to %d entries", len(st.fast))
	}
}
