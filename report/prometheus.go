package report

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pcflow/pcflow/metrics"
)

// promBuckets are the latency buckets (seconds) of the exposed histograms:
// 1 ms to 1 min, dense where Privicore's steps fall (a few ms to seconds).
func promBuckets() []float64 {
	return []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}
}

// collector exposes the aggregator's live state. It computes everything
// at scrape time from the histograms the run keeps anyway, so a scraped
// run pays nothing on the hot path.
type collector struct {
	a       *Aggregator
	latency *prometheus.Desc
	counter *prometheus.Desc
	errors  *prometheus.Desc
	extra   []prometheus.Collector
}

func newCollector(a *Aggregator, extra []prometheus.Collector) *collector {
	return &collector{a: a, extra: extra,
		latency: prometheus.NewDesc("pcflow_latency_seconds",
			"Latency of each step phase, iteration and schedule lag (DESIGN.md metric names).",
			[]string{"metric", "step", "phase", "workload"}, nil),
		counter: prometheus.NewDesc("pcflow_events_total",
			"The run's counters (requests, commands, acks_ok, acks_timeout, …) per workload.",
			[]string{"counter", "workload"}, nil),
		errors: prometheus.NewDesc("pcflow_step_errors_total",
			"Failed steps by error kind per workload.", []string{"kind", "workload"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.latency
	ch <- c.counter
	ch <- c.errors
	for _, x := range c.extra {
		x.Describe(ch)
	}
}

// Collect implements prometheus.Collector: one pass over the owner's state
// turns each histogram into cumulative bucket counts.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	var out []prometheus.Metric
	bounds := promBuckets()
	c.a.do(func(st *state) {
		for k, tr := range st.tracks {
			step, phase := stepPhase(k.metric)
			if k.step != "" {
				step = k.step
			}
			count, sum, buckets := promHistogram(tr, bounds)
			out = append(out, prometheus.MustNewConstHistogram(c.latency, count, sum, buckets,
				k.metric, step, phase, k.workload))
		}
		for _, w := range st.workloads {
			t := st.tallies[w]
			for i, n := range t.counters {
				out = append(out, prometheus.MustNewConstMetric(c.counter, prometheus.CounterValue, float64(n),
					metrics.Counter(i).String(), w))
			}
			for _, k := range metrics.ErrorKinds() {
				if int(k) < len(t.errors) && t.errors[k] > 0 {
					out = append(out, prometheus.MustNewConstMetric(c.errors, prometheus.CounterValue,
						float64(t.errors[k]), k.String(), w))
				}
			}
		}
	})
	for _, m := range out {
		ch <- m
	}
	for _, x := range c.extra {
		x.Collect(ch)
	}
}

// promHistogram counts tr's samples at or below each bound (seconds).
func promHistogram(tr *track, bounds []float64) (count uint64, sum float64, buckets map[float64]uint64) {
	h := tr.hist
	buckets = make(map[float64]uint64, len(bounds))
	cum := make([]uint64, len(bounds))
	for _, bar := range h.Distribution() {
		if bar.Count == 0 {
			continue
		}
		// A bar's values lie in [From, To] µs; it counts in every bucket
		// whose bound is at or above its upper end.
		upper := float64(bar.To) / 1e6
		for i, b := range bounds {
			if upper <= b {
				cum[i] += uint64(bar.Count)
			}
		}
	}
	for i, b := range bounds {
		buckets[b] = cum[i]
	}
	return uint64(h.TotalCount()), h.Mean() * float64(h.TotalCount()) / 1e6, buckets
}

// stepPhase splits "step.NAME.PHASE" into NAME and PHASE; other metrics
// have no step, and their name as the phase.
func stepPhase(metric string) (step, phase string) {
	rest, ok := strings.CutPrefix(metric, "step.")
	if !ok {
		return "", metric
	}
	i := strings.LastIndexByte(rest, '.')
	if i < 0 {
		return rest, ""
	}
	return rest[:i], rest[i+1:]
}

// MetricsServer serves a run's live metrics for Prometheus (and so for a
// Grafana dashboard such as deploy/grafana/pcflow-dashboard.json) at
// /metrics while the run goes on.
type MetricsServer struct {
	srv *http.Server
	ln  net.Listener
}

// ServeMetrics listens on addr ("127.0.0.1:9464"; port 0 takes a free one)
// and serves the aggregator's metrics at /metrics, plus any extra
// collectors (cmd/pcflow adds gauges of active VUs). Close it at the end.
func ServeMetrics(addr string, a *Aggregator, extra ...prometheus.Collector) (*MetricsServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	if err := reg.Register(newCollector(a, extra)); err != nil {
		ln.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	s := &MetricsServer{ln: ln, srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}}
	go s.srv.Serve(ln) //nolint:errcheck // Serve returns ErrServerClosed after Close
	return s, nil
}

// Addr is the address the server listens on.
func (s *MetricsServer) Addr() string { return s.ln.Addr().String() }

// Close stops the server.
func (s *MetricsServer) Close() error { return s.srv.Close() }
