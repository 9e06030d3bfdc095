package scenario

import (
	"fmt"
	"time"
)

// Value is one parameter's value: either static (known at load) or an
// expression template compiled at load and evaluated per use against a
// VU's Env. Its run-time Go type follows its ParamType:
//
//	TypeString, TypeEnum  string
//	TypeInt, TypeSize     int64
//	TypeFloat             float64
//	TypeBool              bool
//	TypeDuration          time.Duration
//	TypeRange             Range
//	TypeList              []any (elements of the Elem type)
//	TypeMap               map[string]any
//	TypeSteps             []*Step (static only; see Steps)
//	TypeExpr              the expression's result
//	TypeAny               whatever the YAML or the expression gives
//
// A Value is immutable and safe for concurrent use.
type Value struct {
	Pos  Pos
	Type ParamType
	// Secret is copied from the parameter's spec: the value must never be
	// printed.
	Secret bool

	static any       // set when the value needs no evaluation
	steps  []*Step   // TypeSteps
	eval   evaluator // nil when static
}

// evaluator is what a compiled template or expression does at run time.
type evaluator interface {
	eval(env *Env) (any, error)
}

// StaticValue returns a value known at load time, for the loader and for
// kinds that fill in defaults.
func StaticValue(pos Pos, t ParamType, v any) *Value {
	return &Value{Pos: pos, Type: t, static: v}
}

// IsStatic reports whether the value needs no evaluation.
func (v *Value) IsStatic() bool { return v.eval == nil }

// Eval returns the value for env, converted to its type's Go type. An
// expression that fails, or whose result does not convert, is an error
// naming the value's position; steps report it as kind "expression".
func (v *Value) Eval(env *Env) (any, error) {
	if v.eval == nil {
		return v.static, nil
	}
	return v.eval.eval(env)
}

// String evaluates a TypeString or TypeEnum value. A string template is
// expanded straight into the result: its one allocation.
func (v *Value) String(env *Env) (string, error) {
	if t, ok := v.eval.(*templateEval); ok && t.t.whole == nil && v.Type == TypeString {
		return t.t.expandString(env)
	}
	x, err := v.Eval(env)
	if err != nil {
		return "", err
	}
	switch s := x.(type) {
	case string:
		return s, nil
	case revealer:
		return s.Reveal(), nil
	}
	return "", v.typeError(x, "a string")
}

// Int evaluates a TypeInt or TypeSize value.
func (v *Value) Int(env *Env) (int64, error) {
	x, err := v.Eval(env)
	if err != nil {
		return 0, err
	}
	n, ok := x.(int64)
	if !ok {
		return 0, v.typeError(x, "a whole number")
	}
	return n, nil
}

// Bool evaluates a TypeBool value.
func (v *Value) Bool(env *Env) (bool, error) {
	x, err := v.Eval(env)
	if err != nil {
		return false, err
	}
	b, ok := x.(bool)
	if !ok {
		return false, v.typeError(x, "true or false")
	}
	return b, nil
}

// Duration evaluates a TypeDuration value.
func (v *Value) Duration(env *Env) (time.Duration, error) {
	x, err := v.Eval(env)
	if err != nil {
		return 0, err
	}
	d, ok := x.(time.Duration)
	if !ok {
		return 0, v.typeError(x, "a duration like 250ms")
	}
	return d, nil
}

// Range evaluates a TypeRange value.
func (v *Value) Range(env *Env) (Range, error) {
	x, err := v.Eval(env)
	if err != nil {
		return Range{}, err
	}
	r, ok := x.(Range)
	if !ok {
		return Range{}, v.typeError(x, "a duration or a range like 200ms..800ms")
	}
	return r, nil
}

// Steps returns the nested steps of a TypeSteps value.
func (v *Value) Steps() []*Step { return v.steps }

func (v *Value) typeError(x any, want string) error {
	if v.Secret {
		return fmt.Errorf("%s: want %s, got a %T", v.Pos, want, x)
	}
	return fmt.Errorf("%s: want %s, got %v (%T)", v.Pos, want, x, x)
}
