package report

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/pcflow/pcflow/metrics"
)

// A scrape of the metrics server while VUs record parses in the exposition
// format and shows the step metrics, counters and errors.
func TestMetricsServerScrapeDuringRun(t *testing.T) {
	a := NewAggregator(Options{})
	defer a.Close()
	srv, err := ServeMetrics("127.0.0.1:0", a)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { // VUs keep recording during the scrape
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				kind := metrics.ErrNone
				if i%10 == 0 {
					kind = metrics.ErrAckTimeout
				}
				a.Record(metrics.Sample{Metric: "step.upload.total", Workload: "writers", Start: t0,
					Duration: time.Duration(1+i%40) * time.Millisecond, Error: kind})
				a.Add(metrics.Requests, "writers", 1)
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	for range 2 { // twice, while recording goes on
		resp, err := http.Get("http://" + srv.Addr() + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		parser := expfmt.NewTextParser(model.UTF8Validation)
		fams, err := parser.TextToMetricFamilies(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("the scrape does not parse: %v", err)
		}
		lat := fams["pcflow_latency_seconds"]
		if lat == nil || len(lat.Metric) == 0 {
			t.Fatalf("no pcflow_latency_seconds in %v", keys(fams))
		}
		m := lat.Metric[0]
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["step"] != "upload" || labels["phase"] != "total" || labels["workload"] != "writers" {
			t.Errorf("labels %v", labels)
		}
		h := m.Histogram
		if h.GetSampleCount() == 0 || h.Bucket[len(h.Bucket)-1].GetCumulativeCount() != h.GetSampleCount() {
			t.Errorf("histogram: count %d, last bucket %d", h.GetSampleCount(), h.Bucket[len(h.Bucket)-1].GetCumulativeCount())
		}
		if fams["pcflow_events_total"] == nil || fams["pcflow_step_errors_total"] == nil {
			t.Errorf("counters or errors missing: %v", keys(fams))
		}
	}
}

func keys[V any](m map[string]V) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return strings.Join(ks, ", ")
}
