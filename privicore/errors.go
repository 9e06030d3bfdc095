package privicore

import (
	"errors"
	"fmt"
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
}

// Error names the operation and the id that got no message.
func (e *AckTimeoutError) Error() string {
	return fmt.Sprintf("privicore: %s: ack timeout for %s", e.Op, e.CommandID)
}

// Is makes errors.Is(err, ErrAckTimeout) true.
func (e *AckTimeoutError) Is(target error) bool { return target == ErrAckTimeout }

// SessionLostError: the socket died and reconnecting failed; every waiter
// of the session receives it. It matches ErrSessionClosed with errors.Is.
type SessionLostError struct {
	Cause error // why the socket could not be recovered (a refused join is an *APIError)
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
