package report

import (
	"math"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/pcflow/pcflow/metrics"
)

// RunFacts are what the run knows that the samples do not say.
type RunFacts struct {
	Scenario   string
	StopReason metrics.StopReason
	StartedAt  time.Time
	Duration   time.Duration
	// Segment is this process's share of a sharded run, "i/n"; "" means "0/1".
	Segment string
	// Warnings the run wants shown (the report adds its own from the data:
	// dropped iterations, orphan or duplicate acks, reconnects).
	Warnings []string
}

// Result is a finished run as the JSON result holds it (DESIGN.md, "The
// JSON result (stable keys)"). Renderers read it; Merge combines several.
// The histograms behind Metrics and Series are kept decoded, so that
// thresholds and merges work on exact counts.
type Result struct {
	Scenario   string             `json:"scenario"`
	StopReason metrics.StopReason `json:"stop_reason"`
	StartedAt  time.Time          `json:"started_at"`
	DurationS  float64            `json:"duration_s"`
	Segment    string             `json:"segment"`
	// Counters are summed over workloads.
	Counters Counters `json:"counters"`
	// Workloads in the scenario's (or first-seen) order, each with its own
	// counters and its steps in order.
	Workloads []Workload `json:"workloads"`
	// Metrics maps a metric name ("step.upload.total") to its statistics
	// over all workloads and, when the run has more than one workload, a
	// tagged name ("step.upload.total{workload:writers}") to one
	// workload's.
	Metrics map[string]*Metric `json:"metrics"`
	// Series maps a metric name to its points in time order.
	Series     map[string][]Point `json:"series"`
	Thresholds []ThresholdResult  `json:"thresholds"`
	Warnings   []string           `json:"warnings,omitempty"`
}

// Workload is one workload's counters and the order of its steps.
type Workload struct {
	Name     string   `json:"name"`
	Steps    []string `json:"steps"`
	Counters Counters `json:"counters"`
}

// Counters holds every metrics.Counter and the step errors by kind. It
// encodes flat, as DESIGN.md shows: {"iterations": 1200, …, "errors": {…}}.
type Counters struct {
	N      []int64 // by metrics.Counter
	Errors []int64 // by metrics.ErrorKind (index 0, ErrNone, unused)
}

func newCounters() Counters {
	return Counters{
		N:      make([]int64, len(metrics.Counters())),
		Errors: make([]int64, len(metrics.ErrorKinds())+1),
	}
}

// Get returns a counter's value.
func (c Counters) Get(k metrics.Counter) int64 {
	if int(k) < len(c.N) {
		return c.N[k]
	}
	return 0
}

// ErrorCount returns how many steps failed with kind k.
func (c Counters) ErrorCount(k metrics.ErrorKind) int64 {
	if int(k) < len(c.Errors) {
		return c.Errors[k]
	}
	return 0
}

// TotalErrors is the number of failed steps of every kind.
func (c Counters) TotalErrors() int64 {
	var n int64
	for _, v := range c.Errors {
		n += v
	}
	return n
}

func (c *Counters) add(o Counters) {
	if c.N == nil {
		*c = newCounters()
	}
	for i := range min(len(c.N), len(o.N)) {
		c.N[i] += o.N[i]
	}
	for i := range min(len(c.Errors), len(o.Errors)) {
		c.Errors[i] += o.Errors[i]
	}
}

// Metric is one latency metric's statistics in milliseconds, and its
// histogram (HdrHistogram V2 compressed, base64, values in µs).
type Metric struct {
	Count  int64   `json:"count"`
	Errors int64   `json:"errors"`
	MinMs  float64 `json:"min_ms"`
	MeanMs float64 `json:"mean_ms"`
	P50Ms  float64 `json:"p50_ms"`
	P90Ms  float64 `json:"p90_ms"`
	P95Ms  float64 `json:"p95_ms"`
	P99Ms  float64 `json:"p99_ms"`
	P999Ms float64 `json:"p999_ms"`
	MaxMs  float64 `json:"max_ms"`
	// ErrorKinds counts the failed samples by kind ("ack_timeout": 3).
	ErrorKinds map[string]int64 `json:"error_kinds,omitempty"`
	HDR        string           `json:"hdr"`

	hist *hdr.Histogram
}

// Hist returns the metric's histogram (values in µs). Do not modify it.
func (m *Metric) Hist() *hdr.Histogram { return m.hist }

// Quantile returns the value at percentile p (0…100).
func (m *Metric) Quantile(p float64) time.Duration {
	return fromMicros(m.hist.ValueAtPercentile(p))
}

func fromMicros(v int64) time.Duration { return time.Duration(v) * time.Microsecond }

func ms(v int64) float64 { return float64(v) / 1000 }

// newMetric derives the statistics from h, which the Metric takes over,
// as it does kinds (nil when nothing failed).
func newMetric(h *hdr.Histogram, errors int64, kinds map[string]int64) *Metric {
	m := &Metric{hist: h, Errors: errors, Count: h.TotalCount(), ErrorKinds: kinds}
	if m.Count == 0 {
		return m
	}
	q := h.ValueAtPercentilesSlice([]float64{50, 90, 95, 99, 99.9})
	m.MinMs, m.MaxMs = ms(h.Min()), ms(h.Max())
	m.MeanMs = roundMs(h.Mean() / 1000)
	m.P50Ms, m.P90Ms, m.P95Ms, m.P99Ms, m.P999Ms = ms(q[0]), ms(q[1]), ms(q[2]), ms(q[3]), ms(q[4])
	return m
}

// roundMs keeps a mean to the histogram's resolution (1 µs), so that
// JSON round-trips and merges compare exactly.
func roundMs(v float64) float64 {
	return math.Round(v*1000) / 1000
}

// Point is one interval of a metric's time series.
type Point struct {
	// T is seconds from the run's start to the point's start; the first
	// point can start a little before the run (points are aligned to whole
	// multiples of their width since the Unix epoch, so shards align).
	T      float64 `json:"t"`
	TS     int64   `json:"ts"`      // the point's start, Unix seconds
	Width  int64   `json:"width_s"` // the point's length, seconds
	Count  int64   `json:"count"`
	Errors int64   `json:"errors"`
	P50Ms  float64 `json:"p50_ms"`
	P90Ms  float64 `json:"p90_ms"`
	P99Ms  float64 `json:"p99_ms"`
	MaxMs  float64 `json:"max_ms"`
	HDR    string  `json:"hdr"`

	hist *hdr.PackedHistogram
}

// newPoint derives a point's statistics from h, which it takes over.
func newPoint(start time.Time, ts, width int64, h *hdr.PackedHistogram, errors int64) Point {
	p := Point{TS: ts, Width: width, Errors: errors, hist: h, Count: h.TotalCount()}
	p.T = roundMs(time.Unix(ts, 0).Sub(start).Seconds())
	if p.Count > 0 {
		q := h.ValueAtPercentilesSlice([]float64{50, 90, 99})
		p.P50Ms, p.P90Ms, p.P99Ms, p.MaxMs = ms(q[0]), ms(q[1]), ms(q[2]), ms(h.Max())
	}
	return p
}

// Duration is the run's length.
func (r *Result) Duration() time.Duration {
	return time.Duration(r.DurationS * float64(time.Second))
}

// Workload returns the named workload, or nil.
func (r *Result) Workload(name string) *Workload {
	for i := range r.Workloads {
		if r.Workloads[i].Name == name {
			return &r.Workloads[i]
		}
	}
	return nil
}
