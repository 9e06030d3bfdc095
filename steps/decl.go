package steps

import (
	"strings"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

// This file holds the small constructors the declarations are written
// with, so that each kind reads as one literal: what it is called, what it
// takes, what it gives back.

// must declares a required parameter.
func must(name string, t scenario.ParamType, doc string) scenario.ParamSpec {
	return scenario.ParamSpec{Name: name, Type: t, Required: true, Doc: doc}
}

// opt declares an optional parameter with a default ("" for none).
func opt(name string, t scenario.ParamType, def, doc string) scenario.ParamSpec {
	return scenario.ParamSpec{Name: name, Type: t, Default: def, Doc: doc}
}

// enum declares an optional one-of parameter with a default.
func enum(name, def, doc string, values ...string) scenario.ParamSpec {
	return scenario.ParamSpec{Name: name, Type: scenario.TypeEnum, Default: def, Doc: doc, Enum: values}
}

// hidden marks p as a secret: never printed in traces or errors.
func hidden(p scenario.ParamSpec) scenario.ParamSpec {
	p.Secret = true
	return p
}

// list declares an optional list parameter of elem.
func list(name string, elem scenario.ParamType, doc string) scenario.ParamSpec {
	return scenario.ParamSpec{Name: name, Type: scenario.TypeList, Elem: elem, Doc: doc}
}

// captures lists name/doc pairs as NameDocs.
func captures(pairs ...string) []scenario.NameDoc {
	out := make([]scenario.NameDoc, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, scenario.NameDoc{Name: pairs[i], Doc: pairs[i+1]})
	}
	return out
}

var (
	syncPhases  = []string{metrics.PhaseHTTP, metrics.PhaseTotal}
	asyncPhases = []string{metrics.PhaseHTTP, metrics.PhaseAck, metrics.PhaseTotal}
	totalPhase  = []string{metrics.PhaseTotal}
)

// opDecl is one operation kind as the ops_*.go files write it: a thin
// declaration over one client method.
type opDecl struct {
	name, summary string
	method, path  string // the live wire, for traces and diagnoses
	async         bool   // the step ends when its WebSocket message arrived
	public        bool   // needs no session (the Client serves it)
	params        []scenario.ParamSpec
	captures      []scenario.NameDoc
	inner         []string // inner operations timed as step.NAME.INNER.PHASE
	example       string   // "" → generated from the required parameters
	run           runFunc
}

// op turns a declaration into a Kind.
func op(d opDecl) *Kind {
	phases := syncPhases
	if d.async {
		phases = asyncPhases
	}
	k := &Kind{
		KindSpec: scenario.KindSpec{
			Name: d.name, Summary: d.summary, Params: d.params,
			Captures: d.captures, Metrics: phases, Example: d.example, Inner: d.inner,
		},
		Method: d.method, Path: d.path, Session: !d.public, run: d.run,
	}
	if k.Example == "" {
		k.Example = exampleOf(&k.KindSpec)
	}
	return k
}

// exampleOf writes a one-step example from the required parameters, each
// given as an expression of a capture of the same name.
func exampleOf(k *scenario.KindSpec) string {
	var b strings.Builder
	b.WriteString("- " + k.Name + ": {")
	n := 0
	for _, p := range k.Params {
		if !p.Required {
			continue
		}
		if n > 0 {
			b.WriteString(", ")
		}
		n++
		b.WriteString(p.Name + ": " + exampleValue(p))
	}
	b.WriteString("}")
	return b.String()
}

func exampleValue(p scenario.ParamSpec) string {
	switch p.Type {
	case scenario.TypeInt:
		return "5"
	case scenario.TypeBool:
		return "true"
	case scenario.TypeEnum:
		return p.Enum[0]
	case scenario.TypeList:
		return "[\"${" + snake(p.Name) + "}\"]"
	}
	return "\"${" + snake(p.Name) + "}\""
}

// snake turns a wire name (dataToken, policy-id) into a capture-like name
// (data_token, policy_id) for generated examples.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r + 'a' - 'A')
		case r == '-':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
