package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// compiled is one expression compiled at load. A simple path (`vu`,
// `vars.size`, `accounts.username`, `data_token`) is checked by the loader
// and evaluated by a lookup, without the expression VM: those are nearly
// all the ${…} of a scenario, and a lookup costs no allocation.
type compiled struct {
	src  string
	pos  Pos
	prog *vm.Program // nil for a simple path
	path []string
}

// compile checks src against the names in scope and compiles it. loc
// places src's characters in the file; problems point inside it.
func (p *parser) compile(src string, loc locator, sc *scope, withResponse, wantBool bool) (*compiled, bool) {
	pos := loc.base
	trimmed := strings.TrimSpace(src)
	lead := utf8.RuneCountInString(src) - utf8.RuneCountInString(strings.TrimLeft(src, " \t\n"))
	if trimmed == "" {
		p.errorAt(pos, "", "an empty expression")
		return nil, false
	}
	if path, offs, ok := simplePath(trimmed); ok {
		for i := range path {
			offs[i] += lead
		}
		if pr, bad := checkPath(sc, path, offs, withResponse); bad {
			p.report(loc, pr)
			return nil, false
		}
		if path[0] == "env" && len(path) == 2 {
			p.defineEnv(path[1])
		}
		if path[0] != "response" {
			return &compiled{src: src, pos: pos, path: path}, true
		}
	}
	key := cacheKey(src, withResponse, wantBool)
	if prog, ok := p.progs[key]; ok {
		return &compiled{src: src, pos: pos, prog: prog}, true
	}
	v := &nsVisitor{sc: sc, withResponse: withResponse}
	prog, err := compileSafely(src, sc, withResponse, wantBool, v)
	for _, name := range v.envNames {
		p.defineEnv(name)
	}
	if len(v.probs) > 0 {
		p.report(loc, v.probs[0])
		return nil, false
	}
	if err != nil {
		p.report(loc, explain(err, sc, withResponse))
		return nil, false
	}
	if usesOnlyBuiltins(prog) {
		if p.progs == nil {
			p.progs = map[string]*vm.Program{}
		}
		p.progs[key] = prog
	}
	return &compiled{src: src, pos: pos, prog: prog}, true
}

// cacheKey identifies a compilation that does not depend on the scope.
func cacheKey(src string, withResponse, wantBool bool) string {
	flags := [4]string{"--", "r-", "-b", "rb"}
	i := 0
	if withResponse {
		i |= 1
	}
	if wantBool {
		i |= 2
	}
	return flags[i] + src
}

// usesOnlyBuiltins reports whether prog names nothing but built-ins
// (response.status == 202, vu > 1): then it compiles the same in every
// scope, and a file that repeats it compiles it once. Compiling is most
// of a large file's load time.
func usesOnlyBuiltins(prog *vm.Program) bool {
	return firstNameOutside(prog, scopeFree) == ""
}

// scopeFree reports a name that means the same in every scope: the
// built-ins except vars, whose members depend on where the expression is.
func scopeFree(name string) bool { return name != "vars" && isBuiltin(name) }

// firstNameOutside is the first name prog reads for which allowed is
// false; "" when it reads none.
func firstNameOutside(prog *vm.Program, allowed func(string) bool) string {
	v := &nameFinder{allowed: allowed}
	node := prog.Node()
	ast.Walk(&node, v)
	return v.first
}

type nameFinder struct {
	allowed func(string) bool
	first   string
}

func (v *nameFinder) Visit(n *ast.Node) {
	if id, ok := (*n).(*ast.IdentifierNode); ok && v.first == "" && !v.allowed(id.Value) {
		v.first = id.Value
	}
}

// compileSafely is expr.Compile behind a recover: bad input must never
// crash the loader, whatever the library does with it.
// wantBool makes a result that cannot be a boolean a load-time error (if,
// check).
func compileSafely(src string, sc *scope, withResponse, wantBool bool, v *nsVisitor) (prog *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			prog, err = nil, fmt.Errorf("the expression cannot be compiled")
		}
	}()
	// repeat() is the one built-in that can ask for gigabytes in a single
	// call (the VM's memory budget counts collections, not strings).
	opts := []expr.Option{expr.Env(sc.exprEnv(withResponse)), expr.Patch(v), expr.DisableBuiltin("repeat")}
	if wantBool {
		opts = append(opts, expr.AsBool())
	}
	return expr.Compile(src, opts...)
}

// explain turns an expr-lang error into our words, with the rune offset
// in the source it points at.
func explain(err error, sc *scope, withResponse bool) pathProblem {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return pathProblem{msg: "expression: " + err.Error()}
	}
	if name, ok := strings.CutPrefix(fe.Message, "unknown name "); ok {
		pr := undefined(sc, name, withResponse)
		pr.off = fe.From
		return pr
	}
	return pathProblem{msg: "expression: " + goTypeNames().Replace(fe.Message), off: fe.From}
}

// goTypeNames renames the Go types expr-lang's messages mention to what
// the scenario calls them.
func goTypeNames() *strings.Replacer {
	return strings.NewReplacer("type *scenario.Response", "`response`", "type scenario.Response", "`response`",
		"type *scenario.Ack", "`response.ack`", "type scenario.Ack", "`response.ack`",
		"type scenario.Timing", "`response.timing`", "interface {}", "any")
}

// pathProblem is a name that does not resolve, at its offset in the source.
type pathProblem struct {
	msg, hint string
	off       int
	name      string // the unbound name, when that is the problem
}

// report records a path problem of the expression located by loc.
func (p *parser) report(loc locator, pr pathProblem) {
	p.errorAt(loc.at(pr.off), pr.hint, "%s", pr.msg)
	if pr.name != "" {
		p.undef = append(p.undef, undefRef{prob: len(p.probs) - 1, name: pr.name})
	}
}

// simplePath splits "a.b.c" into its names and their rune offsets; false
// when s is anything more than identifiers joined by dots.
func simplePath(s string) ([]string, []int, bool) {
	var path []string
	var offs []int
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			c := s[i]
			if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > start && c >= '0' && c <= '9') {
				return nil, nil, false
			}
			continue
		}
		if i == start {
			return nil, nil, false
		}
		path, offs = append(path, s[start:i]), append(offs, start)
		start = i + 1
	}
	return path, offs, !isKeyword(path[0])
}

// isKeyword reports names expr-lang reads as literals or operators.
func isKeyword(s string) bool {
	switch s {
	case "true", "false", "nil", "not", "and", "or", "in", "matches", "contains", "startsWith", "endsWith", "let", "if", "else":
		return true
	}
	return false
}

// checkPath resolves a simple path against the scope.
func checkPath(sc *scope, path []string, offs []int, withResponse bool) (pathProblem, bool) {
	head := path[0]
	switch {
	case head == "vu" || head == "iteration" || head == "workload":
		if len(path) > 1 {
			return pathProblem{msg: fmt.Sprintf("`%s` has no field `%s`", head, path[1]), off: offs[1]}, true
		}
	case head == "env":
		if len(path) > 2 {
			return pathProblem{msg: fmt.Sprintf("`env.%s` is a string and has no field `%s`", path[1], path[2]), off: offs[2]}, true
		}
	case head == "random" || head == "now":
		return pathProblem{msg: fmt.Sprintf("`%s` is a function: call it, as in random.hex(8) or now()", strings.Join(path, ".")), off: offs[0]}, true
	case head == "vars" && sc.varsOK:
		if len(path) < 2 || !sc.isVar(path[1]) {
			return member(sc, head, path, offs)
		}
	case head == "response" && withResponse:
		return pathProblem{}, false // typed: the expression checker knows its fields
	case sc.feeders[head] != nil:
		if len(path) != 2 || !slices.Contains(sc.feeders[head], path[1]) {
			return member(sc, head, path, offs)
		}
	case !sc.bare(head):
		pr := undefined(sc, head, withResponse)
		pr.off = offs[0]
		return pr, true
	}
	return pathProblem{}, false
}

// member explains a missing member of vars or of a feeder.
func member(sc *scope, head string, path []string, offs []int) (pathProblem, bool) {
	if len(path) < 2 {
		return pathProblem{msg: fmt.Sprintf("`%s` is a group of names: use %s.NAME", head, head), off: offs[0]}, true
	}
	name := path[1]
	if head == "vars" {
		return pathProblem{msg: fmt.Sprintf("`vars.%s` is not defined here", name), hint: varHint(sc, name), off: offs[1], name: name}, true
	}
	cols := sc.feeders[head]
	if len(path) > 2 && slices.Contains(cols, name) {
		return pathProblem{msg: fmt.Sprintf("`%s.%s` is a string and has no field `%s`", head, name, path[2]), off: offs[2]}, true
	}
	hint := didYouMean(name, cols)
	if hint == "" {
		hint = "its columns are " + strings.Join(cols, ", ")
	}
	return pathProblem{msg: fmt.Sprintf("feeder `%s` has no column `%s`", head, name), hint: hint, off: offs[1]}, true
}

func varHint(sc *scope, name string) string {
	if h := didYouMean(name, sc.vars); h != "" {
		return h
	}
	return "a var can use only the vars above it"
}

// undefined explains a bare name that is not in scope.
func undefined(sc *scope, name string, withResponse bool) pathProblem {
	switch {
	case name == "response":
		return pathProblem{msg: "`response` is not defined here", hint: "response exists only in a step's capture, check and expect"}
	case name == "vars" || !sc.varsOK && slices.Contains(sc.vars, name):
		return pathProblem{msg: fmt.Sprintf("`%s` is not defined here", name), hint: "vars are evaluated per iteration: setup, vu-setup and teardown cannot use them"}
	}
	return pathProblem{msg: fmt.Sprintf("`%s` is not defined here", name), hint: didYouMean(name, sc.known(withResponse)), name: name}
}

// nsVisitor checks the members of vars, of feeders and of random inside a
// compiled expression, so that their errors read like those of simple
// paths (expr-lang would say only "unknown field").
type nsVisitor struct {
	sc           *scope
	withResponse bool
	probs        []pathProblem
	envNames     []string // the env.NAME names the expression reads
}

func (v *nsVisitor) Visit(n *ast.Node) {
	m, ok := (*n).(*ast.MemberNode)
	if !ok {
		return
	}
	id, ok1 := m.Node.(*ast.IdentifierNode)
	prop, ok2 := m.Property.(*ast.StringNode)
	if !ok1 || !ok2 {
		return
	}
	off := prop.Location().From
	switch {
	case id.Value == "env":
		v.envNames = append(v.envNames, prop.Value)
	case id.Value == "vars" && v.sc.varsOK && !v.sc.isVar(prop.Value):
		v.probs = append(v.probs, pathProblem{msg: fmt.Sprintf("`vars.%s` is not defined here", prop.Value), hint: varHint(v.sc, prop.Value), off: off, name: prop.Value})
	case id.Value == "random" && !slices.Contains([]string{"hex", "int", "uuid", "password"}, prop.Value):
		v.probs = append(v.probs, pathProblem{msg: fmt.Sprintf("`random.%s` does not exist", prop.Value), hint: "random has hex(n), int(a, b), uuid() and password()", off: off})
	case v.sc.feeders[id.Value] != nil && !slices.Contains(v.sc.feeders[id.Value], prop.Value):
		pr, _ := member(v.sc, id.Value, []string{id.Value, prop.Value}, []int{0, off})
		v.probs = append(v.probs, pr)
	}
}

// shift returns the position of the rune at offset off of src, which
// starts at pos. Lines after the first start at column 1 of the text as
// YAML delivered it (block scalars lose their indentation), so there the
// column is approximate.
func shift(pos Pos, src string, off int) Pos {
	for _, r := range src {
		if off <= 0 {
			break
		}
		off--
		if r == '\n' {
			pos.Line++
			pos.Col = 1
			continue
		}
		pos.Col++
	}
	return pos
}

// defineEnv makes an unset environment variable that an expression reads
// the empty string, as a shell would: `env.PROFILE == 'ci'` is then false
// instead of a run-time type error on a missing key. The environment is
// read once at load, so this is decided there too.
func (p *parser) defineEnv(name string) {
	if p.env == nil {
		return // a parser made by hand, in tests, with no environment at all
	}
	if _, ok := p.env[name]; !ok {
		p.env[name] = ""
	}
}
