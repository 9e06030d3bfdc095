package scenario

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The run-time halves of Values that need evaluation. Each converts what
// its expressions give to the Go type of its ParamType (see Value).

// templateEval is a scalar written with ${…}.
type templateEval struct {
	t    *template
	src  string // as written: a template, never a secret's value
	typ  ParamType
	enum []string
	pos  Pos
	// secret hides the cause of a failure: expr-lang's run-time messages
	// can quote the values they failed on.
	secret bool
}

func (te *templateEval) eval(env *Env) (any, error) {
	x, err := te.t.expand(env)
	if err == nil {
		x, err = convert(x, te.typ, te.enum)
	}
	if err == nil {
		return x, nil
	}
	if te.secret {
		return nil, &EvalError{Pos: te.pos, Source: te.src, Err: errSecretHidden}
	}
	if ee := (*EvalError)(nil); errors.As(err, &ee) {
		return nil, err
	}
	return nil, &EvalError{Pos: te.pos, Source: te.src, Err: err}
}

var errSecretHidden = errors.New("failed; the cause is not shown because the parameter is a secret")

// exprEval is a bare expression (TypeExpr, and the Expr of if/check/capture).
type exprEval struct{ c *compiled }

func (x exprEval) eval(env *Env) (any, error) { return x.c.run(env) }

// listEval is a list with at least one element that needs evaluation.
type listEval struct{ elems []*Value }

func (l listEval) eval(env *Env) (any, error) {
	out := make([]any, len(l.elems))
	for i, v := range l.elems {
		x, err := v.Eval(env)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

// mapEval is a mapping with at least one value that needs evaluation.
type mapEval struct {
	keys []string
	vals []*Value
}

func (m mapEval) eval(env *Env) (any, error) {
	out := make(map[string]any, len(m.keys))
	for i, k := range m.keys {
		x, err := m.vals[i].Eval(env)
		if err != nil {
			return nil, err
		}
		out[k] = x
	}
	return out, nil
}

// convert turns an expression's result into the Go type of t.
func convert(x any, t ParamType, enum []string) (any, error) {
	switch t {
	case TypeString:
		switch s := x.(type) {
		case string:
			return s, nil
		case revealer:
			// A secret stays one (a privicore.Secret, a SecretText), so
			// that whoever prints the value prints it redacted.
			return s, nil
		}
		return string(appendValue(nil, x)), nil
	case TypeEnum:
		s, ok := x.(string)
		if !ok || !slices.Contains(enum, s) {
			return nil, fmt.Errorf("want one of %s", strings.Join(enum, ", "))
		}
		return s, nil
	case TypeInt:
		return toInt(x)
	case TypeFloat:
		return toFloat(x)
	case TypeBool:
		switch b := x.(type) {
		case bool:
			return b, nil
		case string:
			if v, err := strconv.ParseBool(b); err == nil {
				return v, nil
			}
		}
		return nil, fmt.Errorf("want true or false, got %s", kindOf(x))
	case TypeDuration:
		switch d := x.(type) {
		case time.Duration:
			return d, nil
		case string:
			return ParseDuration(d)
		}
		return nil, errDuration
	case TypeRange:
		switch d := x.(type) {
		case Range:
			return d, nil
		case time.Duration:
			return Range{d, d}, nil
		case string:
			return ParseRange(d)
		}
		return nil, errRange
	case TypeSize:
		if s, ok := x.(string); ok {
			return ParseSize(s)
		}
		n, err := toInt(x)
		if err != nil || n.(int64) < 0 {
			return nil, errSize
		}
		return n, nil
	}
	return x, nil
}

func toInt(x any) (any, error) {
	switch n := x.(type) {
	case int:
		return int64(n), nil
	case int64:
		return n, nil
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<63 {
			return int64(n), nil
		}
	case string:
		if v, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64); err == nil {
			return v, nil
		}
	}
	return nil, fmt.Errorf("want a whole number, got %s", kindOf(x))
}

func toFloat(x any) (any, error) {
	switch n := x.(type) {
	case int:
		return float64(n), nil
	case int64:
		return float64(n), nil
	case float64:
		return n, nil
	case string:
		if v, err := strconv.ParseFloat(strings.TrimSpace(n), 64); err == nil {
			return v, nil
		}
	}
	return nil, fmt.Errorf("want a number, got %s", kindOf(x))
}

// kindOf names a run-time value's shape without printing it: the value
// may be a secret.
func kindOf(x any) string {
	switch x.(type) {
	case nil:
		return "nothing (nil)"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int, int64, float64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("a %T", x)
}
