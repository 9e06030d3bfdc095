package scenario

import (
	"encoding/json"
	"slices"
)

// Schema returns a JSON Schema (draft 2020-12) of the whole scenario
// format, with every kind of cat and its parameters, for editors (YAML
// language servers read JSON Schema) and for checking files in CI. It
// describes the structure — keys, kinds, parameter types, value forms —
// not what needs the loader: names in scope, feeder files, metrics that
// thresholds name. Validate remains the authority.
func Schema(cat Catalogue) ([]byte, error) {
	defs := map[string]any{
		"duration":  durationSchema(),
		"template":  map[string]any{"type": "string", "pattern": `\$\{`},
		"load":      loadSchema(),
		"stage":     object(map[string]any{"duration": ref("duration"), "target": nonNegInt()}, "duration", "target"),
		"threshold": thresholdSchema(),
		"feeder": object(map[string]any{
			"csv":    map[string]any{"type": "string", "description": "CSV file with a header, relative to the scenario"},
			"pick":   enumOf(string(PickPerVU), string(PickPerIteration), string(PickRandom)),
			"on-end": enumOf(string(OnEndWrap), string(OnEndStop)),
		}, "csv"),
		"vars":     map[string]any{"type": "object", "propertyNames": identPattern()},
		"data":     map[string]any{"type": "object", "propertyNames": identPattern(), "additionalProperties": ref("feeder")},
		"steps":    map[string]any{"type": "array", "items": ref("step")},
		"expect":   expectSchema(),
		"capture":  map[string]any{"type": "object", "propertyNames": identPattern(), "additionalProperties": exprSchema()},
		"check":    map[string]any{"anyOf": []any{exprSchema(), map[string]any{"type": "array", "items": exprSchema()}}},
		"workload": object(workloadProps(), "steps"),
	}
	stepSchemas(cat, defs)
	props := workloadProps()
	props["name"] = map[string]any{"type": "string"}
	props["description"] = map[string]any{"type": "string"}
	props["thresholds"] = map[string]any{"type": "object", "additionalProperties": map[string]any{
		"anyOf": []any{ref("threshold"), map[string]any{"type": "array", "items": ref("threshold")}}}}
	props["setup"], props["teardown"] = ref("steps"), ref("steps")
	props["workloads"] = map[string]any{"type": "object", "minProperties": 1,
		"propertyNames": map[string]any{"pattern": `^[A-Za-z0-9_-]+$`}, "additionalProperties": ref("workload")}
	single := []any{}
	for _, k := range workloadKeys() {
		single = append(single, map[string]any{"required": []string{k}})
	}
	root := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  "https://github.com/pcflow/pcflow/scenario.schema.json",
		"title":                "pcflow scenario",
		"type":                 "object",
		"properties":           props,
		"additionalProperties": false,
		// The single form needs steps; the workloads form has none of the
		// single form's keys at the top.
		"if":    map[string]any{"required": []string{"workloads"}},
		"then":  map[string]any{"not": map[string]any{"anyOf": single}},
		"else":  map[string]any{"required": []string{"steps"}},
		"$defs": defs,
	}
	return json.MarshalIndent(root, "", "  ")
}

func workloadProps() map[string]any {
	return map[string]any{
		"load": ref("load"), "vars": ref("vars"), "data": ref("data"),
		"vu-setup": ref("steps"), "steps": map[string]any{"type": "array", "items": ref("step"), "minItems": 1},
		"vu-teardown": ref("steps"),
	}
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/$defs/" + name} }

// object is a strict object schema: only props, with required ones.
func object(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func enumOf(values ...string) map[string]any { return map[string]any{"enum": values} }

func identPattern() map[string]any { return map[string]any{"pattern": `^[A-Za-z_][A-Za-z0-9_]*$`} }

func nonNegInt() map[string]any { return orTemplate(map[string]any{"type": "integer", "minimum": 0}) }

// orTemplate also accepts a ${…} template in a field the loader evaluates
// once at load (atLoad: `vus: ${env.VUS}`).
func orTemplate(s map[string]any) map[string]any {
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "string", "pattern": `\$\{`,
		"description": "a template evaluated at load; it may read env.NAME, random.* and now()"}}}
}

func durationSchema() map[string]any {
	return orTemplate(map[string]any{"type": "string", "pattern": `^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$`,
		"description": "a duration like 250ms, 30s or 1m30s"})
}

// exprSchema is an expression: YAML may read `true` or `1` as non-strings.
func exprSchema() map[string]any {
	return map[string]any{"type": []string{"string", "boolean", "number"}}
}

func expectSchema() map[string]any {
	return object(map[string]any{
		"status":         orTemplate(map[string]any{"type": "integer", "minimum": 100, "maximum": 599}),
		"command-status": enumOf("ok", "rejected", "any"),
		"reason":         map[string]any{"type": "string"},
	})
}

func thresholdSchema() map[string]any {
	criterion := map[string]any{"type": "string",
		"pattern": `^\s*(p[0-9]+(\.[0-9]+)?|min|max|mean|avg|count|rate)\s+(<|<=|>|>=|==)\s+\S+\s*$`}
	return map[string]any{"anyOf": []any{criterion, object(map[string]any{
		"expr": criterion, "abort-on-fail": map[string]any{"type": "boolean"}, "delay": ref("duration"),
	}, "expr")}}
}

// loadSchema is one strict object per executor, k6's fields in kebab case.
func loadSchema() map[string]any {
	field := func(f string) any {
		switch f {
		case "vus", "pre-allocated-vus", "max-vus":
			return orTemplate(map[string]any{"type": "integer", "minimum": 1, "maximum": MaxVUs})
		case "start-vus":
			return orTemplate(map[string]any{"type": "integer", "minimum": 0, "maximum": MaxVUs})
		case "iterations":
			return orTemplate(map[string]any{"type": "integer", "minimum": 1})
		case "rate", "start-rate":
			return orTemplate(map[string]any{"type": "string", "pattern": `^\s*[0-9]+(\.[0-9]+)?\s*/\s*(s|m|h|[0-9.]+(ns|us|µs|ms|s|m|h))\s*$`})
		case "stages":
			return map[string]any{"type": "array", "items": ref("stage"), "minItems": 1}
		}
		return ref("duration")
	}
	var variants []any
	for _, x := range executors() {
		own := executorFields(Executor(x))
		props := map[string]any{"executor": map[string]any{"const": x},
			"graceful-stop": ref("duration"), "start-time": ref("duration")}
		for _, f := range own {
			props[f] = field(f)
		}
		required := []string{"executor"}
		switch Executor(x) {
		case ConstantVUs:
			required = append(required, "duration")
		case RampingVUs, RampingArrivalRate:
			required = append(required, "stages")
		case ConstantArrivalRate:
			required = append(required, "rate", "duration")
		}
		variants = append(variants, object(props, required...))
	}
	return map[string]any{"oneOf": variants}
}

// kindsWithoutRequired are the kinds a bare `- KIND` may name.
func kindsWithoutRequired(cat Catalogue) []string {
	var out []string
	for _, name := range cat.Kinds() {
		k, ok := cat.Kind(name)
		if ok && !slices.ContainsFunc(k.Params, func(p ParamSpec) bool { return p.Required }) {
			out = append(out, name)
		}
	}
	return out
}
