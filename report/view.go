package report

import (
	"strings"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/pcflow/pcflow/metrics"
)

// resultView evaluates thresholds on a Result's aggregated histograms.
type resultView struct{ r *Result }

// metricKey is the Metrics key for metric in workload w ("" = all). A run
// with one workload keeps no tagged copies: its untagged entry is that
// workload's.
func (v resultView) metricKey(metric, w string) (string, bool) {
	if w == "" {
		return metric, true
	}
	if len(v.r.Workloads) == 1 {
		return metric, v.r.Workloads[0].Name == w
	}
	return TaggedName(metric, w), true
}

func (v resultView) latency(metric, w string) *hdr.Histogram {
	key, ok := v.metricKey(metric, w)
	if !ok {
		return nil
	}
	if m := v.r.Metrics[key]; m != nil {
		return m.hist
	}
	return nil
}

func (v resultView) counter(c metrics.Counter, w string) int64 {
	if w == "" {
		return v.r.Counters.Get(c)
	}
	if wl := v.r.Workload(w); wl != nil {
		return wl.Counters.Get(c)
	}
	return 0
}

func (v resultView) stepErrors(w, step string) (failed, total int64) {
	for name, m := range v.r.Metrics {
		metric, _ := splitTagged(name)
		if !isStepTotal(metric) || (step != "" && !metricOfStep(metric, step)) {
			continue
		}
		if key, ok := v.metricKey(metric, w); !ok || key != name {
			continue
		}
		failed += m.Errors
		total += m.Count
	}
	return failed, total
}

func (v resultView) seconds() float64 { return v.r.DurationS }

// splitTagged splits "m{workload:w}" into m and w; an untagged name has
// workload "".
func splitTagged(name string) (metric, workload string) {
	i := strings.Index(name, "{workload:")
	if i < 0 || !strings.HasSuffix(name, "}") {
		return name, ""
	}
	return name[:i], name[i+len("{workload:") : len(name)-1]
}

// liveView evaluates abort-on-fail thresholds on the owner's state while
// the run goes on, merging tag sets into one scratch histogram.
type liveView struct {
	st      *state
	elapsed time.Duration
}

func (v liveView) latency(metric, w string) *hdr.Histogram {
	st := v.st
	if st.scratch == nil {
		st.scratch = newHist()
	}
	st.scratch.Reset()
	found := false
	for k, tr := range st.tracks {
		if k.metric == metric && (w == "" || k.workload == w) {
			st.scratch.Merge(tr.hist)
			found = true
		}
	}
	if !found {
		return nil
	}
	return st.scratch
}

func (v liveView) counter(c metrics.Counter, w string) int64 {
	var n int64
	for name, t := range v.st.tallies {
		if (w == "" || name == w) && int(c) < len(t.counters) {
			n += t.counters[c]
		}
	}
	return n
}

func (v liveView) stepErrors(w, step string) (failed, total int64) {
	for k, tr := range v.st.tracks {
		if !isStepTotal(k.metric) || (w != "" && k.workload != w) ||
			(step != "" && !metricOfStep(k.metric, step)) {
			continue
		}
		failed += tr.errors
		total += tr.hist.TotalCount()
	}
	return failed, total
}

func (v liveView) seconds() float64 { return v.elapsed.Seconds() }
