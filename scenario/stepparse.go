package scenario

import (
	"slices"
	"sort"

	"gopkg.in/yaml.v3"
)

// commonFields are the fields every step takes besides its kind's
// parameters, written beside the kind or inside its parameter mapping.
func commonFields() []string {
	return []string{"name", "expect", "capture", "check", "timeout", "if"}
}

// steps parses a list of steps in order; each step's captures join sc for
// the steps after it.
func (p *parser) steps(n *yaml.Node, what string, sc *scope) []*Step {
	items, ok := p.sequence(n, what)
	if !ok {
		return nil
	}
	out := make([]*Step, 0, len(items))
	for _, it := range items {
		if s := p.step(it, sc); s != nil {
			out = append(out, s)
		}
	}
	return out
}

// step parses one step: `- KIND: PARAMS` plus common fields, or a bare
// `- KIND` for a kind without required parameters.
func (p *parser) step(n *yaml.Node, sc *scope) *Step {
	n = p.resolve(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		return p.stepOf(n, n.Value, nil, nil, sc)
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "write `- KIND: {PARAM: VALUE}`", "a step must be a mapping with its kind as key, not %s", describe(n))
		return nil
	}
	var kind *entry
	var common []entry
	es := p.entries(n, "a step")
	for i, e := range es {
		if slices.Contains(commonFields(), e.key) {
			common = append(common, e)
			continue
		}
		if _, known := p.cat.Kind(e.key); !known {
			p.errorf(e.kNode, didYouMean(e.key, append(p.cat.Kinds(), commonFields()...)), "unknown step kind `%s`", e.key)
			continue
		}
		if kind != nil {
			p.errorf(e.kNode, "write each kind as its own list item: - "+e.key+": …", "a step has one kind; `%s` is a second one after `%s`", e.key, kind.key)
			continue
		}
		kind = &es[i]
	}
	if kind == nil {
		if len(es) == len(common) && len(es) > 0 {
			p.errorf(n, "write `- KIND: {…}`; `pcflow steps` lists the kinds", "a step has no kind")
		}
		return nil
	}
	return p.stepOf(kind.kNode, kind.key, kind.value, common, sc)
}

// stepOf builds the step of kind at kNode from its parameter node (nil
// when absent) and its common fields.
func (p *parser) stepOf(kNode *yaml.Node, kind string, params *yaml.Node, common []entry, sc *scope) *Step {
	spec, ok := p.cat.Kind(kind)
	if !ok {
		p.errorf(kNode, didYouMean(kind, p.cat.Kinds()), "unknown step kind `%s`", kind)
		return nil
	}
	s := &Step{Kind: kind, Name: kind, Pos: p.pos(kNode), Spec: spec}
	pes, shaped := p.paramEntries(spec, params, &common)
	s.Params = p.params(spec, kNode, pes, sc, shaped)
	p.commonFields(s, common, sc)
	for _, c := range spec.Captures {
		sc.capture(c.Name, s.Pos)
		p.bind(c.Name, s.Pos)
	}
	for _, c := range s.Capture {
		sc.capture(c.Name, c.Pos)
		p.bind(c.Name, c.Pos)
	}
	return s
}

// paramEntries returns the parameter pairs of a step: its mapping's keys,
// or the shorthand scalar as the Shorthand parameter. Keys of the mapping
// that are common fields (and not parameters of the kind) move to common.
// shaped is false when the node has a shape no parameters can come from
// (then missing required parameters are not reported on top).
func (p *parser) paramEntries(spec *KindSpec, n *yaml.Node, common *[]entry) (_ []entry, shaped bool) {
	if n == nil {
		return nil, true
	}
	n = p.resolve(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, true
	}
	if n.Kind != yaml.MappingNode {
		if spec.Shorthand != "" {
			return []entry{{key: spec.Shorthand, kNode: n, value: n}}, true
		}
		p.errorf(n, "write `"+spec.Name+": {PARAM: VALUE}`", "`%s` takes a mapping of parameters, not %s", spec.Name, describe(n))
		return nil, false
	}
	var out []entry
	for _, e := range p.entries(n, "the parameters of "+spec.Name) {
		if _, isParam := spec.Param(e.key); !isParam && slices.Contains(commonFields(), e.key) {
			if i := slices.IndexFunc(*common, func(c entry) bool { return c.key == e.key }); i >= 0 {
				p.errorf(e.kNode, "", "`%s` is given twice: here and beside the kind at line %d", e.key, (*common)[i].kNode.Line)
				continue
			}
			*common = append(*common, e)
			continue
		}
		out = append(out, e)
	}
	return out, true
}

// commonFields parses name, expect, capture, check, timeout and if.
// capture, check and expect see the step's response and the names its
// kind captures (bound when the step ran, before capture: and check:
// are evaluated); if sees neither (it decides whether the step runs).
func (p *parser) commonFields(s *Step, common []entry, sc *scope) {
	sort.SliceStable(common, func(i, j int) bool { return common[i].kNode.Line < common[j].kNode.Line })
	after := sc
	if len(s.Spec.Captures) > 0 {
		after = sc.fork()
		for _, c := range s.Spec.Captures {
			after.capture(c.Name, s.Pos)
		}
	}
	for _, e := range common {
		switch e.key {
		case "name":
			s.Name = p.name(e.value, "a step's name")
		case "timeout":
			s.Timeout = p.duration(e.value, "timeout", true)
		case "if":
			s.If = p.expr(e.value, "if", sc, false, true)
		case "expect":
			s.Expect = p.expect(e.value)
		case "check":
			s.Check = p.checks(e.value, after)
		case "capture":
			s.Capture = p.captures(e.value, after)
		}
	}
}

// expect parses `expect: {status: 202, command-status: rejected, reason: …}`.
func (p *parser) expect(n *yaml.Node) *Expect {
	x := &Expect{Pos: p.pos(p.resolve(n))}
	for _, e := range p.strictEntries(n, "expect", []string{"status", "command-status", "reason"}) {
		switch e.key {
		case "status":
			x.Status = int(p.count(e.value, "expect status", 100, 599))
		case "command-status":
			if v, ok := p.scalar(e.value, "command-status", "ok, rejected or any"); ok {
				if !slices.Contains([]string{"ok", "rejected", "any"}, v.Value) {
					p.errorf(v, hintOr(didYouMean(v.Value, []string{"ok", "rejected", "any"}), "ok, rejected or any"), "unknown command-status %q", v.Value)
				}
				x.CommandStatus = v.Value
			}
		case "reason":
			if v, ok := p.scalar(e.value, "reason", "a rejection reason like profile.not_an_owner"); ok {
				x.Reason = v.Value
			}
		}
	}
	return x
}

// checks parses check: — one expression or a list of them.
func (p *parser) checks(n *yaml.Node, sc *scope) []*Expr {
	n = p.resolve(n)
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []*Expr
	for _, it := range items {
		if x := p.expr(it, "check", sc, true, true); x != nil {
			out = append(out, x)
		}
	}
	return out
}

// captures parses capture: {NAME: EXPR, …}, in the file's order.
func (p *parser) captures(n *yaml.Node, sc *scope) []*Capture {
	var out []*Capture
	for _, e := range p.entries(n, "capture") {
		if !p.bindable(e.kNode, e.key, "a capture") || !p.notFeeder(e.kNode, e.key, "a capture", sc) {
			continue
		}
		if x := p.expr(e.value, "capture "+e.key, sc, true, false); x != nil {
			out = append(out, &Capture{Name: e.key, Pos: p.pos(e.kNode), Expr: x})
		}
	}
	return out
}

// expr compiles a bare expression (if, check, capture, repeat's while). A
// value written as exactly one ${…} is accepted too, as the same thing.
func (p *parser) expr(n *yaml.Node, what string, sc *scope, withResponse, wantBool bool) *Expr {
	s, ok := p.scalar(n, what, "an expression")
	if !ok {
		return nil
	}
	src, loc := s.Value, p.locate(s)
	if inner, ok := wholeTemplate(src); ok {
		src, loc = inner, loc.from(2)
	}
	c, ok := p.compile(src, loc, sc, withResponse, wantBool)
	if !ok {
		return nil
	}
	return &Expr{Source: src, Pos: loc.base, eval: exprEval{c}}
}

// wholeTemplate returns the expression of a string that is exactly one
// ${…}.
func wholeTemplate(s string) (string, bool) {
	if len(s) < 3 || s[:2] != "${" || exprEnd(s, 2) != len(s)-1 {
		return "", false
	}
	return s[2 : len(s)-1], true
}
