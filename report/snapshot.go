package report

import (
	"sort"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

// TaggedName is the Metrics key of one workload's share of a metric:
// "step.upload.total{workload:writers}", the scenario's threshold syntax.
func TaggedName(metric, workload string) string {
	return metric + "{workload:" + workload + "}"
}

// result copies the state into a Result; it runs on the owner goroutine.
// Thresholds and warnings are added by the caller, off that goroutine.
func (st *state) result(f RunFacts) *Result {
	r := &Result{
		Scenario:   f.Scenario,
		StopReason: f.StopReason,
		StartedAt:  f.StartedAt.UTC(),
		DurationS:  roundMs(f.Duration.Seconds()),
		Segment:    f.Segment,
		Counters:   newCounters(),
		Metrics:    map[string]*Metric{},
		Series:     map[string][]Point{},
		Thresholds: []ThresholdResult{},
	}
	if r.Segment == "" {
		r.Segment = "0/1"
	}
	if r.StopReason == "" {
		r.StopReason = metrics.StopNormal
	}
	for _, name := range st.workloads {
		t := st.tallies[name]
		w := Workload{Name: name, Steps: append([]string(nil), t.order...), Counters: newCounters()}
		copy(w.Counters.N, t.counters)
		copy(w.Counters.Errors, t.errors)
		r.Counters.add(w.Counters)
		r.Workloads = append(r.Workloads, w)
	}
	st.fillMetrics(r)
	for name, se := range st.series {
		r.Series[name] = se.points(r.StartedAt)
	}
	for _, t := range st.opts.Thresholds {
		r.Thresholds = append(r.Thresholds, ThresholdResult{Threshold: t})
	}
	return r
}

// fillMetrics adds each metric over all workloads and, with several
// workloads, per workload.
func (st *state) fillMetrics(r *Result) {
	sums := metricSums{}
	add := func(name string, tr *track) {
		a := sums.add(name, tr.hist, tr.errors)
		for k, n := range tr.kinds {
			a.addKind(metrics.ErrorKind(k).String(), n)
		}
	}
	keys := make([]tagKey, 0, len(st.tracks))
	for k := range st.tracks {
		keys = append(keys, k)
	}
	// Merging in a fixed order keeps float sums (none today) reproducible.
	sort.Slice(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
	for _, k := range keys {
		tr := st.tracks[k]
		add(k.metric, tr)
		if len(st.workloads) > 1 {
			add(TaggedName(k.metric, k.workload), tr)
		}
	}
	sums.into(r.Metrics)
}

func keyLess(a, b tagKey) bool {
	if a.metric != b.metric {
		return a.metric < b.metric
	}
	if a.workload != b.workload {
		return a.workload < b.workload
	}
	return a.step < b.step
}

// points copies the series into Points (their histograms cloned).
func (se *series) points(start time.Time) []Point {
	se.flushHot()
	out := make([]Point, 0, len(se.pts))
	for i, p := range se.pts {
		if p == nil {
			continue
		}
		ts := (se.first + int64(i)) * se.width
		out = append(out, newPoint(start, ts, se.width, p.hist.Clone(), p.errors))
	}
	return out
}
