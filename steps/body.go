package steps

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"unicode"

	"github.com/pcflow/pcflow/privicore"
)

// wireView is what an operation kind's response.body shows: the client's
// decoded answer as plain maps and lists with the wire's field names, so
// that a check reads `.fileName` as the API documents it, not the Go
// field `.FileName`. A field's name is its json tag where the client
// decodes it from one, else its Go name in lowerCamel with a trailing
// initialism folded ("ProfileID" → "profileId", "ExpiresAt" →
// "expiresAt"), the wire's convention. Values that marshal as text show
// as that text: times in RFC 3339, and secrets as "[redacted]" — a kind
// captures the secrets it produces itself, with their type, and nothing
// can reveal one from response.body. The embedded privicore.Timing is
// left out: response.timing has it. It runs only for a step that has a
// capture or check (keep), so the hot path never pays for it.
func wireView(v any) any { return viewOf(reflect.ValueOf(v)) }

var (
	timingType = reflect.TypeFor[privicore.Timing]()
	rawType    = reflect.TypeFor[json.RawMessage]()
	textType   = reflect.TypeFor[encoding.TextMarshaler]()
)

func viewOf(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	t := v.Type()
	switch {
	case t == rawType:
		var out any
		if json.Unmarshal(v.Bytes(), &out) != nil {
			return string(v.Bytes())
		}
		return out
	case t.Implements(textType) && t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface:
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return nil
		}
		return string(b)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return viewOf(v.Elem())
	case reflect.Struct:
		m := make(map[string]any, v.NumField())
		for i := range v.NumField() {
			f := t.Field(i)
			if !f.IsExported() || (f.Anonymous && f.Type == timingType) {
				continue
			}
			if name := wireName(f); name != "" {
				m[name] = viewOf(v.Field(i))
			}
		}
		return m
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return []any{}
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = viewOf(v.Index(i))
		}
		return out
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil
		}
		m := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			m[it.Key().String()] = viewOf(it.Value())
		}
		return m
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return int(v.Uint())
	case reflect.Float32, reflect.Float64:
		return v.Float()
	}
	return nil
}

// wireName is f's name on the wire; "" for a field json leaves out.
func wireName(f reflect.StructField) string {
	if tag, ok := f.Tag.Lookup("json"); ok {
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			return ""
		}
		if name != "" {
			return name
		}
	}
	return lowerCamel(f.Name)
}

// lowerCamel lowers the leading capital run of a Go name (keeping the
// last capital of a run that starts a new word: "URLPath" → "urlPath")
// and folds a trailing initialism to one capital ("PoolID" → "poolId").
func lowerCamel(name string) string {
	r := []rune(name)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	if n > 1 && n < len(r) {
		n-- // the run's last capital begins the next word
	}
	for i := range n {
		r[i] = unicode.ToLower(r[i])
	}
	for _, ini := range []string{"ID", "URL", "QR"} {
		if s := string(r); len(s) > len(ini) && strings.HasSuffix(s, ini) {
			return s[:len(s)-len(ini)] + ini[:1] + strings.ToLower(ini[1:])
		}
	}
	return string(r)
}
