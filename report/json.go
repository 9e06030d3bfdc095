package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/pcflow/pcflow/metrics"
)

// EncodeJSON writes r as the JSON result (DESIGN.md's stable keys),
// indented, histograms as HdrHistogram V2 compressed base64. DecodeJSON
// reads it back to an equal Result.
func EncodeJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	r = withEncodings(r)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// DecodeJSON reads a JSON result written by EncodeJSON, decoding every
// histogram, so that the Result can be merged, compared and re-rendered.
func DecodeJSON(rd io.Reader) (*Result, error) {
	var r Result
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("report: reading result: %w", err)
	}
	if r.Scenario == "" || r.StartedAt.IsZero() {
		return nil, fmt.Errorf("report: not a pcflow result (no scenario or started_at)")
	}
	for name, m := range r.Metrics {
		h, err := hdr.Decode([]byte(m.HDR))
		if err != nil {
			return nil, fmt.Errorf("report: metric %s: histogram: %w", name, err)
		}
		if err := checkGeometry(h.LowestTrackableValue(), h.HighestTrackableValue(), h.SignificantFigures(), histDigits); err != nil {
			return nil, fmt.Errorf("report: metric %s: %w", name, err)
		}
		m.hist = h
	}
	for name, pts := range r.Series {
		for i := range pts {
			h, err := hdr.DecodePacked([]byte(pts[i].HDR))
			if err != nil {
				return nil, fmt.Errorf("report: series %s point %d: histogram: %w", name, i, err)
			}
			if err := checkGeometry(h.LowestTrackableValue(), h.HighestTrackableValue(), h.SignificantFigures(), pointDigits); err != nil {
				return nil, fmt.Errorf("report: series %s point %d: %w", name, i, err)
			}
			if pts[i].Width < 1 || pts[i].Width&(pts[i].Width-1) != 0 || pts[i].TS%pts[i].Width != 0 {
				return nil, fmt.Errorf("report: series %s point %d: width %d s at %d is not a power of two aligned to it",
					name, i, pts[i].Width, pts[i].TS)
			}
			pts[i].hist = h
		}
	}
	if r.Metrics == nil {
		r.Metrics = map[string]*Metric{}
	}
	if r.Series == nil {
		r.Series = map[string][]Point{}
	}
	return &r, nil
}

// withEncodings returns a shallow copy of r whose metrics and points
// carry their histograms' encodings, made with one reused encoder; r
// itself is not modified (renderers may share it).
func withEncodings(r *Result) *Result {
	e := newHDREncoder()
	c := *r
	c.Metrics = make(map[string]*Metric, len(r.Metrics))
	for name, m := range r.Metrics {
		mc := *m
		if m.hist != nil {
			mc.HDR = e.dense(m.hist)
		}
		c.Metrics[name] = &mc
	}
	c.Series = make(map[string][]Point, len(r.Series))
	for name, pts := range r.Series {
		cp := make([]Point, len(pts))
		for i, p := range pts {
			cp[i] = p
			if p.hist != nil {
				cp[i].HDR = e.packed(p.hist)
			}
		}
		c.Series[name] = cp
	}
	return &c
}

// checkGeometry refuses a histogram that pcflow did not write: merging
// and comparing are exact only between histograms of the same layout
// (values in µs, 1 µs … 1 h, the given significant digits).
func checkGeometry(lowest, highest, digits int64, want int) error {
	if lowest != histLowest || highest != histHighest || digits != int64(want) {
		return fmt.Errorf("histogram covers %d…%d with %d digits, not pcflow's 1…%d µs with %d",
			lowest, highest, digits, histHighest, want)
	}
	return nil
}

// metricJSON is Metric without its methods, so MarshalJSON can embed it.
type metricJSON Metric

// MarshalJSON fills in the histogram's encoding if EncodeJSON did not.
func (m Metric) MarshalJSON() ([]byte, error) {
	if m.HDR == "" && m.hist != nil {
		m.HDR = newHDREncoder().dense(m.hist)
	}
	return json.Marshal(metricJSON(m))
}

type pointJSON Point

// MarshalJSON fills in the point's histogram encoding.
func (p Point) MarshalJSON() ([]byte, error) {
	if p.HDR == "" && p.hist != nil {
		p.HDR = newHDREncoder().packed(p.hist)
	}
	return json.Marshal(pointJSON(p))
}

// MarshalJSON writes the counters flat, in metrics.Counters() order, then
// "errors" with every kind (zeros included, so keys are stable).
func (c Counters) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for _, k := range metrics.Counters() {
		fmt.Fprintf(&b, "%q:%d,", k.String(), c.Get(k))
	}
	b.WriteString(`"errors":{`)
	for i, k := range metrics.ErrorKinds() {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%d", k.String(), c.ErrorCount(k))
	}
	b.WriteString("}}")
	return b.Bytes(), nil
}

// UnmarshalJSON reads the flat form; unknown names are ignored so that a
// newer pcflow's results stay readable.
func (c *Counters) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*c = newCounters()
	for name, v := range raw {
		if name == "errors" {
			var errs map[string]int64
			if err := json.Unmarshal(v, &errs); err != nil {
				return fmt.Errorf("counters.errors: %w", err)
			}
			for kn, n := range errs {
				if k, ok := metrics.ParseErrorKind(kn); ok {
					c.Errors[k] = n
				}
			}
			continue
		}
		k, ok := metrics.ParseCounter(name)
		if !ok || name == "acks_lost" {
			continue
		}
		if err := json.Unmarshal(v, &c.N[k]); err != nil {
			return fmt.Errorf("counters.%s: %w", name, err)
		}
	}
	return nil
}
