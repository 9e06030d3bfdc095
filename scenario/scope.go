package scenario

import (
	"maps"
	"slices"
	"time"

	"github.com/expr-lang/expr/types"
)

// isBuiltin reports whether name is one of the names every expression
// may use; a var, a capture or a feeder cannot take it.
func isBuiltin(name string) bool {
	switch name {
	case "vu", "iteration", "workload", "env", "vars", "random", "now", "response":
		return true
	}
	return false
}

// scope is the set of names an expression may use at one place of the
// file: the built-ins, the workload's vars (where vars exist), its feeders
// and the captures of everything that ran before. Captures are added as
// the loader walks the steps in order, which is what makes "used before it
// is defined" a load-time error.
type scope struct {
	vars     []string            // vars.NAME (and bare NAME), in order
	varsOK   bool                // vars are bound here (not in setup or vu-setup)
	feeders  map[string][]string // feeder name → its columns
	captures map[string]Pos      // bare names bound by earlier steps
	typ      types.Map           // cached expression environment; nil when stale
	typResp  types.Map           // the same with response
}

func newScope() *scope {
	return &scope{feeders: map[string][]string{}, captures: map[string]Pos{}}
}

// fork returns a copy that can grow without changing s.
func (s *scope) fork() *scope {
	return &scope{vars: slices.Clone(s.vars), varsOK: s.varsOK, feeders: maps.Clone(s.feeders),
		captures: maps.Clone(s.captures)}
}

// capture binds name for what follows.
func (s *scope) capture(name string, pos Pos) {
	if _, ok := s.captures[name]; !ok {
		s.typ, s.typResp = nil, nil
	}
	s.captures[name] = pos
}

// absorb adds the captures of a nested list (group, repeat): the steps
// after the block see them.
func (s *scope) absorb(inner *scope) {
	for n, p := range inner.captures {
		s.capture(n, p)
	}
}

func (s *scope) isVar(name string) bool { return s.varsOK && slices.Contains(s.vars, name) }

// bare reports whether a bare name is bound here (a var or a capture).
func (s *scope) bare(name string) bool {
	_, ok := s.captures[name]
	return ok || s.isVar(name)
}

// known lists the names a hint may suggest.
func (s *scope) known(withResponse bool) []string {
	out := []string{"vu", "iteration", "workload", "env", "random", "now"}
	if s.varsOK {
		out = append(out, "vars")
		out = append(out, s.vars...)
	}
	if withResponse {
		out = append(out, "response")
	}
	for f := range s.feeders {
		out = append(out, f)
	}
	for c := range s.captures {
		out = append(out, c)
	}
	slices.Sort(out) // a tie between two near names must hint the same every run
	return out
}

// exprEnv is the scope as the expression checker's environment: strict
// maps, so that a name or a feeder column that does not exist fails to
// compile. Captures and vars are typed any: their values are known only
// at run time.
func (s *scope) exprEnv(withResponse bool) types.Map {
	if withResponse && s.typResp != nil {
		return s.typResp
	}
	if !withResponse && s.typ != nil {
		return s.typ
	}
	m := types.Map{
		"vu": types.Int, "iteration": types.Int, "workload": types.String,
		"env": types.Map{types.Extra: types.String},
		"random": types.Map{
			"hex":      types.TypeOf(func(int) string { return "" }),
			"int":      types.TypeOf(func(int, int) int { return 0 }),
			"uuid":     types.TypeOf(func() string { return "" }),
			"password": types.TypeOf(func() string { return "" }),
		},
		"now": types.TypeOf(func() time.Time { return time.Time{} }),
	}
	vars := types.Map{}
	if s.varsOK {
		for _, v := range s.vars {
			vars[v] = types.Any
			m[v] = types.Any
		}
		m["vars"] = vars
	}
	for f, cols := range s.feeders {
		row := types.Map{}
		for _, c := range cols {
			row[c] = types.String
		}
		m[f] = row
	}
	for c := range s.captures {
		m[c] = types.Any
	}
	if withResponse {
		m["response"] = types.TypeOf(&Response{})
		s.typResp = m
	} else {
		s.typ = m
	}
	return m
}
