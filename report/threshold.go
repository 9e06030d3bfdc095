package report

import (
	"strconv"
	"strings"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/pcflow/pcflow/metrics"
)

// ThresholdResult is one threshold and its verdict. Threshold keeps the
// criterion itself (the JSON result carries it), so that a merge can
// evaluate it again on the merged data.
type ThresholdResult struct {
	Threshold metrics.Threshold
	OK        bool
	// NoData is set when nothing was measured for the threshold's metric
	// and tags. Such a threshold holds (as in k6): a step that never ran
	// has no latency to judge; the checks and errors rates catch a run
	// that did nothing.
	NoData bool
	// Observed is the statistic's value: nanoseconds for a duration,
	// otherwise a count, a fraction or a per-second rate.
	Observed float64
}

// Name is the threshold's metric with its tags as a scenario writes them:
// "step.upload.total{workload:writers}".
func (t ThresholdResult) Name() string { return thresholdName(t.Threshold) }

func thresholdName(t metrics.Threshold) string {
	if len(t.Tags) == 0 {
		return t.Metric
	}
	var parts []string
	for _, k := range []string{"workload", "step"} {
		if v, ok := t.Tags[k]; ok {
			parts = append(parts, k+":"+v)
		}
	}
	return t.Metric + "{" + strings.Join(parts, ",") + "}"
}

// Expr is the criterion as written ("p95 < 400ms").
func (t ThresholdResult) Expr() string {
	if t.Threshold.Source != "" {
		return t.Threshold.Source
	}
	return t.Threshold.Stat.String() + " " + t.Threshold.Op.String() + " " +
		formatStat(t.Threshold, t.Threshold.Value)
}

// Value is the observed statistic in human units ("6.02ms", "99.5%").
func (t ThresholdResult) Value() string {
	if t.NoData {
		return "no data"
	}
	return formatStat(t.Threshold, t.Observed)
}

// formatStat shows a value in the unit the threshold's stat has.
func formatStat(t metrics.Threshold, v float64) string {
	switch {
	case t.Unit == metrics.UnitDuration:
		return FormatDuration(time.Duration(v))
	case t.Stat.Kind == metrics.StatRate && (t.Metric == "checks" || t.Metric == "errors"):
		return strconv.FormatFloat(roundTo(v*100, 2), 'f', -1, 64) + "%"
	case t.Stat.Kind == metrics.StatRate:
		return strconv.FormatFloat(roundTo(v, 2), 'f', -1, 64) + "/s"
	}
	return strconv.FormatFloat(roundTo(v, 3), 'f', -1, 64)
}

func roundTo(v float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	return float64(int64(v*p+0.5)) / p
}

// view is what a threshold is evaluated on: a finished Result, or the
// owner's live state for abort-on-fail.
type view interface {
	// latency returns the histogram (µs) of metric restricted to a
	// workload ("" = all), or nil if nothing was recorded.
	latency(metric, workload string) *hdr.Histogram
	counter(c metrics.Counter, workload string) int64
	// stepErrors counts failed and all step ".total" samples of a
	// workload ("" = all) and step ("" = all).
	stepErrors(workload, step string) (failed, total int64)
	seconds() float64
}

// evaluate computes t's statistic on v.
func evaluate(v view, t metrics.Threshold) ThresholdResult {
	res := ThresholdResult{Threshold: t}
	got, ok := observe(v, t)
	res.Observed, res.NoData = got, !ok
	res.OK = !ok || t.Op.Holds(got, t.Value)
	return res
}

func observe(v view, t metrics.Threshold) (float64, bool) {
	w, step := t.Tags["workload"], t.Tags["step"]
	switch t.Metric {
	case "checks":
		passed := float64(v.counter(metrics.ChecksPassed, w))
		all := passed + float64(v.counter(metrics.ChecksFailed, w))
		return ratio(t.Stat.Kind, passed, all)
	case "errors":
		failed, all := v.stepErrors(w, step)
		return ratio(t.Stat.Kind, float64(failed), float64(all))
	}
	if c, ok := metrics.ParseCounter(t.Metric); ok {
		n := float64(v.counter(c, w))
		if t.Stat.Kind == metrics.StatRate {
			return perSecond(n, v.seconds())
		}
		return n, true
	}
	if step != "" && !metricOfStep(t.Metric, step) {
		return 0, false
	}
	h := v.latency(t.Metric, w)
	if h == nil || h.TotalCount() == 0 {
		return 0, false
	}
	return latencyStat(h, t.Stat, v.seconds())
}

// ratio is the rate (a fraction) or the count of a part of a whole.
func ratio(k metrics.StatKind, part, all float64) (float64, bool) {
	if k == metrics.StatCount {
		return part, true
	}
	if all == 0 {
		return 0, false
	}
	return part / all, true
}

func perSecond(n, s float64) (float64, bool) {
	if s <= 0 {
		return 0, false
	}
	return n / s, true
}

// latencyStat computes a Stat on a µs histogram; durations come out in ns.
func latencyStat(h *hdr.Histogram, s metrics.Stat, seconds float64) (float64, bool) {
	const us = float64(time.Microsecond)
	switch s.Kind {
	case metrics.StatPercentile:
		return float64(h.ValueAtPercentile(s.Percentile)) * us, true
	case metrics.StatMin:
		return float64(h.Min()) * us, true
	case metrics.StatMax:
		return float64(h.Max()) * us, true
	case metrics.StatMean:
		return h.Mean() * us, true
	case metrics.StatCount:
		return float64(h.TotalCount()), true
	case metrics.StatRate:
		return perSecond(float64(h.TotalCount()), seconds)
	}
	return 0, false
}

// metricOfStep reports whether metric belongs to the step named step.
func metricOfStep(metric, step string) bool {
	return strings.HasPrefix(metric, "step."+step+".") || metric == "group."+step
}

// evaluateAll evaluates r's thresholds on r.
func evaluateAll(r *Result) {
	for i := range r.Thresholds {
		r.Thresholds[i] = evaluate(resultView{r}, r.Thresholds[i].Threshold)
	}
}

// Passed reports whether every threshold held.
func (r *Result) Passed() bool {
	for _, t := range r.Thresholds {
		if !t.OK {
			return false
		}
	}
	return true
}

// abortFailed evaluates the abort-on-fail thresholds on the live state.
func (st *state) abortFailed(elapsed time.Duration) (ThresholdResult, bool) {
	lv := liveView{st: st, elapsed: elapsed}
	for _, t := range st.opts.Thresholds {
		if !t.AbortOnFail || elapsed < t.Delay {
			continue
		}
		if res := evaluate(lv, t); !res.OK {
			return res, true
		}
	}
	return ThresholdResult{}, false
}
