package scenario

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"
)

// parser is the state of one file's load: where problems go and what the
// file's steps are checked against. It lives for one Parse call.
type parser struct {
	file    string
	dir     string
	src     []byte
	cat     Catalogue
	env     map[string]any // env.NAME, from Options.Env
	probs   []Problem
	aliases int // alias expansions so far, bounded (billion laughs)

	// bound is where each capture and var name is first bound anywhere
	// in the file, and undef the problems about names not (yet) in scope:
	// at the end, a name bound further down gets a hint saying so.
	bound map[string]Pos
	isVar map[string]bool // names bound by vars:
	undef []undefRef
	// lineStarts indexes src's lines for locate.
	lineStarts []int
	// progs caches compiled programs that do not depend on the scope.
	progs map[string]*vm.Program
	// single is set for a file in the single form (no workloads:);
	// stepsTypo when one of its keys is a misspelt steps.
	single, stepsTypo bool
}

// undefRef is a problem (by index) about a name that was not in scope.
type undefRef struct {
	prob int
	name string
}

// bind records where name is bound, for "bound later" hints.
func (p *parser) bind(name string, pos Pos) {
	if p.bound == nil {
		p.bound = map[string]Pos{}
	}
	if _, ok := p.bound[name]; !ok {
		p.bound[name] = pos
	}
}

// hintLater tells, in the hint of a problem about a name not in scope,
// where the name is bound when it is bound somewhere: further down (the
// commonest mistake: a use before the step that captures it), or in a
// place not in scope (another workload, a nested block, vu-setup's vars).
func (p *parser) hintLater() {
	for _, u := range p.undef {
		at, ok := p.bound[u.name]
		if !ok {
			continue
		}
		pr := &p.probs[u.prob]
		switch {
		case at.Line > pr.Pos.Line || at.Line == pr.Pos.Line && at.Col > pr.Pos.Col:
			pr.Hint = fmt.Sprintf("`%s` is bound later, at line %d: a name can be used only after the step or var that binds it", u.name, at.Line)
		case p.isVar[u.name]:
			pr.Hint = "vars are evaluated per iteration: setup, vu-setup, vu-teardown and teardown cannot use them"
		default:
			pr.Hint = fmt.Sprintf("`%s` is bound at line %d, which is not in scope here", u.name, at.Line)
		}
	}
}

// maxAliases bounds alias expansion: a few anchors can otherwise describe
// an exponentially large document.
const maxAliases = 10000

func (p *parser) pos(n *yaml.Node) Pos { return Pos{p.file, n.Line, n.Column} }

// errorf records a problem at n.
func (p *parser) errorf(n *yaml.Node, hint, format string, args ...any) {
	p.probs = append(p.probs, Problem{Pos: p.pos(n), Message: fmt.Sprintf(format, args...), Hint: hint})
}

// errorAt records a problem at pos.
func (p *parser) errorAt(pos Pos, hint, format string, args ...any) {
	p.probs = append(p.probs, Problem{Pos: pos, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// resolve follows an alias to its anchor's node.
func (p *parser) resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		p.aliases++
		if p.aliases > maxAliases || n.Alias == nil {
			p.errorf(n, "", "too many YAML aliases (more than %d)", maxAliases)
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: n.Line, Column: n.Column}
		}
		n = n.Alias
	}
	return n
}

// entry is one key/value pair of a mapping.
type entry struct {
	key   string
	kNode *yaml.Node
	value *yaml.Node
}

// entries returns a mapping's pairs in order, after reporting duplicate
// keys (yaml.v3 does not when decoding into a Node) and keys that are
// not strings. what names the mapping for messages ("the load").
func (p *parser) entries(n *yaml.Node, what string) []entry {
	n = p.resolve(n)
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "", "%s must be a mapping, not %s", what, describe(n))
		return nil
	}
	out := make([]entry, 0, len(n.Content)/2)
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := p.resolve(n.Content[i])
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "", "a key in %s must be a name, not %s", what, describe(k))
			continue
		}
		if k.Tag == "!!merge" {
			p.errorf(k, "", "YAML merge keys (<<) are not supported")
			continue
		}
		if first, dup := seen[k.Value]; dup {
			p.errorf(k, "", "duplicate key `%s` in %s (first at line %d)", k.Value, what, first.Line)
			continue
		}
		seen[k.Value] = k
		out = append(out, entry{key: k.Value, kNode: k, value: n.Content[i+1]})
	}
	return out
}

// strictEntries is entries plus an "unknown key" problem, with the nearest
// allowed name as hint, for every key not in allowed.
func (p *parser) strictEntries(n *yaml.Node, what string, allowed []string) []entry {
	es := p.entries(n, what)
	out := es[:0]
	for _, e := range es {
		if !slices.Contains(allowed, e.key) {
			p.errorf(e.kNode, didYouMean(e.key, allowed), "unknown key `%s` in %s", e.key, what)
			continue
		}
		out = append(out, e)
	}
	return out
}

// scalar returns n's text when n is a scalar, else records a problem
// saying what was wanted.
func (p *parser) scalar(n *yaml.Node, what, want string) (*yaml.Node, bool) {
	n = p.resolve(n)
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, "", "%s must be %s, not %s", what, want, describe(n))
		return n, false
	}
	return n, true
}

// sequence returns n's items when n is a list, else records a problem.
func (p *parser) sequence(n *yaml.Node, what string) ([]*yaml.Node, bool) {
	n = p.resolve(n)
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "", "%s must be a list, not %s", what, describe(n))
		return nil, false
	}
	return n.Content, true
}

// sortProblems orders problems by file, line, column, then message, so
// that output is stable whatever order the checks ran in.
func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col), cmp.Compare(a.Message, b.Message))
	})
}
