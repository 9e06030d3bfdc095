package privicore

import (
	"bytes"
	"encoding/json"
	"strings"
)

// decodeFrame parses one text frame into env. ok is false for frames that
// are not JSON objects of the expected shape; such frames are ignored like
// unknown types.
//
// The proxy's frames are flat ({"data":{…scalars…}}), so a small scanner
// reads them without reflection; anything it is not sure about (escapes in
// keys, nested values, keys that differ only in case, odd numbers) falls back
// to encoding/json, whose result the fast path must equal (a fuzz test
// holds the two together).
func decodeFrame(b []byte, env *wireEnvelope) bool {
	*env = wireEnvelope{}
	if fastFrame(b, env) {
		return true
	}
	*env = wireEnvelope{}
	return json.Unmarshal(b, env) == nil
}

// scanner walks a byte slice; fail marks "fall back to encoding/json".
type scanner struct {
	b    []byte
	i    int
	fail bool
}

func fastFrame(b []byte, env *wireEnvelope) bool {
	s := scanner{b: b}
	for i := 0; s.open(i); i++ {
		key, ok := s.next(i)
		if !ok {
			break
		}
		switch string(key) {
		case "status":
			s.setInt(&env.Status)
		case "data":
			s.data(&env.Data)
		default:
			s.skipScalar(key)
		}
	}
	s.space()
	return !s.fail && s.i == len(s.b)
}

// data reads the data object's fields.
func (s *scanner) data(d *wireData) {
	for i := 0; s.open(i); i++ {
		key, ok := s.next(i)
		if !ok {
			return
		}
		s.dataField(key, d)
	}
}

func (s *scanner) dataField(key []byte, d *wireData) {
	switch string(key) {
	case "type":
		if !s.literal("null") {
			d.Type = internType(s.rawString())
		}
	case "id":
		s.setStr(&d.ID)
	case "requestId":
		s.setStr(&d.RequestID)
	case "command_status":
		s.setInt(&d.CommandStatus)
	case "output_type":
		s.setInt(&d.OutputType)
	case "body":
		d.Body = s.rawScalar()
	case "data_context":
		s.setStr(&d.DataContext)
	case "streamUrl":
		s.setStr(&d.StreamURL)
	case "channelId":
		s.setStr(&d.ChannelID)
	case "message":
		s.setStr(&d.Text)
	default:
		s.skipScalar(key)
	}
}

// setStr reads a string into dst; null leaves dst as it is (encoding/json's rule).
func (s *scanner) setStr(dst *string) {
	if !s.literal("null") {
		*dst = string(s.rawString())
	}
}

// setInt reads an integer into dst; null leaves dst as it is.
func (s *scanner) setInt(dst *int) {
	if !s.literal("null") {
		*dst = s.integer()
	}
}

// knownKeys are every field name of the envelope; a key equal to one of them
// only case-insensitively needs encoding/json's matching rules.
var knownKeys = [...]string{"status", "data", "type", "id", "requestId", "command_status",
	"output_type", "body", "data_context", "streamUrl", "channelId", "message"}

func (s *scanner) skipScalar(key []byte) {
	for _, k := range knownKeys {
		if strings.EqualFold(k, string(key)) {
			s.fail = true
			return
		}
	}
	s.rawScalar()
}

// open consumes an object's '{' before its first key (i == 0); later it
// only reports whether scanning may go on.
func (s *scanner) open(i int) bool {
	if i == 0 {
		s.space()
		if !s.eat('{') {
			s.fail = true
		}
	}
	return !s.fail
}

// next positions the scanner at the value of the object's next key; ok is
// false at the closing '}' or on a syntax problem (then s.fail is set).
func (s *scanner) next(i int) (key []byte, ok bool) {
	s.space()
	if s.eat('}') {
		return nil, false
	}
	if i > 0 {
		if !s.eat(',') {
			s.fail = true
			return nil, false
		}
		s.space()
	}
	key = s.rawString()
	s.space()
	if s.fail || !s.eat(':') {
		s.fail = true
		return nil, false
	}
	s.space()
	return key, true
}

// rawString returns a string's contents; escapes make it fall back.
func (s *scanner) rawString() []byte {
	if !s.eat('"') {
		s.fail = true
		return nil
	}
	start := s.i
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			return s.b[start : s.i-1]
		case c == '\\' || c < 0x20 || c >= 0x80:
			s.fail = true // escapes and non-ASCII: let encoding/json decide
			return nil
		}
		s.i++
	}
	s.fail = true
	return nil
}

// integer reads an optionally negative run of at most 9 digits.
func (s *scanner) integer() int {
	neg := s.eat('-')
	start, n := s.i, 0
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' && s.i-start < 9 {
		n = n*10 + int(s.b[s.i]-'0')
		s.i++
	}
	if s.i == start || (s.b[start] == '0' && s.i-start > 1) || (s.i < len(s.b) && strings.IndexByte("0123456789.eE", s.b[s.i]) >= 0) {
		s.fail = true
	}
	if neg {
		return -n
	}
	return n
}

// rawScalar returns the bytes of a string, integer, true, false or null.
func (s *scanner) rawScalar() []byte {
	start := s.i
	switch {
	case s.i < len(s.b) && s.b[s.i] == '"':
		s.rawString()
	case s.literal("null"), s.literal("true"), s.literal("false"):
	default:
		s.integer()
	}
	return s.b[start:s.i]
}

func (s *scanner) literal(word string) bool {
	if bytes.HasPrefix(s.b[s.i:], []byte(word)) {
		s.i += len(word)
		return true
	}
	return false
}

func (s *scanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// internType returns the constant for known message types (no allocation).
func internType(t []byte) string {
	switch string(t) {
	case TypeCommandStatus:
		return TypeCommandStatus
	case TypeRequestData:
		return TypeRequestData
	case TypeStreamReady:
		return TypeStreamReady
	}
	return string(t)
}
