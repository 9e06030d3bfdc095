package sim

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/pcflow/pcflow/sim/internal/pipeline"
)

// Message types of the WebSocket envelope {"data":{"type":…}} (§1.9).
const (
	typeCommandAck  = "X-DPT-CAB-ID"
	typeRequestData = "X-DPT-CAB-REQUEST-ID"
	typeStreamReady = "STREAM-READY"
)

// appendAck appends the X-DPT-CAB-ID message of a command, built by hand:
// this runs once per command, so it avoids reflection.
func appendAck(b []byte, id string, status int, body string) []byte {
	b = append(b, `{"data":{"type":"`+typeCommandAck+`","id":`...)
	b = appendString(b, id)
	b = append(b, `,"command_status":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, `,"body":`...)
	b = appendString(b, body)
	return append(b, "}}"...)
}

// pendingAck is the X-DPT-CAB-ID message "still in flight" of command id
// (status 1, body null, as in the docset's examples).
func pendingAck(id string) []byte {
	b := append(make([]byte, 0, 96), `{"data":{"type":"`+typeCommandAck+`","id":`...)
	b = appendString(b, id)
	return append(b, `,"command_status":1,"body":null}}`...)
}

// appendString appends s as a JSON string. Plain ASCII is copied; anything
// else goes through encoding/json.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf || c == '<' || c == '>' || c == '&' {
			out, _ := json.Marshal(s)
			return append(b, out...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// envelope wraps data as a WebSocket event: {"data":{…}}.
func envelope(data map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"data": data})
	return b
}

// requestDataMessage is the X-DPT-CAB-REQUEST-ID event of request-data.
func requestDataMessage(requestID, context string, outputType int, body string) []byte {
	return envelope(map[string]any{"type": typeRequestData, "id": requestID, "data_context": context,
		"command_status": pipeline.Succeeded, "output_type": outputType, "body": body})
}

// streamReadyMessage announces a downstream download. It carries both
// correlators the sources disagree on (§5.3 #8): id and requestId.
func streamReadyMessage(requestID, streamURL string) []byte {
	return envelope(map[string]any{"type": typeStreamReady, "id": requestID, "requestId": requestID, "streamUrl": streamURL})
}
