package scenario

// This file is the seam between the scenario language and the step
// catalogue: package steps declares each kind's parameters as specs, and
// the generic checker in this package validates any step's YAML node
// against them. Scenario never imports steps; cmd/pcflow hands
// steps.Builtin() to Load as a Catalogue.

// Catalogue is the set of step kinds a scenario may name.
type Catalogue interface {
	// Kind returns the spec of the named kind.
	Kind(name string) (*KindSpec, bool)
	// Kinds returns every kind's name, sorted, for "did you mean" hints,
	// `pcflow steps` and the JSON Schema.
	Kinds() []string
}

// KindSpec declares a step kind as far as the scenario language needs to
// know it: enough to check a step's parameters, to know which names it
// brings into scope for later steps, and to document it.
type KindSpec struct {
	Name    string // "reserve-token-space"
	Summary string // one line, for `pcflow steps`
	Params  []ParamSpec
	// Captures are the names the kind itself puts in scope for the steps
	// after it (upload captures "data_token"), besides those a step lists
	// under capture:. Each has a one-line doc.
	Captures []NameDoc
	// Metrics are the phases the kind emits: a subset of "http", "ack",
	// "total" (the step metric names are step.NAME.PHASE).
	Metrics []string
	// Inner lists the names of inner operations a composite kind times as
	// metrics of their own (step.NAME.INNER.PHASE), for thresholds and docs.
	Inner []string
	// Example is a YAML snippet of one step of this kind, for docs.
	Example string
	// Shorthand, when set, names the parameter that a scalar written in
	// place of the parameter mapping fills: `sleep: 200ms..800ms` is
	// `sleep: {duration: 200ms..800ms}`.
	Shorthand string
}

// NameDoc is a name with a one-line description.
type NameDoc struct {
	Name string
	Doc  string
}

// Param returns the named parameter's spec.
func (k *KindSpec) Param(name string) (*ParamSpec, bool) {
	for i := range k.Params {
		if k.Params[i].Name == name {
			return &k.Params[i], true
		}
	}
	return nil, false
}

// ParamSpec declares one parameter of a step kind.
type ParamSpec struct {
	Name     string // the wire name where there is one: "ttl", "dataToken"
	Type     ParamType
	Required bool
	// Default is the value used when the parameter is absent, written as a
	// scenario would write it ("5", "inline", "30s"); "" means no default.
	Default string
	Doc     string // one line
	// Enum lists the allowed values of a TypeEnum parameter.
	Enum []string
	// Elem is the element type of a TypeList or the value type of a
	// TypeMap parameter; zero means TypeString.
	Elem ParamType
	// Secret marks a parameter whose value is never printed: passwords,
	// tokens, keys and client secrets are redacted in traces and errors.
	Secret bool
}

// ParamType is the closed set of parameter types the checker knows.
type ParamType uint8

// The parameter types. Every scalar type also accepts a string that is
// exactly one ${…} expression, checked for its names at load and for its
// type at run time.
const (
	TypeString   ParamType = iota // any string; ${…} templates allowed
	TypeInt                       // a whole number (int64)
	TypeFloat                     // a number
	TypeBool                      // true or false
	TypeDuration                  // 250ms, 1m30s (time.Duration)
	TypeRange                     // a duration or a uniform range 200ms..800ms (Range)
	TypeSize                      // 512, 1KiB, 1.5MB, 3MiB (int64 bytes)
	TypeEnum                      // one of ParamSpec.Enum
	TypeList                      // a sequence of Elem
	TypeMap                       // a mapping of string keys to Elem
	TypeSteps                     // a nested list of steps (group, repeat)
	TypeExpr                      // a bare expression, not a ${…} template (repeat.while)
	TypeAny                       // any YAML value, kept as parsed (json bodies of the http step)
)

var paramTypeNames = [...]string{
	TypeString: "string", TypeInt: "int", TypeFloat: "number", TypeBool: "bool",
	TypeDuration: "duration", TypeRange: "duration or range", TypeSize: "size",
	TypeEnum: "enum", TypeList: "list", TypeMap: "map", TypeSteps: "steps",
	TypeExpr: "expression", TypeAny: "any",
}

// String names the type as `pcflow steps KIND` shows it.
func (t ParamType) String() string {
	if int(t) < len(paramTypeNames) {
		return paramTypeNames[t]
	}
	return "unknown"
}
