package scenario

import "fmt"

// Expr is one compiled expression of the scenario's expression language
// (github.com/expr-lang/expr): an if:, a check:, a repeat while: or the
// right-hand side of a capture:. It was compiled once at load, with every
// name it uses resolved; Eval only runs it. Immutable and safe for
// concurrent use.
type Expr struct {
	Source string // as written, for diagnoses
	Pos    Pos    // where it starts in its file
	eval   evaluator
}

// Eval runs the expression against env.
func (x *Expr) Eval(env *Env) (any, error) {
	if x.eval == nil {
		return nil, fmt.Errorf("%s: expression %q was not compiled", x.Pos, x.Source)
	}
	return x.eval.eval(env)
}

// Bool runs the expression and requires a boolean result.
func (x *Expr) Bool(env *Env) (bool, error) {
	v, err := x.Eval(env)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("%s: %q gave %T, want true or false", x.Pos, x.Source, v)
	}
	return b, nil
}
