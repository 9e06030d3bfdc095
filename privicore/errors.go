package privicore

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors. Classify with errors.Is; the typed errors below carry detail.
var (
	// ErrAckTimeout: no terminal WebSocket message arrived for a command or
	// request within the ack timeout, and request-status could not settle it.
	ErrAckTimeout = errors.New("privicore: ack timeout")
	// ErrSessionClosed: the session was closed by its owner or could not
	// recover its socket; it refuses further use.
	ErrSessionClosed = errors.New("privicore: session closed")
	// ErrTokenInUse: OpenSession was asked for a token that already has an
	// open socket session on this Client. The proxy forwards a profile's
	// messages to every socket of its token (or round-robin), so a second
	// socket would steal or double the first one's acks.
	ErrTokenInUse = errors.New("privicore: token already has an open session")
	// ErrJoinTimeout: the WebSocket join confirmation did not arrive in time.
	ErrJoinTimeout = errors.New("privicore: join timeout")
	// ErrNoCommandID: a 2xx response carried no recognisable command id.
	ErrNoCommandID = errors.New("privicore: no command id in response")
	// ErrNoRequestID: request-data answered without an x-dpt-cab-request-id header.
	ErrNoRequestID = errors.New("privicore: no request id in response header")
	// ErrNeedsSocket: the operation's result only travels over the WebSocket
	// (request-data's payload), so a polling session cannot deliver it.
	ErrNeedsSocket = errors.New("privicore: operation needs a WebSocket session")
	// ErrInvalidInput: a parameter was missing or out of range; no request was sent.
	ErrInvalidInput = errors.New("privicore: invalid input")
	// ErrIntegrity: a signed public key's hash or an AES-GCM tag did not verify.
	ErrIntegrity = errors.New("privicore: integrity check failed")
	// ErrUnexpectedBody: a 2xx answer (or a request's WebSocket payload)
	// could not be read as the operation's result; every *DecodeError
	// matches it with errors.Is.
	ErrUnexpectedBody = errors.New("privicore: unexpected response body")
)

// maxBodyInError bounds how much of a response body an APIError keeps.
const maxBodyInError = 512

// APIError is a non-2xx HTTP answer (or a refused WebSocket join, Op
// "join-channel"). Body is the response text, truncated, with every secret
// the request carried replaced by [redacted].
type APIError struct {
	Op     string // operation name, e.g. "authenticate"
	Status int    // HTTP status (or the join answer's status)
	Body   string // response text, truncated and redacted
}

// Error reads "privicore: OP: HTTP STATUS: BODY".
func (e *APIError) Error() string {
	if e.Body == "" {
		return fmt.Sprintf("privicore: %s: HTTP %d", e.Op, e.Status)
	}
	return fmt.Sprintf("privicore: %s: HTTP %d: %s", e.Op, e.Status, e.Body)
}

// Unauthorized reports a 401: bad credentials, or a revoked/expired token.
func (e *APIError) Unauthorized() bool { return e.Status == 401 }

// IsUnauthorized reports whether err is (or wraps) an APIError with status 401.
func IsUnauthorized(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Unauthorized()
}

// StatusOf returns the HTTP status of an APIError in err's chain, or 0.
func StatusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}

// TransportError is an HTTP exchange that failed below HTTP (dial, reset,
// timeout, context). Err is the cause for errors.Is (context.Canceled, …);
// Error() never shows a URL's auth query or a request's secrets.
type TransportError struct {
	Op   string // operation name
	Err  error  // the cause, for errors.Is (never a *url.Error: it holds the URL)
	text string
}

// Error names the operation and the redacted cause.
func (e *TransportError) Error() string { return "privicore: " + e.Op + ": " + e.text }

// Unwrap exposes the cause.
func (e *TransportError) Unwrap() error { return e.Err }

// SocketStage names the step of a WebSocket exchange that failed.
type SocketStage string

// The stages of a SocketError.
const (
	// SocketDial: TCP connect, TLS, or the HTTP upgrade (Status says what a
	// refused upgrade answered).
	SocketDial SocketStage = "dial"
	// SocketWrite: sending a frame (the join).
	SocketWrite SocketStage = "write"
	// SocketRead: receiving a frame (during the join, or in the read loop:
	// a reset, a close frame, a frame over MaxResponseBytes, a silent proxy).
	SocketRead SocketStage = "read"
)

// SocketError is a WebSocket failure below the channel protocol: the dial,
// a frame write, or a frame read. A refused join (an error frame) is an
// *APIError instead, a join confirmation that never came ErrJoinTimeout.
// Err is the cause for errors.Is/As (a *net.OpError, syscall errors such as
// ECONNREFUSED, *websocket.CloseError, websocket.ErrBadHandshake,
// context.DeadlineExceeded, …); Error() never shows a URL's auth query.
type SocketError struct {
	Op     string      // "join-channel" (dial and join, reconnects too) or "read-loop"
	Stage  SocketStage // SocketDial, SocketWrite or SocketRead
	Status int         // HTTP status of a refused upgrade (SocketDial only), else 0
	Err    error       // the cause (never a *url.Error: it holds the URL)
}

// Error reads "privicore: OP: STAGE: CAUSE", the cause redacted.
func (e *SocketError) Error() string {
	text := "privicore: " + e.Op + ": " + string(e.Stage) + ": " + redactErr(e.Err)
	if e.Status != 0 {
		text += " (HTTP " + strconv.Itoa(e.Status) + ")"
	}
	return text
}

// Unwrap exposes the cause.
func (e *SocketError) Unwrap() error { return e.Err }

// DecodeError is a 2xx answer whose body is not the operation's result: not
// JSON, the wrong shape, a required field missing, bad base64. It matches
// ErrUnexpectedBody with errors.Is. The HTTP exchange itself succeeded, so
// retrying the same call rarely helps: it reads as a server (or client)
// bug, not as load.
type DecodeError struct {
	Op string // operation name
	// Body is up to 64 bytes of the body, auth queries redacted; "" where
	// the body could hold a secret (an authorization token, a payload).
	Body string
	// Err is the decoder's error (*json.SyntaxError,
	// *json.UnmarshalTypeError, base64.CorruptInputError) or what was missing.
	Err error
}

// Error names the operation, the cause and the start of the body.
func (e *DecodeError) Error() string {
	text := "privicore: " + e.Op + ": unexpected response body"
	if e.Err != nil {
		text += ": " + e.Err.Error()
	}
	if e.Body != "" {
		text += " " + strconv.Quote(e.Body)
	}
	return text
}

// Unwrap exposes the decoder's error.
func (e *DecodeError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnexpectedBody) true.
func (e *DecodeError) Is(target error) bool { return target == ErrUnexpectedBody }

// CommandRejectedError is a terminal command_status 3: the HTTP layer
// accepted the command, the business layer refused it. Reason is the ack's
// body (often a machine key such as profile.not_an_owner), or "rejected"
// when the outcome was learned through request-status, which has no reason.
type CommandRejectedError struct {
	Op        string // operation name
	CommandID string // the rejected command's id
	Reason    string // the ack's body, or "rejected"
}

// Error names the operation, the command and the reason.
func (e *CommandRejectedError) Error() string {
	return fmt.Sprintf("privicore: %s: command %s rejected: %s", e.Op, e.CommandID, e.Reason)
}

// AckTimeoutError names the command whose ack never came; it matches
// ErrAckTimeout with errors.Is.
type AckTimeoutError struct {
	Op        string // operation name
	CommandID string // the awaited id (a request's is its request id)
	// Cause is why request-status could not settle the command, when it
	// failed rather than answering "started": a 401 once the session's
	// token was revoked or expired (IsUnauthorized(err) is then true), a
	// 404, a transport error. Nil when no request-status was asked or it
	// answered that the command still runs.
	Cause error
}

// Error names the operation and the id that got no message, and why
// request-status could not tell.
func (e *AckTimeoutError) Error() string {
	msg := fmt.Sprintf("privicore: %s: ack timeout for %s", e.Op, e.CommandID)
	if e.Cause != nil {
		msg += " (request-status: " + strings.TrimPrefix(redactErr(e.Cause), "privicore: ") + ")"
	}
	return msg
}

// Is makes errors.Is(err, ErrAckTimeout) true.
func (e *AckTimeoutError) Is(target error) bool { return target == ErrAckTimeout }

// Unwrap exposes request-status's failure.
func (e *AckTimeoutError) Unwrap() error { return e.Cause }

// SessionLostError: the socket died and reconnecting failed; every waiter
// of the session receives it. It matches ErrSessionClosed with errors.Is.
type SessionLostError struct {
	// Cause is why the socket could not be recovered. After a drop it wraps
	// both the error that broke the socket (a read-loop *SocketError) and
	// the last reconnect try's (a dial *SocketError, ErrJoinTimeout, or an
	// *APIError for a refused join), each reachable with errors.As/Is.
	Cause error
}

// Error shows the cause with URL auth queries redacted.
func (e *SessionLostError) Error() string {
	return "privicore: session lost: " + redactErr(e.Cause)
}

// GoString keeps %#v from printing the cause's unredacted text.
func (e *SessionLostError) GoString() string { return "&privicore.SessionLostError{" + e.Error() + "}" }

// Unwrap exposes the transport error.
func (e *SessionLostError) Unwrap() error { return e.Cause }

// Is makes errors.Is(err, ErrSessionClosed) true.
func (e *SessionLostError) Is(target error) bool { return target == ErrSessionClosed }

// invalid builds an ErrInvalidInput for op with a reason.
func invalid(op, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidInput, op, fmt.Sprintf(format, args...))
}

// redactErr renders a transport error without the query string of any URL
// in it (stream and download URLs carry single-use auth tokens).
func redactErr(err error) string {
	if err == nil {
		return "<nil>"
	}
	return redactQuery(err.Error())
}

// redactQuery replaces every "auth=VALUE" in s with "auth=[redacted]".
func redactQuery(s string) string {
	const key = "auth="
	var b strings.Builder
	for {
		i := strings.Index(s, key)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+len(key)])
		b.WriteString(redacted)
		s = s[i+len(key):]
		j := strings.IndexAny(s, "&\" ')\n")
		if j < 0 {
			return b.String()
		}
		s = s[j:]
	}
}
