package scenario

// stepSchemas adds to defs the schema of a step — one strict object per
// kind with its parameters — and of each parameter type.
func stepSchemas(cat Catalogue, defs map[string]any) {
	var variants []any
	if bare := kindsWithoutRequired(cat); len(bare) > 0 {
		variants = append(variants, map[string]any{"type": "string", "enum": bare})
	}
	for _, name := range cat.Kinds() {
		k, ok := cat.Kind(name)
		if !ok {
			continue
		}
		defs["kind:"+name] = kindParamsSchema(k)
		props := commonSchemas()
		props[name] = ref("kind:" + name)
		variants = append(variants, object(props, name))
	}
	defs["step"] = map[string]any{"anyOf": variants}
}

// commonSchemas are the fields every step takes.
func commonSchemas() map[string]any {
	return map[string]any{
		"name": map[string]any{"type": "string"}, "expect": ref("expect"), "capture": ref("capture"),
		"check": ref("check"), "timeout": ref("duration"), "if": exprSchema(),
	}
}

// kindParamsSchema is a kind's parameter mapping (common fields may sit
// inside it), null for none, or its shorthand scalar.
func kindParamsSchema(k *KindSpec) map[string]any {
	props := commonSchemas()
	var required []string
	for _, ps := range k.Params {
		props[ps.Name] = paramSchema(&ps)
		if ps.Required {
			required = append(required, ps.Name)
		}
	}
	obj := object(props, required...)
	if k.Summary != "" {
		obj["description"] = k.Summary
	}
	alts := []any{obj}
	if len(required) == 0 {
		alts = append(alts, map[string]any{"type": "null"})
	}
	if sh, ok := k.Param(k.Shorthand); ok && k.Shorthand != "" {
		alts = append(alts, paramSchema(sh))
	}
	return map[string]any{"anyOf": alts}
}

// paramSchema is the schema of one parameter's value. Every scalar type
// also takes a ${…} template, checked by the loader.
func paramSchema(ps *ParamSpec) map[string]any {
	s := typeSchema(ps.Type, ps)
	if ps.Doc != "" {
		s["description"] = ps.Doc
	}
	return s
}

func typeSchema(t ParamType, ps *ParamSpec) map[string]any {
	orTemplate := func(s map[string]any) map[string]any {
		return map[string]any{"anyOf": []any{s, ref("template")}}
	}
	switch t {
	case TypeString:
		return map[string]any{"type": []string{"string", "number", "boolean"}}
	case TypeInt:
		return orTemplate(map[string]any{"type": "integer"})
	case TypeFloat:
		return orTemplate(map[string]any{"type": "number"})
	case TypeBool:
		return orTemplate(map[string]any{"type": "boolean"})
	case TypeDuration:
		return orTemplate(ref("duration"))
	case TypeRange:
		return orTemplate(map[string]any{"type": "string", "description": "a duration or a range like 200ms..800ms",
			"pattern": `^[0-9.a-zµ]+(\.\.[0-9.a-zµ]+)?$`})
	case TypeSize:
		return orTemplate(map[string]any{"anyOf": []any{nonNegInt(), map[string]any{"type": "string",
			"pattern": `^\s*[0-9]+(\.[0-9]+)?\s*(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?\s*$`}}})
	case TypeEnum:
		return orTemplate(map[string]any{"enum": ps.Enum})
	case TypeList:
		return map[string]any{"type": "array", "items": typeSchema(elemOf(ps), ps)}
	case TypeMap:
		return map[string]any{"type": "object", "additionalProperties": typeSchema(elemOf(ps), ps)}
	case TypeSteps:
		return ref("steps")
	case TypeExpr:
		return exprSchema()
	}
	return map[string]any{}
}

func elemOf(ps *ParamSpec) ParamType {
	if ps == nil {
		return TypeString
	}
	return ps.Elem
}
