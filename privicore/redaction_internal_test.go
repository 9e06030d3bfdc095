package privicore

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// sentinel stands for every secret below; leaked() finds it in any of the
// forms fmt prints strings and byte slices in.
const sentinel = "SENTINEL"

func leaked(out string) bool {
	b := []byte(sentinel)
	return strings.Contains(out, sentinel) ||
		strings.Contains(out, strings.Trim(fmt.Sprint(b), "[]")) || // %v of []byte: 83 69 78 …
		strings.Contains(out, fmt.Sprintf("%#v", b)[8:24]) || // %#v of []byte: 0x53, 0x45, …
		strings.Contains(out, fmt.Sprintf("%x", b)) ||
		strings.Contains(out, strings.ReplaceAll(strings.Trim(fmt.Sprint(b), "[]"), " ", ",")) || // JSON of a byte array: 83,69,78,…
		strings.Contains(out, base64.StdEncoding.EncodeToString(b)[:8]) // JSON of a []byte: base64
}

// TestEveryTypeHoldingASecretRedactsItUnderEveryVerb prints each such type
// (results, options, errors, and the types with unexported secret fields)
// with %v, %+v, %#v and %s.
func TestEveryTypeHoldingASecretRedactsItUnderEveryVerb(t *testing.T) {
	var key AESKey
	copy(key[:], sentinel+sentinel+sentinel+sentinel)
	var priv PrivateKey
	copy(priv[:], key[:])
	secret := Secret(sentinel)
	inline := Message{Type: TypeRequestData, ID: "r-1", Body: sentinel}
	stream := Message{Type: TypeStreamReady, ID: "r-2", StreamURL: "http://h/?auth=" + sentinel, Stream: sentinel}
	ack := Ack{CommandID: "c-1", Message: inline}
	pending := &Pending{op: "request-data", id: "r-1", ack: ack}
	values := map[string]any{
		"Secret":              secret,
		"AESKey":              key,
		"KeyPair":             KeyPair{Private: priv},
		"Request":             Request{Op: "authenticate", Path: "http://up/?auth=" + sentinel, Form: url.Values{"password": {sentinel}, "data": {sentinel}}, token: secret, pass: secret},
		"Session":             &Session{token: secret},
		"polling Session":     &Session{token: secret, poll: true},
		"Pending":             pending,
		"Message inline":      inline,
		"Message stream":      stream,
		"Ack":                 ack,
		"RequestedData":       RequestedData{Ack: ack, Inline: []byte(sentinel), Download: secret},
		"Retrieved":           Retrieved{Plaintext: []byte(sentinel), Request: RequestedData{Inline: []byte(sentinel)}},
		"StoreParams":         StoreParams{Key: key, Plaintext: []byte(sentinel), Context: "c"},
		"Stored":              Stored{Temporary: TemporaryToken{Token: "tmp-1", Stream: secret}, Exchange: ack},
		"DeviceConfiguration": DeviceConfiguration{raw: []byte(`{"password":"` + sentinel + `"}`)},
		"GeneratedKeys":       GeneratedKeys{PrivateKey: secret},
		"Authorization":       Authorization{Token: secret},
		"Reauthorization":     Reauthorization{Authorization: Authorization{Token: secret}, Ack: ack},
		"QRToken":             QRToken{Token: secret},
		"OAuthAppConfig":      OAuthAppConfig{Credentials: ClientCredentials{ClientID: "cli", ClientSecret: secret}},
		"OAuthCode":           OAuthCode{Code: secret},
		"OAuthToken":          OAuthToken{Token: secret, RefreshToken: secret},
		"SessionLostError":    &SessionLostError{Cause: errors.New(`Get "http://h/?auth=` + sentinel + `": EOF`)},
		"TransportError":      &TransportError{Op: "download-data", Err: errors.New("EOF"), text: redactQuery("GET /?auth=" + sentinel)},
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			if out := fmt.Sprintf(verb, v); leaked(out) {
				t.Errorf("%s printed with %s leaks: %s", name, verb, out)
			}
		}
		// Structured loggers and encoders print through encoding/json or
		// encoding.TextMarshaler instead of fmt (issue 13: json.Marshal of a
		// KeyPair printed the private key's bytes).
		out, err := json.Marshal(v)
		if err != nil || leaked(string(out)) {
			t.Errorf("%s through encoding/json (err %v) leaks: %s", name, err, out)
		}
		if tm, ok := v.(encoding.TextMarshaler); ok {
			if out, err := tm.MarshalText(); err != nil || leaked(string(out)) {
				t.Errorf("%s through MarshalText (err %v) leaks: %s", name, err, out)
			}
		}
	}
}
