package privicore

import (
	"encoding/json"
	"testing"
)

// slowFrame is the reference: encoding/json alone.
func slowFrame(b []byte) (wireEnvelope, bool) {
	var env wireEnvelope
	return env, json.Unmarshal(b, &env) == nil
}

func sameEnvelope(a, b wireEnvelope) bool {
	x, y := a.Data, b.Data
	return a.Status == b.Status && x.Type == y.Type && x.ID == y.ID && x.RequestID == y.RequestID &&
		x.CommandStatus == y.CommandStatus && x.OutputType == y.OutputType && bodyText(x.Body) == bodyText(y.Body) &&
		x.DataContext == y.DataContext && x.StreamURL == y.StreamURL && x.ChannelID == y.ChannelID && x.Text == y.Text
}

var frameSeeds = []string{
	`{"data":{"type":"X-DPT-CAB-ID","id":"23f7978a","command_status":2,"body":"Command completed successfully"}}`,
	`{"data":{"type":"X-DPT-CAB-ID","id":"a","command_status":3,"body":null}}`,
	`{"data":{"type":"X-DPT-CAB-REQUEST-ID","id":"b","data_context":"inv","command_status":2,"output_type":0,"body":"u9bJ0VOi=="}}`,
	`{"data":{"type":"STREAM-READY","id":"r","requestId":"r","streamUrl":"http://h:8011/?auth=t"}}`,
	`{"correlationId":"c","status":200,"data":{"channelId":"chn-1","message":"Successfully joined profile channel."}}`,
	`{"status":401,"data":{"message":"Invalid authorization token."}}`,
	` { "data" : { "ID" : "upper", "id":"x" } } `,
	`{"data":{"id":"a\"b","body":{"nested":[1,2]}}}`,
	`{"data":{"id":"a","id":null,"command_status":2.0}}`,
	`{"data":null}`, `[]`, `{"data":{"id":5}}`, `{"data":{"command_status":12345678901}}`, `{"x":[{}],"data":{}}`,
}

func TestFastFrameDecoderAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range frameSeeds {
		var got wireEnvelope
		ok := decodeFrame([]byte(s), &got)
		want, wantOK := slowFrame([]byte(s))
		if ok != wantOK || (ok && !sameEnvelope(got, want)) {
			t.Errorf("%s:\n fast %v %+v\n json %v %+v", s, ok, got, wantOK, want)
		}
	}
}

func FuzzFrameDecoder(f *testing.F) {
	for _, s := range frameSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var got wireEnvelope
		ok := decodeFrame(b, &got)
		want, wantOK := slowFrame(b)
		if ok != wantOK || (ok && !sameEnvelope(got, want)) {
			t.Fatalf("%q: fast %v %+v, json %v %+v", b, ok, got, wantOK, want)
		}
	})
}

func TestBodyTextMatchesJSONStringDecoding(t *testing.T) {
	for _, raw := range []string{`"plain"`, `"esc\"aped\n"`, `"ünï"`, `null`, `{"a":1}`, `12`, `""`, `"`, `"\u00e9"`} {
		var want string
		if json.Unmarshal([]byte(raw), &want) != nil {
			want = raw
		}
		if raw == "null" {
			want = ""
		}
		if got := bodyText(json.RawMessage(raw)); got != want {
			t.Errorf("bodyText(%s) = %q, want %q", raw, got, want)
		}
	}
}
