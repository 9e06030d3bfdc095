package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// authHeader carries the raw authorization token (no "Bearer" prefix):
// X-DPT-AUTHORIZATION, spelled in its canonical form so that Header.Get
// finds it without allocating a canonical copy on every request.
const authHeader = "X-Dpt-Authorization"

// call is one API request on its way through a handler: the parsed input
// and, for authenticated routes, the caller's session and profile.
type call struct {
	w       http.ResponseWriter
	r       *http.Request
	op      string
	form    url.Values     // form body or query string; "field[]" keys kept as sent
	json    map[string]any // JSON body, when the request had one
	session *session
	profile *profile
}

// errBadBody is a body that is not what its Content-Type says.
var errBadBody = errors.New("malformed body")

// parseInput reads the body by Content-Type (form or JSON, §1.3) under
// the size limit, and the query string. It writes the 4xx itself and
// returns false on failure.
func (c *call) parseInput(limit int64) bool {
	if c.r.URL.RawQuery != "" {
		c.form = c.r.URL.Query()
	}
	if c.r.Body == nil || c.r.Method == http.MethodGet {
		return true
	}
	body, err := readBody(c.w, c.r, limit)
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			writeError(c.w, http.StatusRequestEntityTooLarge, "request.body_too_large")
		} else {
			writeError(c.w, http.StatusBadRequest, "request.unreadable_body")
		}
		return false
	}
	if len(body) == 0 {
		return true
	}
	mt := mediaType(c.r.Header.Get("Content-Type"))
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		err = c.parseJSON(body)
	case mt == "application/x-www-form-urlencoded" || mt == "":
		err = c.parseForm(body)
	default:
		writeError(c.w, http.StatusUnsupportedMediaType, "request.unsupported_media_type")
		return false
	}
	if err != nil {
		writeError(c.w, http.StatusBadRequest, "request.malformed_body")
		return false
	}
	return true
}

// preallocBody is the largest declared body read into one buffer of its
// declared size; a larger one is read as it arrives, so that a client
// declaring 4 MiB and sending one byte costs one byte, not 4 MiB.
const preallocBody = 64 << 10

// readBody reads the whole body under limit. With a small Content-Length
// (the common case) it reads into one buffer of that size: net/http
// already stops the body at that length, so no limiting reader or
// growing buffer is needed. Larger or chunked bodies are read through
// http.MaxBytesReader, growing with what arrives.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	n := r.ContentLength
	if n > limit {
		return nil, &http.MaxBytesError{Limit: limit}
	}
	if n < 0 || n > preallocBody {
		return io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r.Body, body); err != nil {
		return nil, err
	}
	return body, nil
}

// mediaType is the lower-case media type of a Content-Type value; the
// common exact values skip the parser.
func mediaType(ct string) string {
	switch ct {
	case "application/x-www-form-urlencoded", "application/json", "":
		return ct
	}
	mt, _, _ := mime.ParseMediaType(ct)
	return mt
}

func (c *call) parseJSON(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return errBadBody
	}
	m, ok := v.(map[string]any)
	if !ok && v != nil {
		return errBadBody
	}
	c.json = m
	return nil
}

func (c *call) parseForm(body []byte) error {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return errBadBody
	}
	if len(c.form) == 0 {
		c.form = vals
		return nil
	}
	for k, v := range vals { // the body wins over the query string
		c.form[k] = v
	}
	return nil
}

// raw returns the value of name as sent: a JSON value, or the form
// string(s). ok is false when the field is absent.
func (c *call) raw(name string) (v any, ok bool) {
	if v, ok := c.json[name]; ok {
		return v, true
	}
	if vs, ok := c.form[name]; ok && len(vs) > 0 {
		return vs[0], true
	}
	return nil, false
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"sim.internal_error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// writeError answers status with {"message": message} (§1.13).
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"message": message})
}

// fields collects validation problems of one request: field → keys,
// answered together as one 422 ValidationErrors body.
type fields struct {
	c    *call
	errs map[string][]string
}

func (c *call) fields() *fields { return &fields{c: c} }

func (f *fields) fail(name, key string) {
	if f.errs == nil {
		f.errs = map[string][]string{}
	}
	f.errs[name] = append(f.errs[name], key)
}

// ok reports whether there were no problems; otherwise it writes the 422.
func (f *fields) ok() bool {
	if len(f.errs) == 0 {
		return true
	}
	writeJSON(f.c.w, http.StatusUnprocessableEntity, map[string]any{"message": "Parameter Error", "errors": f.errs})
	return false
}

// str reads a string field of at most max bytes. Numbers and booleans
// are taken as their text (forms carry everything as strings).
func (f *fields) str(name string, required bool, max int) string {
	v, present := f.c.raw(name)
	if !present {
		if required {
			f.fail(name, "validation.required")
		}
		return ""
	}
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case json.Number:
		s = t.String()
	case bool:
		s = strconv.FormatBool(t)
	default:
		f.fail(name, "validation.string_expected")
		return ""
	}
	switch {
	case required && s == "":
		f.fail(name, "validation.required")
	case len(s) > max:
		f.fail(name, "validation.too_long")
	}
	return s
}

// integer reads an integer field in [lo, hi]; def when absent and optional.
func (f *fields) integer(name string, required bool, lo, hi, def int64) int64 {
	s := f.str(name, required, 32)
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil:
		f.fail(name, "validation.integer_expected")
	case n < lo || n > hi:
		f.fail(name, "validation.out_of_range")
	}
	return n
}

// absent fails for a field this endpoint does not accept.
func (f *fields) absent(name string) {
	if _, present := f.c.raw(name); present {
		f.fail(name, "validation.not_accepted")
	}
}

// optional reads an optional string field of at most max bytes; JSON
// null counts as absent, as clients that serialise unset fields send it.
func (f *fields) optional(name string, max int) string {
	if v, sent := f.c.raw(name); sent && v == nil {
		return ""
	}
	return f.str(name, false, max)
}

// strList reads a list of strings: a JSON array, a repeated form field
// (name[] or name), or one comma-separated string (the guide's form).
// Empty items are dropped, repeats kept once.
func (f *fields) strList(name string, max int) (list []string, present bool) {
	var raw []string
	switch v := f.c.json[name].(type) {
	case []any:
		for _, item := range v {
			s, ok := item.(string)
			if !ok {
				f.fail(name, "validation.string_list_expected")
				return nil, true
			}
			raw = append(raw, s)
		}
	case string:
		raw = []string{v}
	case nil:
		if _, inJSON := f.c.json[name]; inJSON {
			return nil, true
		}
		if raw = f.c.formArray(name); raw == nil {
			return nil, false
		}
	default:
		f.fail(name, "validation.string_list_expected")
		return nil, true
	}
	return f.cleanList(name, raw, max), true
}

// cleanList splits comma lists, drops blanks and repeats, and checks sizes.
// It stops at the first item beyond max, and finds repeats with a set, so
// a hostile body of a million items costs one pass, not a quadratic scan.
func (f *fields) cleanList(name string, raw []string, max int) []string {
	out, seen := []string{}, map[string]bool{}
	for _, r := range raw {
		for item := range strings.SplitSeq(r, ",") {
			item = strings.TrimSpace(item)
			switch {
			case item == "" || seen[item]:
			case len(item) > maxFieldLen:
				f.fail(name, "validation.too_long")
				return nil
			case len(out) == max:
				f.fail(name, "validation.too_many")
				return nil
			default:
				seen[item] = true
				out = append(out, item)
			}
		}
	}
	return out
}

// jsonObject reads an object field; absent gives nil.
func (f *fields) jsonObject(name string) map[string]any {
	v, ok := f.c.raw(name)
	if !ok {
		return nil
	}
	if m, isObject := v.(map[string]any); isObject {
		return m
	}
	if s, isString := v.(string); isString { // a form may carry the object as JSON text
		var m map[string]any
		if json.Unmarshal([]byte(s), &m) == nil && m != nil {
			return m
		}
	}
	f.fail(name, "validation.object_expected")
	return nil
}

// formArray returns the values of a PHP-style array field of a form or
// query string: every name[] key as sent, then every plain name key; nil
// when there is none.
func (c *call) formArray(name string) []string {
	return append(slices.Clone(c.form[name+"[]"]), c.form[name]...)
}
