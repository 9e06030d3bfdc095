package privicore

import (
	"bytes"
	"encoding/json"
	"strings"
)

// ExtractCommandID normalises the three body shapes the command id comes in
// (reference §1.5): a bare JSON string (or unquoted text), a single-element
// array, or an object {"commandId": …}. It returns ErrNoCommandID when the
// body holds none of them.
func ExtractCommandID(body []byte) (string, error) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return "", ErrNoCommandID
	}
	if id, ok := plainQuoted(b); ok {
		return id, nil
	}
	var id string
	switch b[0] {
	case '"':
		if json.Unmarshal(b, &id) != nil {
			return "", ErrNoCommandID
		}
	case '[':
		var arr []string
		if json.Unmarshal(b, &arr) != nil || len(arr) == 0 {
			return "", ErrNoCommandID
		}
		id = arr[0]
	case '{':
		var obj struct {
			CommandID string `json:"commandId"`
		}
		if json.Unmarshal(b, &obj) != nil {
			return "", ErrNoCommandID
		}
		id = obj.CommandID
	default:
		if string(b) == "null" || string(b) == "true" || string(b) == "false" {
			return "", ErrNoCommandID
		}
		id = string(b)
	}
	id = strings.Trim(strings.TrimSpace(id), `"`)
	if id == "" || strings.ContainsAny(id, " \t\r\n{}[]") {
		return "", ErrNoCommandID
	}
	return id, nil
}

// stringOrField reads a body that the reference says arrives either as a
// bare string (JSON-quoted, in a one-element array, or raw text) or as an
// object holding the value under field (D2's token, D8's dtk, V2's
// deviceIdentifier). ok is false when neither form yields a value.
func stringOrField(body []byte, field string) (value string, ok bool) {
	b := bytes.TrimSpace(body)
	if len(b) > 0 && b[0] == '{' {
		var obj map[string]json.RawMessage
		if json.Unmarshal(b, &obj) != nil {
			return "", false
		}
		if json.Unmarshal(obj[field], &value) != nil {
			return "", false
		}
		return value, value != ""
	}
	v, err := ExtractCommandID(b)
	return v, err == nil
}

// bareStatus reads request-status's body: a bare string or a one-element
// array ("started", "succeeded", "rejected", …), or the legacy object form
// {"command_status": 2}. It returns the status word.
func bareStatus(body []byte) (string, bool) {
	b := bytes.TrimSpace(body)
	if len(b) > 0 && b[0] == '{' {
		var obj struct {
			Status *int `json:"command_status"`
		}
		if json.Unmarshal(b, &obj) != nil || obj.Status == nil {
			return "", false
		}
		return statusWord(*obj.Status), true
	}
	v, err := ExtractCommandID(b)
	return v, err == nil
}

func statusWord(code int) string {
	switch code {
	case StatusSucceeded:
		return "succeeded"
	case StatusRejected:
		return "rejected"
	default:
		return "started"
	}
}

// plainQuoted is the allocation-lean path for the common bodies "id" and
// ["id"] whose id needs no unescaping.
func plainQuoted(b []byte) (string, bool) {
	if len(b) > 2 && b[0] == '[' && b[len(b)-1] == ']' {
		b = bytes.TrimSpace(b[1 : len(b)-1])
	}
	if len(b) < 3 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := bytes.TrimSpace(b[1 : len(b)-1])
	if len(inner) == 0 || !plainASCII(inner) || bytes.ContainsAny(inner, " \t{}[]") {
		return "", false
	}
	return string(inner), true
}
