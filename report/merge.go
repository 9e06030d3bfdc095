package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Merge combines the results of the shards of one run (--segment i/n)
// into the result one process would have produced: histograms added,
// counters summed, series aligned by wall-clock time, thresholds evaluated
// again on the merged data. It refuses results of different scenarios and
// shards whose segments overlap (the same share counted twice). The
// inputs are not modified.
func Merge(rs ...*Result) (*Result, error) {
	if len(rs) == 0 {
		return nil, fmt.Errorf("report: merge: no results")
	}
	for _, r := range rs[1:] {
		if r.Scenario != rs[0].Scenario {
			return nil, fmt.Errorf("report: merge: results of different scenarios (%q and %q)", rs[0].Scenario, r.Scenario)
		}
	}
	segment, err := mergeSegments(rs)
	if err != nil {
		return nil, err
	}
	m := &Result{Scenario: rs[0].Scenario, Segment: segment, Counters: newCounters(),
		Metrics: map[string]*Metric{}, Series: map[string][]Point{}, Thresholds: []ThresholdResult{}}
	mergeFacts(m, rs)
	for _, r := range rs {
		m.Counters.add(r.Counters)
		mergeWorkloads(m, r)
	}
	mergeMetrics(m, rs)
	mergeSeries(m, rs)
	m.Thresholds = unionThresholds(rs)
	evaluateAll(m)
	m.Warnings = warningsFor(m)
	for _, r := range rs {
		m.Warnings = appendNew(m.Warnings, runWarnings(r)...)
	}
	return m, nil
}

// mergeFacts spans the shards' time: the earliest start to the latest end.
// The stop reason is the most serious any shard had.
func mergeFacts(m *Result, rs []*Result) {
	start, end := rs[0].StartedAt, rs[0].StartedAt.Add(rs[0].Duration())
	for _, r := range rs[1:] {
		if r.StartedAt.Before(start) {
			start = r.StartedAt
		}
		if e := r.StartedAt.Add(r.Duration()); e.After(end) {
			end = e
		}
	}
	m.StartedAt, m.DurationS = start.UTC(), roundMs(end.Sub(start).Seconds())
	rank := map[string]int{"normal": 0, "duration": 1, "interrupted": 2, "threshold": 3, "error": 4}
	m.StopReason = rs[0].StopReason
	for _, r := range rs[1:] {
		if rank[string(r.StopReason)] > rank[string(m.StopReason)] {
			m.StopReason = r.StopReason
		}
	}
}

func mergeWorkloads(m *Result, r *Result) {
	for _, w := range r.Workloads {
		mw := m.Workload(w.Name)
		if mw == nil {
			m.Workloads = append(m.Workloads, Workload{Name: w.Name, Counters: newCounters()})
			mw = &m.Workloads[len(m.Workloads)-1]
		}
		mw.Counters.add(w.Counters)
		mw.Steps = appendNew(mw.Steps, w.Steps...)
	}
}

// mergeMetrics adds histograms key by key. A shard with one workload keeps
// no tagged copies; its untagged metrics stand for that workload's when
// the merged run has several.
func mergeMetrics(m *Result, rs []*Result) {
	sums := metricSums{}
	add := func(key string, x *Metric) {
		a := sums.add(key, x.hist, x.Errors)
		for k, n := range x.ErrorKinds {
			a.addKind(k, n)
		}
	}
	several := len(m.Workloads) > 1
	for _, r := range rs {
		for _, key := range sortedKeys(r.Metrics) {
			x := r.Metrics[key]
			metric, w := splitTagged(key)
			switch {
			case w != "" && several:
				add(key, x)
			case w == "":
				add(key, x)
				if several && len(r.Workloads) == 1 {
					add(TaggedName(metric, r.Workloads[0].Name), x)
				}
			}
		}
	}
	sums.into(m.Metrics)
}

// mergeSeries aligns points by their wall-clock start. Shards may have
// coarsened to different widths; all are brought to the widest, which is
// exact because widths are powers of two aligned to the epoch.
func mergeSeries(m *Result, rs []*Result) {
	width := int64(1)
	for _, r := range rs {
		for _, pts := range r.Series {
			for _, p := range pts {
				width = max(width, p.Width)
			}
		}
	}
	names := map[string]bool{}
	for _, r := range rs {
		for name := range r.Series {
			names[name] = true
		}
	}
	for name := range names {
		se := &series{max: defaultMaxPoints, width: width}
		for _, r := range rs {
			for _, p := range r.Series[name] {
				pt := se.at(p.TS)
				addPacked(pt.hist, p.hist)
				pt.errors += p.Errors
			}
		}
		m.Series[name] = se.points(m.StartedAt)
	}
}

// unionThresholds collects the shards' thresholds once each (shards of one
// scenario carry the same ones), to be evaluated on the merged data.
func unionThresholds(rs []*Result) []ThresholdResult {
	var out []ThresholdResult
	seen := map[string]bool{}
	for _, r := range rs {
		for _, t := range r.Thresholds {
			if k := t.Name() + " " + t.Expr(); !seen[k] {
				seen[k] = true
				out = append(out, ThresholdResult{Threshold: t.Threshold})
			}
		}
	}
	return out
}

// runWarnings are a result's warnings that the run gave, as opposed to
// those its data implies (which the merge recomputes).
func runWarnings(r *Result) []string {
	derived := warningsFor(r)
	var out []string
	for _, w := range r.Warnings {
		if !slices.Contains(derived, w) {
			out = append(out, w)
		}
	}
	return out
}

func appendNew(list []string, xs ...string) []string {
	for _, x := range xs {
		if !slices.Contains(list, x) {
			list = append(list, x)
		}
	}
	return list
}

// mergeSegments checks that the shards' segments are disjoint and names
// their union: "0/1" when they cover the whole run, else the parts joined
// by "+" ("0/4+1/4").
func mergeSegments(rs []*Result) (string, error) {
	type seg struct {
		i, n int
		s    string
	}
	segs := make([]seg, 0, len(rs))
	for _, r := range rs {
		for _, part := range strings.Split(r.Segment, "+") { // a merged result's parts
			var i, n int
			if _, err := fmt.Sscanf(part, "%d/%d", &i, &n); err != nil || n < 1 || i < 0 || i >= n {
				return "", fmt.Errorf("report: merge: segment %q is not i/n", r.Segment)
			}
			segs = append(segs, seg{i, n, part})
		}
	}
	// Segment i/n (i from 0) is the interval [i/n, (i+1)/n); two overlap
	// when each starts before the other ends (compared by cross-multiplying).
	sort.Slice(segs, func(a, b int) bool { return segs[a].i*segs[b].n < segs[b].i*segs[a].n })
	covered := 0.0
	for k := range segs {
		if k > 0 && segs[k].i*segs[k-1].n < (segs[k-1].i+1)*segs[k].n {
			return "", fmt.Errorf("report: merge: segments %s and %s overlap: the same share of the load would count twice",
				segs[k-1].s, segs[k].s)
		}
		covered += 1 / float64(segs[k].n)
	}
	if covered > 1-1e-9 {
		return "0/1", nil
	}
	parts := make([]string, len(segs))
	for k, s := range segs {
		parts[k] = s.s
	}
	return strings.Join(parts, "+"), nil
}
