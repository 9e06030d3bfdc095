package scenario

import (
	"math"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Load defaults, as k6 has them.
const (
	DefaultGracefulStop     = 30 * time.Second
	DefaultGracefulRampDown = 30 * time.Second
	DefaultMaxDuration      = 10 * time.Minute
	// DefaultMaxVUs is the floor of max-vus when an arrival-rate load does
	// not give it: room to hold the rate while the server slows down.
	DefaultMaxVUs = 100
)

// executorFields says which load fields each executor takes, besides
// executor, graceful-stop and start-time, which every executor takes.
func executorFields(x Executor) []string {
	switch x {
	case PerVUIterations, SharedIterations:
		return []string{"vus", "iterations", "max-duration"}
	case ConstantVUs:
		return []string{"vus", "duration"}
	case RampingVUs:
		return []string{"stages", "start-vus", "graceful-ramp-down"}
	case ConstantArrivalRate:
		return []string{"rate", "duration", "pre-allocated-vus", "max-vus"}
	case RampingArrivalRate:
		return []string{"start-rate", "time-unit", "stages", "pre-allocated-vus", "max-vus"}
	}
	return nil
}

func executors() []string {
	return []string{string(PerVUIterations), string(SharedIterations), string(ConstantVUs),
		string(RampingVUs), string(ConstantArrivalRate), string(RampingArrivalRate)}
}

// allLoadFields is every field some executor takes.
func allLoadFields() []string {
	out := []string{"executor", "graceful-stop", "start-time"}
	for _, x := range executors() {
		for _, f := range executorFields(Executor(x)) {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// load parses a load: mapping; nil (absent) is the test mode's 1 VU, 1
// iteration.
func (p *parser) load(n *yaml.Node, at Pos) Load {
	l := Load{Executor: PerVUIterations, Pos: at, VUs: 1, Iterations: 1,
		GracefulStop: DefaultGracefulStop, MaxDuration: DefaultMaxDuration}
	if n == nil {
		return l
	}
	l.Pos = p.pos(p.resolve(n))
	es := p.strictEntries(n, "the load", allLoadFields())
	var xNode *yaml.Node
	for _, e := range es {
		if e.key == "executor" {
			xNode = e.value
		}
	}
	if xNode == nil {
		if p.resolve(n).Kind == yaml.MappingNode {
			p.errorf(n, "one of "+strings.Join(executors(), ", "), "the load has no executor:")
		}
		return l
	}
	xs, ok := p.scalar(xNode, "executor", "an executor name")
	if !ok {
		return l
	}
	if !slices.Contains(executors(), xs.Value) {
		p.errorf(xs, hintOr(didYouMean(xs.Value, executors()), "one of "+strings.Join(executors(), ", ")), "unknown executor %q", xs.Value)
		return l
	}
	l.Executor = Executor(xs.Value)
	l = p.loadDefaults(l)
	own := executorFields(l.Executor)
	seen := map[string]bool{}
	for _, e := range es {
		switch {
		case e.key == "executor":
		case e.key == "graceful-stop" || e.key == "start-time" || slices.Contains(own, e.key):
			seen[e.key] = true
			p.loadField(&l, e)
		default:
			p.errorf(e.kNode, "it belongs to "+strings.Join(ownersOf(e.key), ", "), "`%s` is not a field of %s", e.key, l.Executor)
		}
	}
	p.loadRequired(&l, n, seen)
	return l
}

func hintOr(h, alt string) string {
	if h != "" {
		return h
	}
	return alt
}

// ownersOf names the executors that take field f.
func ownersOf(f string) []string {
	var out []string
	for _, x := range executors() {
		if slices.Contains(executorFields(Executor(x)), f) {
			out = append(out, x)
		}
	}
	return out
}

// loadDefaults sets the defaults of l's executor; fields of other
// executors stay zero.
func (p *parser) loadDefaults(l Load) Load {
	out := Load{Executor: l.Executor, Pos: l.Pos, GracefulStop: DefaultGracefulStop}
	switch l.Executor {
	case PerVUIterations, SharedIterations:
		out.VUs, out.Iterations, out.MaxDuration = 1, 1, DefaultMaxDuration
	case ConstantVUs:
		out.VUs = 1
	case RampingVUs:
		out.StartVUs, out.GracefulRampDown = 1, DefaultGracefulRampDown
	case RampingArrivalRate:
		out.TimeUnit = time.Second
	}
	return out
}

// loadField parses one field into l.
func (p *parser) loadField(l *Load, e entry) {
	switch e.key {
	case "vus":
		l.VUs = int(p.count(e.value, "vus", 1, MaxVUs))
	case "start-vus":
		l.StartVUs = int(p.count(e.value, "start-vus", 0, MaxVUs))
	case "pre-allocated-vus":
		l.PreAllocatedVUs = int(p.count(e.value, "pre-allocated-vus", 1, MaxVUs))
	case "max-vus":
		l.MaxVUs = int(p.count(e.value, "max-vus", 1, MaxVUs))
	case "iterations":
		l.Iterations = p.count(e.value, "iterations", 1, math.MaxInt64)
	case "duration":
		l.Duration = p.duration(e.value, "duration", true)
	case "graceful-stop":
		l.GracefulStop = p.duration(e.value, "graceful-stop", false)
	case "graceful-ramp-down":
		l.GracefulRampDown = p.duration(e.value, "graceful-ramp-down", false)
	case "max-duration":
		l.MaxDuration = p.duration(e.value, "max-duration", true)
	case "start-time":
		l.StartTime = p.duration(e.value, "start-time", false)
	case "time-unit":
		l.TimeUnit = p.duration(e.value, "time-unit", true)
	case "rate":
		l.Rate = p.rate(e.value, "rate")
	case "start-rate":
		l.StartRate = p.rate(e.value, "start-rate")
	case "stages":
		l.Stages = p.stages(e.value, l.Executor)
	}
}

// loadRequired reports missing required fields and fills the defaults
// that depend on other fields.
func (p *parser) loadRequired(l *Load, n *yaml.Node, seen map[string]bool) {
	need := func(f string) {
		if !seen[f] {
			p.errorf(n, "", "%s needs `%s`", l.Executor, f)
		}
	}
	switch l.Executor {
	case ConstantVUs:
		need("duration")
	case RampingVUs:
		need("stages")
	case ConstantArrivalRate:
		need("rate")
		need("duration")
	case RampingArrivalRate:
		need("stages")
	}
	if l.Executor != ConstantArrivalRate && l.Executor != RampingArrivalRate {
		return
	}
	if l.PreAllocatedVUs == 0 {
		l.PreAllocatedVUs = 1
		if l.MaxVUs > 0 {
			l.PreAllocatedVUs = l.MaxVUs
		}
	}
	if l.MaxVUs == 0 {
		l.MaxVUs = max(l.PreAllocatedVUs, DefaultMaxVUs)
	}
	if l.MaxVUs < l.PreAllocatedVUs {
		p.errorf(n, "", "max-vus (%d) is below pre-allocated-vus (%d)", l.MaxVUs, l.PreAllocatedVUs)
	}
}

// stages parses a ramping executor's stages.
func (p *parser) stages(n *yaml.Node, x Executor) []Stage {
	items, ok := p.sequence(n, "stages")
	if !ok {
		return nil
	}
	if len(items) == 0 {
		p.errorf(n, "", "stages: is empty; give at least one {duration, target}")
	}
	hi := int64(MaxVUs)
	if x == RampingArrivalRate {
		hi = maxRate
	}
	var out []Stage
	for _, it := range items {
		var st Stage
		seen := map[string]bool{}
		for _, e := range p.strictEntries(it, "a stage", []string{"duration", "target"}) {
			seen[e.key] = true
			if e.key == "duration" {
				st.Duration = p.duration(e.value, "a stage's duration", false)
			} else {
				st.Target = p.count(e.value, "a stage's target", 0, hi)
			}
		}
		for _, f := range []string{"duration", "target"} {
			if !seen[f] && p.resolve(it).Kind == yaml.MappingNode {
				p.errorf(it, "", "a stage needs `%s`", f)
			}
		}
		out = append(out, st)
	}
	return out
}

// count parses a whole number in [lo, hi].
func (p *parser) count(n *yaml.Node, what string, lo, hi int64) int64 {
	n, gave, ok := p.atLoad(n, what)
	if !ok {
		return lo
	}
	s, ok := p.scalar(n, what, "a whole number")
	if !ok {
		return lo
	}
	v, err := parseCount(s.Value, lo, hi)
	if err != nil {
		p.errorf(s, "", "%s: %v%s", what, err, gave)
		return lo
	}
	return v
}

// duration parses a duration; positive insists on one above zero.
func (p *parser) duration(n *yaml.Node, what string, positive bool) time.Duration {
	n, gave, ok := p.atLoad(n, what)
	if !ok {
		return 0
	}
	s, ok := p.scalar(n, what, "a duration like 30s")
	if !ok {
		return 0
	}
	d, err := ParseDuration(s.Value)
	if err == nil && positive && d == 0 {
		p.errorf(s, "", "%s must be above zero%s", what, gave)
		return 0
	}
	if err != nil {
		p.errorf(s, "", "%s: %v%s", what, err, gave)
	}
	return d
}

// rate parses an arrival rate.
func (p *parser) rate(n *yaml.Node, what string) Rate {
	n, gave, ok := p.atLoad(n, what)
	if !ok {
		return Rate{}
	}
	s, ok := p.scalar(n, what, "a rate like 50/s")
	if !ok {
		return Rate{}
	}
	r, err := ParseRate(s.Value)
	if err != nil {
		p.errorf(s, "", "%s: %v%s", what, err, gave)
	}
	return r
}
