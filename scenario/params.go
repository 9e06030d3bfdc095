package scenario

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// params is the generic checker: it validates a step's parameter pairs
// against its kind's specs — unknown parameter (with a hint), missing
// required one, wrong type, bad value — and builds their Values. Nested
// step lists are parsed first, so that an expression parameter (repeat's
// while) sees the captures of the steps it repeats.
func (p *parser) params(spec *KindSpec, at *yaml.Node, es []entry, sc *scope, shaped bool) map[string]*Value {
	out := make(map[string]*Value, len(spec.Params))
	slices.SortStableFunc(es, func(a, b entry) int { return stepsFirst(spec, a) - stepsFirst(spec, b) })
	for _, e := range es {
		ps, ok := spec.Param(e.key)
		if !ok {
			p.errorf(e.kNode, hintOr(didYouMean(e.key, paramNames(spec)), paramList(spec)), "unknown parameter `%s` of %s", e.key, spec.Name)
			continue
		}
		if v := p.value(ps.Type, ps, e.value, sc, "`"+e.key+"` of "+spec.Name); v != nil {
			out[e.key] = v
		}
	}
	for i := range spec.Params {
		ps := &spec.Params[i]
		if _, given := out[ps.Name]; given || slices.ContainsFunc(es, func(e entry) bool { return e.key == ps.Name }) {
			continue
		}
		if ps.Required {
			if shaped {
				p.errorf(at, ps.Doc, "%s needs `%s`", spec.Name, ps.Name)
			}
			continue
		}
		if ps.Default != "" {
			def := defaultNode(ps.Default, at)
			if v := p.value(ps.Type, ps, def, sc, "the default of `"+ps.Name+"` of "+spec.Name); v != nil {
				out[ps.Name] = v
			}
		}
	}
	return out
}

// defaultNode is a parameter's default as the node a scenario writing it
// would have, at the step's place: YAML resolves its tag ("true" is a
// bool), so the default is checked exactly like a written value.
func defaultNode(def string, at *yaml.Node) *yaml.Node {
	var doc yaml.Node
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: def}
	if yaml.Unmarshal([]byte(def), &doc) == nil && len(doc.Content) == 1 && doc.Content[0].Kind == yaml.ScalarNode {
		n = doc.Content[0]
	}
	n.Line, n.Column = at.Line, at.Column
	return n
}

func stepsFirst(spec *KindSpec, e entry) int {
	if ps, ok := spec.Param(e.key); ok && ps.Type == TypeSteps {
		return 0
	}
	return 1
}

func paramNames(spec *KindSpec) []string {
	out := make([]string, len(spec.Params))
	for i, ps := range spec.Params {
		out[i] = ps.Name
	}
	return out
}

func paramList(spec *KindSpec) string {
	if len(spec.Params) == 0 {
		return spec.Name + " takes no parameters"
	}
	return spec.Name + " takes " + strings.Join(paramNames(spec), ", ")
}

// value checks node n against type t and builds its Value. ps is nil for
// values without a spec of their own (vars, elements of an any value).
func (p *parser) value(t ParamType, ps *ParamSpec, n *yaml.Node, sc *scope, what string) *Value {
	n = p.resolve(n)
	pos := p.pos(n)
	secret := ps != nil && ps.Secret
	switch t {
	case TypeList:
		return p.listValue(ps, n, sc, what)
	case TypeMap:
		return p.mapValue(ps, n, sc, what)
	case TypeSteps:
		inner := sc.fork()
		steps := p.steps(n, what, inner)
		sc.absorb(inner)
		return &Value{Pos: pos, Type: t, steps: steps}
	case TypeAny:
		return p.anyValue(n, sc, what)
	case TypeExpr:
		x := p.expr(n, what, sc, false, false)
		if x == nil {
			return nil
		}
		return &Value{Pos: pos, Type: t, eval: x.eval}
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, "", "%s must be %s, not %s", what, wantOf(t, ps), describe(n))
		return nil
	}
	if hasTemplate(n.Value) && n.Tag == "!!str" {
		tm, ok := p.template(n.Value, p.locate(n), sc, false)
		if !ok {
			return nil
		}
		var enum []string
		if ps != nil {
			enum = ps.Enum
		}
		return &Value{Pos: pos, Type: t, Secret: secret, eval: &templateEval{t: tm, src: n.Value, typ: t, enum: enum, pos: pos, secret: secret}}
	}
	v, err := staticScalar(t, ps, n)
	if err != "" {
		hint := ""
		if t == TypeEnum && ps != nil && !secret {
			hint = didYouMean(n.Value, ps.Enum)
		}
		p.errorf(n, hint, "%s: %s", what, err)
		return nil
	}
	return &Value{Pos: pos, Type: t, Secret: secret, static: v}
}

// staticScalar parses a scalar written without ${…}; the error text names
// the expected form and never the value (it may be a secret).
func staticScalar(t ParamType, ps *ParamSpec, n *yaml.Node) (any, string) {
	s := n.Value
	switch t {
	case TypeString:
		return s, ""
	case TypeInt:
		v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, "want a whole number"
		}
		return v, ""
	case TypeFloat:
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, "want a number"
		}
		return v, ""
	case TypeBool:
		if n.Tag != "!!bool" {
			return nil, "want true or false"
		}
		return s == "true" || s == "True" || s == "TRUE", ""
	case TypeDuration:
		v, err := ParseDuration(s)
		return v, errText(err)
	case TypeRange:
		v, err := ParseRange(s)
		return v, errText(err)
	case TypeSize:
		v, err := ParseSize(s)
		return v, errText(err)
	case TypeEnum:
		if ps == nil || !slices.Contains(ps.Enum, s) {
			return nil, "want " + wantOf(t, ps)
		}
		return s, ""
	}
	return nil, "this parameter type is not known to the checker"
}

func errText(err error) string {
	if err != nil {
		return err.Error()
	}
	return ""
}

// wantOf says what a parameter of type t looks like, for messages.
func wantOf(t ParamType, ps *ParamSpec) string {
	switch t {
	case TypeString:
		return "a string"
	case TypeInt:
		return "a whole number"
	case TypeFloat:
		return "a number"
	case TypeBool:
		return "true or false"
	case TypeDuration:
		return "a duration like 250ms"
	case TypeRange:
		return "a duration like 500ms or a range like 200ms..800ms"
	case TypeSize:
		return "a size like 4KiB"
	case TypeEnum:
		if ps != nil {
			return "one of " + strings.Join(ps.Enum, ", ")
		}
	case TypeList:
		return "a list"
	case TypeMap:
		return "a mapping"
	case TypeSteps:
		return "a list of steps"
	}
	return "a value"
}

// elemSpec is the spec of a list's elements or a map's values.
func elemSpec(ps *ParamSpec) (ParamType, *ParamSpec) {
	if ps == nil {
		return TypeAny, nil
	}
	return ps.Elem, &ParamSpec{Name: ps.Name, Type: ps.Elem, Enum: ps.Enum, Secret: ps.Secret}
}

func (p *parser) listValue(ps *ParamSpec, n *yaml.Node, sc *scope, what string) *Value {
	items, ok := p.sequence(n, what)
	if !ok {
		return nil
	}
	et, es := elemSpec(ps)
	elems := make([]*Value, 0, len(items))
	static := make([]any, 0, len(items))
	dynamic := false
	for _, it := range items {
		v := p.value(et, es, it, sc, what)
		if v == nil {
			return nil
		}
		dynamic = dynamic || !v.IsStatic()
		elems = append(elems, v)
		static = append(static, v.static)
	}
	out := &Value{Pos: p.pos(n), Type: TypeList, Secret: es != nil && es.Secret}
	if dynamic {
		out.eval = listEval{elems}
	} else {
		out.static = static
	}
	return out
}

func (p *parser) mapValue(ps *ParamSpec, n *yaml.Node, sc *scope, what string) *Value {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "", "%s must be a mapping, not %s", what, describe(n))
		return nil
	}
	et, es := elemSpec(ps)
	m := mapEval{}
	static := map[string]any{}
	dynamic, ok := false, true
	for _, e := range p.entries(n, what) {
		v := p.value(et, es, e.value, sc, what+" `"+e.key+"`")
		if v == nil {
			ok = false
			continue
		}
		dynamic = dynamic || !v.IsStatic()
		m.keys, m.vals = append(m.keys, e.key), append(m.vals, v)
		static[e.key] = v.static
	}
	if !ok {
		return nil
	}
	out := &Value{Pos: p.pos(n), Type: TypeMap, Secret: es != nil && es.Secret}
	if dynamic {
		out.eval = m
	} else {
		out.static = static
	}
	return out
}

// anyValue keeps a YAML value as parsed — strings, int64, float64, bool,
// nil, []any, map[string]any — with ${…} in its strings compiled.
func (p *parser) anyValue(n *yaml.Node, sc *scope, what string) *Value {
	pos := p.pos(n)
	switch n.Kind {
	case yaml.SequenceNode:
		return p.listValue(nil, n, sc, what)
	case yaml.MappingNode:
		return p.mapValue(nil, n, sc, what)
	}
	switch n.Tag {
	case "!!null":
		return &Value{Pos: pos, Type: TypeAny}
	case "!!int":
		if v, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
			return &Value{Pos: pos, Type: TypeAny, static: v}
		}
	case "!!float":
		if v, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return &Value{Pos: pos, Type: TypeAny, static: v}
		}
	case "!!bool":
		return &Value{Pos: pos, Type: TypeAny, static: n.Value == "true" || n.Value == "True" || n.Value == "TRUE"}
	}
	if hasTemplate(n.Value) {
		tm, ok := p.template(n.Value, p.locate(n), sc, false)
		if !ok {
			return nil
		}
		return &Value{Pos: pos, Type: TypeAny, eval: &templateEval{t: tm, src: n.Value, typ: TypeAny, pos: pos}}
	}
	return &Value{Pos: pos, Type: TypeAny, static: n.Value}
}
