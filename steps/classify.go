package steps

import (
	"context"
	"errors"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
)

// classify maps an error to the closed set of metrics.ErrorKind with
// errors.As/errors.Is on privicore's typed errors and this package's own
// *stepFailure — never by reading a message. It is the one place that
// knows the mapping: a new typed error of the client slots in here.
//
// Order matters where one error wraps another: a lost session whose cause
// is a refused join is ws_closed, not http_4xx; a transport error caused
// by the step's deadline is timeout, not connect.
func classify(err error) metrics.ErrorKind {
	var (
		fail  *stepFailure
		inner *engine.StepError
		rej   *privicore.CommandRejectedError
		lost  *privicore.SessionLostError
		sock  *privicore.SocketError
		api   *privicore.APIError
		tr    *privicore.TransportError
	)
	switch {
	case err == nil:
		return metrics.ErrNone
	case errors.As(err, &fail):
		return fail.kind
	case errors.As(err, &inner):
		// A step inside a group or repeat failed; the group fails alike.
		if k, ok := metrics.ParseErrorKind(inner.ErrorKind); ok {
			return k
		}
		return metrics.ErrOther
	case errors.As(err, &rej):
		return metrics.ErrAckRejected
	case errors.Is(err, privicore.ErrAckTimeout):
		return metrics.ErrAckTimeout
	case errors.As(err, &lost), errors.Is(err, privicore.ErrSessionClosed):
		return metrics.ErrWSClosed
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return metrics.ErrTimeout
	case errors.As(err, &sock):
		return socketKind(sock)
	case errors.As(err, &api):
		if api.Status >= 500 {
			return metrics.ErrHTTP5xx
		}
		return metrics.ErrHTTP4xx
	case errors.As(err, &tr), errors.Is(err, privicore.ErrJoinTimeout):
		return metrics.ErrConnect
	case errors.Is(err, privicore.ErrIntegrity):
		return metrics.ErrDecrypt
	case errors.Is(err, privicore.ErrInvalidInput):
		// A parameter the scenario computed was empty or out of range:
		// nothing was sent, the scenario's values are wrong.
		return metrics.ErrExpression
	case errors.Is(err, privicore.ErrUnexpectedBody),
		errors.Is(err, privicore.ErrNoCommandID), errors.Is(err, privicore.ErrNoRequestID):
		// A 2xx whose body is not the operation's answer: the response
		// did not meet what the step expects of it.
		return metrics.ErrExpect
	case errors.Is(err, privicore.ErrTokenInUse), errors.Is(err, privicore.ErrNeedsSocket):
		return metrics.ErrWSClosed
	}
	return metrics.ErrOther
}

// socketKind: a socket that could not be dialled is a connect error; one
// that broke while in use is a lost WebSocket.
func socketKind(e *privicore.SocketError) metrics.ErrorKind {
	if e.Stage == privicore.SocketDial {
		return metrics.ErrConnect
	}
	return metrics.ErrWSClosed
}

// ackCounter is the counter an async outcome adds to, if any.
func ackCounter(err error) (metrics.Counter, bool) {
	var rej *privicore.CommandRejectedError
	switch {
	case err == nil:
		return metrics.AcksOK, true
	case errors.As(err, &rej):
		return metrics.AcksRejected, true
	case errors.Is(err, privicore.ErrAckTimeout):
		return metrics.AcksTimeout, true
	}
	return 0, false
}

// stepFailure is a failure this package decides itself (an expectation, a
// check, a verify mismatch, a missing session), carrying its kind.
// A failed expectation keeps the outcome it judged as its cause, so the
// diagnosis can still show the response (classify stops at the failure).
type stepFailure struct {
	kind  metrics.ErrorKind
	msg   string
	cause error
}

func (f *stepFailure) Error() string { return f.msg }

func (f *stepFailure) Unwrap() error { return f.cause }

func failure(kind metrics.ErrorKind, msg string) error { return &stepFailure{kind: kind, msg: msg} }

// failureOf is failure with the outcome that caused it.
func failureOf(kind metrics.ErrorKind, msg string, cause error) error {
	return &stepFailure{kind: kind, msg: msg, cause: cause}
}
