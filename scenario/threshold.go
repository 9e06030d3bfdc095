package scenario

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/pcflow/pcflow/metrics"
)

// thresholds parses thresholds: {METRIC[{tag:value}]: [EXPR | {expr, abort-on-fail, delay}, …]}.
// It runs after every step is parsed, because a threshold may name only a
// metric some step of the file produces.
func (p *parser) thresholds(n *yaml.Node, s *Scenario) []metrics.Threshold {
	known := knownMetrics(s, "")
	var out []metrics.Threshold
	for _, e := range p.entries(n, "thresholds") {
		metric, tags, ok := p.thresholdKey(e.kNode, s, known)
		if w := tags["workload"]; ok && w != "" && !knownMetrics(s, w)[metric] {
			p.errorf(e.kNode, "", "threshold on `%s` in workload %s: no step of that workload produces it", metric, w)
			ok = false
		}
		items := []*yaml.Node{p.resolve(e.value)}
		if items[0].Kind == yaml.SequenceNode {
			items = items[0].Content
		}
		for _, it := range items {
			t, good := p.threshold(it, metric)
			if good && ok {
				t.Metric, t.Tags = metric, tags
				out = append(out, t)
			}
		}
	}
	return out
}

// thresholdKey parses `step.upload.total{workload:writers}`.
func (p *parser) thresholdKey(k *yaml.Node, s *Scenario, known map[string]bool) (string, map[string]string, bool) {
	metric, rest, hasTags := strings.Cut(k.Value, "{")
	metric = strings.TrimSpace(metric)
	ok := true
	if !known[metric] {
		p.errorf(k, hintOr(didYouMean(metric, sortedKeys(known)), "thresholds name step.NAME.http|ack|total, group.NAME, iteration, schedule_lag, checks, errors or a counter"),
			"threshold on unknown metric `%s`: no step of this file produces it", metric)
		ok = false
	}
	if !hasTags {
		return metric, nil, ok
	}
	body, closed := strings.CutSuffix(strings.TrimSpace(rest), "}")
	if !closed {
		p.errorf(k, "write METRIC{workload:NAME}", "threshold tags are not closed with }")
		return metric, nil, false
	}
	tags := map[string]string{}
	for _, kv := range strings.Split(body, ",") {
		key, val, found := strings.Cut(kv, ":")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch {
		case !found || key == "" || val == "":
			p.errorf(k, "write METRIC{workload:NAME}", "a threshold tag must be KEY:VALUE, not %q", strings.TrimSpace(kv))
			ok = false
		case key != "workload" && key != "step":
			p.errorf(k, hintOr(didYouMean(key, []string{"workload", "step"}), "the tags are workload and step"), "unknown threshold tag `%s`", key)
			ok = false
		case key == "workload" && !slices.ContainsFunc(s.Workloads, func(w *Workload) bool { return w.Name == val }):
			p.errorf(k, hintOr(didYouMean(val, workloadNames(s)), "the workloads are "+strings.Join(workloadNames(s), ", ")), "threshold tag names unknown workload `%s`", val)
			ok = false
		case key == "step" && !stepNames(s)[val]:
			p.errorf(k, didYouMean(val, sortedKeys(stepNames(s))), "threshold tag names unknown step `%s`", val)
			ok = false
		default:
			tags[key] = val
		}
	}
	return metric, tags, ok
}

// threshold parses one criterion: "p95 < 400ms" or {expr, abort-on-fail, delay}.
func (p *parser) threshold(n *yaml.Node, metric string) (metrics.Threshold, bool) {
	var t metrics.Threshold
	n = p.resolve(n)
	src := n
	if n.Kind == yaml.MappingNode {
		src = nil
		for _, e := range p.strictEntries(n, "a threshold", []string{"expr", "abort-on-fail", "delay"}) {
			switch e.key {
			case "expr":
				src = p.resolve(e.value)
			case "abort-on-fail":
				if b, ok := p.scalar(e.value, "abort-on-fail", "true or false"); ok {
					if b.Tag != "!!bool" {
						p.errorf(b, "", "abort-on-fail must be true or false")
					}
					t.AbortOnFail = b.Value == "true"
				}
			case "delay":
				t.Delay = p.duration(e.value, "delay", false)
			}
		}
		if src == nil {
			p.errorf(n, "", "a threshold mapping needs `expr`")
			return t, false
		}
	}
	s, ok := p.scalar(src, "a threshold", `an expression like "p95 < 400ms"`)
	if !ok {
		return t, false
	}
	t.Source, t.Pos = s.Value, p.pos(s).String()
	if msg := parseCriterion(&t, s.Value, metric); msg != "" {
		p.errorf(s, "", "threshold %q: %s", s.Value, msg)
		return t, false
	}
	return t, true
}

// parseCriterion reads "STAT OP VALUE" into t; it returns what is wrong.
func parseCriterion(t *metrics.Threshold, src, metric string) string {
	fields := strings.Fields(src)
	if len(fields) != 3 {
		return "want STAT OP VALUE, like p95 < 400ms or rate > 0.99"
	}
	stat, ok := parseStat(fields[0])
	if !ok {
		return "unknown statistic " + fields[0] + "; the statistics are p50 p90 p95 p99 p99.9 min max mean count rate"
	}
	op, ok := parseOp(fields[1])
	if !ok {
		return "unknown comparison " + fields[1] + "; the comparisons are < <= > >= =="
	}
	t.Stat, t.Op = stat, op
	latency := isLatency(metric)
	if !latency && stat.Kind != metrics.StatCount && stat.Kind != metrics.StatRate {
		return metric + " is not a latency: only count and rate apply to it"
	}
	if latency && stat.Kind != metrics.StatCount && stat.Kind != metrics.StatRate {
		d, err := time.ParseDuration(fields[2])
		if err != nil {
			return "want a duration like 400ms on the right"
		}
		t.Value, t.Unit = float64(d), metrics.UnitDuration
		return ""
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(fields[2], "%"), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return "want a number like 0.99 or 10 on the right"
	}
	if strings.HasSuffix(fields[2], "%") {
		v /= 100
	}
	t.Value, t.Unit = v, metrics.UnitNumber
	return ""
}

func parseStat(s string) (metrics.Stat, bool) {
	switch s {
	case "min":
		return metrics.Stat{Kind: metrics.StatMin}, true
	case "max":
		return metrics.Stat{Kind: metrics.StatMax}, true
	case "mean", "avg":
		return metrics.Stat{Kind: metrics.StatMean}, true
	case "count":
		return metrics.Stat{Kind: metrics.StatCount}, true
	case "rate":
		return metrics.Stat{Kind: metrics.StatRate}, true
	}
	rest, ok := strings.CutPrefix(s, "p")
	if !ok {
		return metrics.Stat{}, false
	}
	v, err := strconv.ParseFloat(rest, 64)
	if err != nil || v <= 0 || v > 100 || strings.ContainsAny(rest, "eE+-") {
		return metrics.Stat{}, false
	}
	return metrics.Stat{Kind: metrics.StatPercentile, Percentile: v}, true
}

func parseOp(s string) (metrics.Op, bool) {
	switch s {
	case "<":
		return metrics.OpLess, true
	case "<=":
		return metrics.OpLessEqual, true
	case ">":
		return metrics.OpGreater, true
	case ">=":
		return metrics.OpGreaterEqual, true
	case "==":
		return metrics.OpEqual, true
	}
	return 0, false
}

func isLatency(metric string) bool {
	return strings.HasPrefix(metric, "step.") || strings.HasPrefix(metric, "group.") ||
		metric == metrics.MetricIteration || metric == metrics.MetricScheduleLag
}

func workloadNames(s *Scenario) []string {
	out := make([]string, len(s.Workloads))
	for i, w := range s.Workloads {
		out[i] = w.Name
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
