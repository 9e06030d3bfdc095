package metrics

// ErrorKind is the closed set of ways a timed thing can fail. Steps
// classify failures into these with errors.As / errors.Is on the client's
// typed errors, never by matching strings; reports count them by kind.
type ErrorKind uint8

// The error kinds. ErrNone is the zero value: no error.
const (
	ErrNone        ErrorKind = iota
	ErrConnect               // the target could not be reached: dial, TLS, connection reset
	ErrHTTP4xx               // the API answered 4xx where the step expected success
	ErrHTTP5xx               // the API answered 5xx
	ErrAckRejected           // the command's message said command_status 3 where success was expected
	ErrAckTimeout            // the command's message never came (not even through request-status)
	ErrWSClosed              // the WebSocket session was lost and could not be recovered
	ErrCheck                 // a check expression did not hold
	ErrExpect                // an expect (status, command-status, reason) did not hold
	ErrDecrypt               // downloaded data did not decrypt (wrong key, damaged ciphertext)
	ErrVerify                // downloaded data decrypted but differs from what was stored
	ErrExpression            // an expression failed at run time (wrong type, missing field)
	ErrTimeout               // the step's own timeout (or the run's stop) ended it
	ErrOther                 // none of the above; a step that returns it has a classification bug

	numErrorKinds
)

var errorKindNames = [numErrorKinds]string{
	ErrNone:        "",
	ErrConnect:     "connect",
	ErrHTTP4xx:     "http_4xx",
	ErrHTTP5xx:     "http_5xx",
	ErrAckRejected: "ack_rejected",
	ErrAckTimeout:  "ack_timeout",
	ErrWSClosed:    "ws_closed",
	ErrCheck:       "check",
	ErrExpect:      "expect",
	ErrDecrypt:     "decrypt",
	ErrVerify:      "verify",
	ErrExpression:  "expression",
	ErrTimeout:     "timeout",
	ErrOther:       "other",
}

// String returns the kind's stable name as it appears in reports and in
// the JSON result's "errors" object ("http_5xx", "ack_timeout", …); ErrNone
// is "".
func (k ErrorKind) String() string {
	if k >= numErrorKinds {
		return "other"
	}
	return errorKindNames[k]
}

// ErrorKinds returns every kind but ErrNone, in a stable order.
func ErrorKinds() []ErrorKind {
	ks := make([]ErrorKind, 0, numErrorKinds-1)
	for k := ErrNone + 1; k < numErrorKinds; k++ {
		ks = append(ks, k)
	}
	return ks
}

// ParseErrorKind is String's inverse; ok is false for an unknown name.
func ParseErrorKind(s string) (k ErrorKind, ok bool) {
	for k := ErrNone + 1; k < numErrorKinds; k++ {
		if errorKindNames[k] == s {
			return k, true
		}
	}
	return ErrNone, false
}
