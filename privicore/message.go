package privicore

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// WebSocket message types (reference §1.9).
const (
	TypeCommandStatus = "X-DPT-CAB-ID"
	TypeRequestData   = "X-DPT-CAB-REQUEST-ID"
	TypeStreamReady   = "STREAM-READY"
)

// command_status values (reference §1.6).
const (
	StatusPending   = 1
	StatusSucceeded = 2
	StatusRejected  = 3
)

// output_type values of X-DPT-CAB-REQUEST-ID, in the guide's reading: 0 the
// body is the payload inline (base64), 1 the body is a downstream token and
// a STREAM-READY follows. In the site's reading the body of 1 is the full
// download URL and no STREAM-READY comes: such a body settles the request
// by itself.
const (
	OutputInline   = 0
	OutputStreamed = 1
)

// Message is one decoded server → client WebSocket event (the `data` object).
type Message struct {
	Type          string // data.type: TypeCommandStatus, TypeRequestData or TypeStreamReady
	ID            string // data.id: the command id or request id
	RequestID     string // data.requestId: STREAM-READY's other correlation form
	CommandStatus int    // command_status: StatusPending, StatusSucceeded, StatusRejected (0 if absent)
	OutputType    int    // output_type of TypeRequestData: OutputInline or OutputStreamed
	Body          string // body as text: a JSON string unquoted, null as ""
	DataContext   string // data_context (site only)
	StreamURL     string // STREAM-READY's streamUrl (carries a single-use ?auth=)
	// Stream is the body of the X-DPT-CAB-REQUEST-ID that preceded a
	// STREAM-READY (downstream token or URL); set on merged stream messages.
	Stream  string
	Arrived time.Time // when the read loop received it (or request-status answered)
	// Reconciled marks a message synthesised from a request-status answer.
	Reconciled bool
}

// String prints the correlation facts but never a request's body (it is
// stored ciphertext or a downstream token).
func (m Message) String() string {
	s := m.Type + " id=" + m.key() + " status=" + strconv.Itoa(m.CommandStatus)
	if m.Type == TypeCommandStatus && m.Body != "" {
		s += " body=" + m.Body
	}
	return s
}

// GoString is String: %#v must not print a body either.
func (m Message) GoString() string { return m.String() }

// MarshalText is String, for encoding/json and other text encoders.
func (m Message) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// key is the correlation id: data.id, else data.requestId; for a
// STREAM-READY requestId first, as its name says what it is ([A] keys it by
// requestId and leaves id unexplained; [G] and the simulator send both
// equal).
func (m *Message) key() string {
	if m.RequestID != "" && (m.Type == TypeStreamReady || m.ID == "") {
		return m.RequestID
	}
	return m.ID
}

// terminal reports whether m settles its waiter on its own.
func (m *Message) terminal() bool {
	switch m.Type {
	case TypeCommandStatus:
		return m.CommandStatus == StatusSucceeded || m.CommandStatus == StatusRejected
	case TypeRequestData:
		return m.OutputType != OutputStreamed || m.CommandStatus == StatusRejected || isDownloadURL(m.Body)
	case TypeStreamReady:
		return true
	}
	return false
}

// isDownloadURL reports whether an output_type 1 body is the site's full
// download URL (http or https with an auth query) rather than a bare
// downstream token.
func isDownloadURL(body string) bool {
	if !strings.HasPrefix(body, "http://") && !strings.HasPrefix(body, "https://") {
		return false
	}
	u, err := url.Parse(body)
	return err == nil && u.Host != "" && u.Query().Get("auth") != ""
}

// wireEnvelope is every frame the proxy sends: events ({"data":{type…}})
// and join/leave confirmations ({"status":200,"data":{"channelId"…}}).
type wireEnvelope struct {
	Status int      `json:"status"`
	Data   wireData `json:"data"`
}

type wireData struct {
	Type          string          `json:"type"`
	ID            string          `json:"id"`
	RequestID     string          `json:"requestId"`
	CommandStatus int             `json:"command_status"`
	OutputType    int             `json:"output_type"`
	Body          json.RawMessage `json:"body"`
	DataContext   string          `json:"data_context"`
	StreamURL     string          `json:"streamUrl"`
	ChannelID     string          `json:"channelId"`
	Text          string          `json:"message"`
}

// message converts an event envelope into a Message stamped with arrival.
func (env *wireEnvelope) message(arrived time.Time) Message {
	d := &env.Data
	return Message{Type: d.Type, ID: d.ID, RequestID: d.RequestID, CommandStatus: d.CommandStatus,
		OutputType: d.OutputType, Body: bodyText(d.Body), DataContext: d.DataContext,
		StreamURL: d.StreamURL, Arrived: arrived}
}

// bodyText renders a body that may be a JSON string, null, or anything else.
func bodyText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		if len(raw) >= 2 && raw[len(raw)-1] == '"' && plainASCII(raw[1:len(raw)-1]) {
			return internBody(raw[1 : len(raw)-1])
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return string(raw)
}

// Bodies of every successful X-DPT-CAB-ID: the site's example sentence
// (§1.6), and the same with a full stop (the simulator's). Returning the
// constant saves an allocation per ack.
const (
	bodyCompleted     = "Command completed successfully"
	bodyCompletedStop = bodyCompleted + "."
)

func internBody(b []byte) string {
	switch string(b) {
	case bodyCompleted:
		return bodyCompleted
	case bodyCompletedStop:
		return bodyCompletedStop
	}
	return string(b)
}

// plainASCII reports whether a JSON string's contents need no unescaping.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x80 || c == '\\' || c == '"' {
			return false
		}
	}
	return true
}
