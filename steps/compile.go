package steps

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

// cstep is a scenario step compiled for running: its kind resolved, its
// parameters in spec order with defaults filled in, and every metric name
// built once (metrics.StepMetric allocates; samples must not).
type cstep struct {
	src    *scenario.Step
	kind   *Kind
	name   string // the metric label
	pos    string // "FILE:LINE:COL"
	depth  int    // nesting under group/repeat
	params []cparam

	mHTTP, mAck, mTotal string
	inner               map[string]*phaseNames // composites: step.NAME.INNER.PHASE
	children            []*cstep               // group, repeat
	needsBody           bool                   // a capture or check may read response.body
}

// cparam is one parameter of a compiled step.
type cparam struct {
	name   string
	val    *scenario.Value
	secret bool
}

// phaseNames are the three metric names of one timed operation.
type phaseNames struct{ http, ack, total string }

func namesOf(label string) *phaseNames {
	return &phaseNames{
		http:  metrics.StepMetric(label, metrics.PhaseHTTP),
		ack:   metrics.StepMetric(label, metrics.PhaseAck),
		total: metrics.StepMetric(label, metrics.PhaseTotal),
	}
}

// compiler compiles step lists, collecting every problem.
type compiler struct {
	cat     *Catalogue
	errs    []error
	casting []string // vote steps that (may) cast ballots through /_sim/
	// castingInto are those of casting that cast into a pool they did not
	// open (pool:), where the simulator's virtual authenticators vote too.
	castingInto []string
}

func (cc *compiler) list(src []*scenario.Step, depth int) []*cstep {
	out := make([]*cstep, 0, len(src))
	for _, s := range src {
		if st := cc.step(s, depth); st != nil {
			out = append(out, st)
		}
	}
	return out
}

func (cc *compiler) step(s *scenario.Step, depth int) *cstep {
	k, ok := cc.cat.Lookup(s.Kind)
	if !ok {
		cc.errs = append(cc.errs, fmt.Errorf("%s: steps: unknown step kind %q", s.Pos, s.Kind))
		return nil
	}
	name := s.Name
	if name == "" {
		name = s.Kind
	}
	st := &cstep{src: s, kind: k, name: name, pos: s.Pos.String(), depth: depth,
		needsBody: len(s.Capture) > 0 || len(s.Check) > 0}
	n := namesOf(name)
	st.mHTTP, st.mAck, st.mTotal = n.http, n.ack, n.total
	if k.Name == "group" {
		// A group is timed as one metric of its own name (metrics.Sample).
		st.mTotal = "group." + name
	}
	if len(k.Inner) > 0 {
		st.inner = make(map[string]*phaseNames, len(k.Inner))
		for _, in := range k.Inner {
			st.inner[in] = namesOf(name + "." + in)
		}
	}
	for _, ps := range k.Params {
		v := s.Params[ps.Name]
		if v == nil && ps.Default != "" {
			var err error
			if v, err = defaultValue(s.Pos, ps); err != nil {
				cc.errs = append(cc.errs, err)
				continue
			}
		}
		if v == nil {
			continue
		}
		if ps.Type == scenario.TypeSteps {
			st.children = cc.list(v.Steps(), depth+1)
			continue
		}
		st.params = append(st.params, cparam{name: ps.Name, val: v, secret: ps.Secret || v.Secret})
	}
	if k.Name == "vote" && castsBallots(s) {
		cc.casting = append(cc.casting, st.pos)
		if s.Params["pool"] != nil {
			cc.castingInto = append(cc.castingInto, st.pos)
		}
	}
	return st
}

// defaultValue turns a spec's Default text into a static value. The loader
// fills defaults in too; this keeps hand-built steps (tests, tools) and
// loaded ones alike.
func defaultValue(pos scenario.Pos, ps scenario.ParamSpec) (*scenario.Value, error) {
	var x any
	var err error
	switch ps.Type {
	case scenario.TypeInt, scenario.TypeSize:
		x, err = strconv.ParseInt(ps.Default, 10, 64)
	case scenario.TypeFloat:
		x, err = strconv.ParseFloat(ps.Default, 64)
	case scenario.TypeBool:
		x, err = strconv.ParseBool(ps.Default)
	case scenario.TypeDuration:
		x, err = time.ParseDuration(ps.Default)
	case scenario.TypeRange:
		var d time.Duration
		d, err = time.ParseDuration(ps.Default)
		x = scenario.Range{Min: d, Max: d}
	default:
		x = ps.Default
	}
	if err != nil {
		return nil, fmt.Errorf("%s: steps: default %q of %s: %v", pos, ps.Default, ps.Name, err)
	}
	return scenario.StaticValue(pos, ps.Type, x), nil
}

func dirOf(file string) string {
	if file == "" {
		return "."
	}
	return filepath.Dir(file)
}

func joinErrors(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "\n"))
}

// castsBallots reports whether a vote step casts (or, computed at run
// time, may cast) ballots through the simulator's hook.
func castsBallots(s *scenario.Step) bool {
	v := s.Params["cast"]
	if v == nil {
		return false
	}
	if !v.IsStatic() {
		return true
	}
	x, _ := v.Eval(nil)
	return x != "none"
}
