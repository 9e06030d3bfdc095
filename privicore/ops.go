package privicore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
)

// Result is the answer of a synchronous operation with no payload of interest.
type Result struct {
	HTTPStatus int // the 2xx status
	Timing
}

// Accepted is the answer of an async command whose outcome cannot be
// awaited on a socket (register-profile: the profile has no channel yet).
type Accepted struct {
	CommandID  string // await it with Client.WaitCommand
	HTTPStatus int    // 200 or 202
	Timing
}

// call sends a synchronous request with the session's token.
func (s *Session) call(ctx context.Context, r Request) (*response, error) {
	if err := s.Err(); err != nil {
		return nil, err
	}
	r.auth, r.token, r.tokenHdr = authToken, s.token, s.tokenHdr
	return s.c.do(ctx, &r)
}

// result is call for operations whose body does not matter.
func (s *Session) result(ctx context.Context, r Request) (Result, error) {
	res, err := s.call(ctx, r)
	if err != nil {
		return Result{}, err
	}
	return Result{HTTPStatus: res.status, Timing: res.timing}, nil
}

// command submits an async command and waits for its outcome.
func (s *Session) command(ctx context.Context, r Request) (Ack, error) {
	p, err := s.Submit(ctx, r)
	if err != nil {
		return Ack{}, err
	}
	return p.Wait(ctx)
}

// decodeInto is call + JSON decode into v.
func (s *Session) decodeInto(ctx context.Context, r Request, v any) (Timing, error) {
	res, err := s.call(ctx, r)
	if err != nil {
		return Timing{}, err
	}
	return res.timing, decodeJSON(r.Op, res.body, v)
}

// form builds url.Values from key, value pairs.
func form(kv ...string) url.Values {
	v := make(url.Values, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// post and get build token-authenticated requests (auth is set on send).
func post(op, path string, f url.Values) Request {
	if f == nil {
		f = url.Values{}
	}
	return Request{Op: op, Method: "POST", Path: path, Form: f}
}

func postJSON(op, path string, body any) Request {
	return Request{Op: op, Method: "POST", Path: path, JSON: body}
}

func get(op, path string) Request { return Request{Op: op, Method: "GET", Path: path} }

// required reports the first empty value among name, value pairs.
func required(op string, kv ...string) error {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			return invalid(op, "%s is required", kv[i])
		}
	}
	return nil
}

// byDevice is the shape of every deviceIdentifier-only async command.
func (s *Session) byDevice(ctx context.Context, op, path, deviceID string) (Ack, error) {
	if err := required(op, "deviceIdentifier", deviceID); err != nil {
		return Ack{}, err
	}
	return s.command(ctx, post(op, path, form("deviceIdentifier", deviceID)))
}

// byPolicy is the shape of every policyId-only async command.
func (s *Session) byPolicy(ctx context.Context, op, path, policyID string) (Ack, error) {
	if err := required(op, "policyId", policyID); err != nil {
		return Ack{}, err
	}
	return s.command(ctx, post(op, path, form("policyId", policyID)))
}

// badBody is a *DecodeError for a body that parsed but is not the answer
// (why says what is missing); body is shown truncated, so pass nil where
// it could hold a secret.
func badBody(op string, body []byte, why string) error {
	if len(body) > 64 {
		body = body[:64]
	}
	return &DecodeError{Op: op, Body: redactQuery(string(body)), Err: errors.New(why)}
}

// list is a synchronous call whose body is a list (decodeList's shapes).
func list[T any](ctx context.Context, s *Session, r Request) ([]T, Timing, error) {
	res, err := s.call(ctx, r)
	if err != nil {
		return nil, Timing{}, err
	}
	var items []T
	err = decodeList(r.Op, res.body, &items)
	return items, res.timing, err
}

// decodeList reads a list that arrives as a bare array or as an object
// wrapping it under "items" (or another list-valued field).
func decodeList[T any](op string, body []byte, out *[]T) error {
	b := bytes.TrimSpace(body)
	if len(b) > 0 && b[0] == '[' {
		return decodeJSON(op, b, out)
	}
	var obj map[string]json.RawMessage
	if err := decodeJSON(op, b, &obj); err != nil {
		return err
	}
	for _, key := range []string{"items", "devices", "policies", "configurations", "data"} {
		if raw, ok := obj[key]; ok {
			return decodeJSON(op, raw, out)
		}
	}
	*out = nil
	return nil
}

// StringList decodes a JSON array of strings or a comma-separated string.
type StringList []string

// UnmarshalJSON accepts an array of strings or a comma-separated string.
func (f *StringList) UnmarshalJSON(b []byte) error {
	var arr []string
	if json.Unmarshal(b, &arr) == nil {
		*f = arr
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*f = splitComma(s)
	return nil
}

// flexInt decodes a JSON number or a numeric string.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		var s string
		if json.Unmarshal(b, &s) != nil {
			return err
		}
		n = json.Number(s)
	}
	v, err := strconv.Atoi(n.String())
	*f = flexInt(v)
	return err
}

func splitComma(s string) []string {
	var out []string
	for _, part := range bytes.Split([]byte(s), []byte(",")) {
		if p := string(bytes.TrimSpace(part)); p != "" {
			out = append(out, p)
		}
	}
	return out
}
