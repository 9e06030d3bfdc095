package steps

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// Each typed error of the client maps to one kind, wrapped or not.
func TestClassify(t *testing.T) {
	lostJoin := &privicore.SessionLostError{Cause: &privicore.APIError{Op: "join-channel", Status: 401}}
	for _, c := range []struct {
		why  string
		err  error
		want metrics.ErrorKind
	}{
		{"no error is none", nil, metrics.ErrNone},
		{"a rejection is ack_rejected", &privicore.CommandRejectedError{Reason: "x"}, metrics.ErrAckRejected},
		{"an ack timeout is ack_timeout", &privicore.AckTimeoutError{}, metrics.ErrAckTimeout},
		{"the sentinel too", fmt.Errorf("wrapped: %w", privicore.ErrAckTimeout), metrics.ErrAckTimeout},
		{"a lost session is ws_closed even when its cause is a refused join", lostJoin, metrics.ErrWSClosed},
		{"a closed session is ws_closed", privicore.ErrSessionClosed, metrics.ErrWSClosed},
		{"a 4xx is http_4xx", &privicore.APIError{Status: 404}, metrics.ErrHTTP4xx},
		{"a 5xx is http_5xx", &privicore.APIError{Status: 503}, metrics.ErrHTTP5xx},
		{"a transport error is connect", &privicore.TransportError{Err: syscall.ECONNREFUSED}, metrics.ErrConnect},
		{"a transport error from the deadline is timeout", &privicore.TransportError{Err: context.DeadlineExceeded}, metrics.ErrTimeout},
		{"a socket that could not be dialled is connect", &privicore.SocketError{Stage: privicore.SocketDial, Err: syscall.ECONNREFUSED}, metrics.ErrConnect},
		{"a socket that broke is ws_closed", &privicore.SocketError{Stage: privicore.SocketRead, Err: errors.New("reset")}, metrics.ErrWSClosed},
		{"a join that never confirmed is connect", privicore.ErrJoinTimeout, metrics.ErrConnect},
		{"a body that is not the answer is expect", &privicore.DecodeError{Op: "x"}, metrics.ErrExpect},
		{"a tag that does not verify is decrypt", privicore.ErrIntegrity, metrics.ErrDecrypt},
		{"a parameter the client refuses is expression", fmt.Errorf("%w: x", privicore.ErrInvalidInput), metrics.ErrExpression},
		{"the run's stop is timeout", context.Canceled, metrics.ErrTimeout},
		{"this package's failures carry their kind", failure(metrics.ErrVerify, "x"), metrics.ErrVerify},
		{"a group fails as its inner step did", &engine.StepError{ErrorKind: "check"}, metrics.ErrCheck},
		{"anything else is other (a classification bug)", errors.New("?"), metrics.ErrOther},
	} {
		if got := classify(c.err); got != c.want {
			t.Errorf("%s: classify(%v) = %v, want %v", c.why, c.err, got, c.want)
		}
	}
}

// judge turns outcomes and expectations into pass or an error kind.
func TestJudge(t *testing.T) {
	rej := &privicore.CommandRejectedError{Reason: "device.not_found"}
	for _, c := range []struct {
		why    string
		exp    *scenario.Expect
		status int
		err    error
		want   metrics.ErrorKind
	}{
		{"success passes", nil, 200, nil, metrics.ErrNone},
		{"an unexpected 404 is http_4xx", nil, 404, &privicore.APIError{Status: 404}, metrics.ErrHTTP4xx},
		{"an expected 404 passes", &scenario.Expect{Status: 404}, 404, &privicore.APIError{Status: 404}, metrics.ErrNone},
		{"a 200 where 404 was expected is expect", &scenario.Expect{Status: 404}, 200, nil, metrics.ErrExpect},
		{"an unexpected rejection is ack_rejected", nil, 202, rej, metrics.ErrAckRejected},
		{"an expected rejection passes", &scenario.Expect{CommandStatus: "rejected"}, 202, rej, metrics.ErrNone},
		{"a reason alone expects a rejection", &scenario.Expect{Reason: "device.not_found"}, 202, rej, metrics.ErrNone},
		{"the wrong reason is expect", &scenario.Expect{Reason: "policy.active"}, 202, rej, metrics.ErrExpect},
		{"ok where a rejection was expected is expect", &scenario.Expect{CommandStatus: "rejected"}, 202, nil, metrics.ErrExpect},
		{"a timeout where a rejection was expected stays ack_timeout", &scenario.Expect{CommandStatus: "rejected"}, 202, &privicore.AckTimeoutError{}, metrics.ErrAckTimeout},
		{"any takes a rejection", &scenario.Expect{CommandStatus: "any"}, 202, rej, metrics.ErrNone},
		{"any takes success", &scenario.Expect{CommandStatus: "any"}, 202, nil, metrics.ErrNone},
		{"status 202 and a rejection reason together", &scenario.Expect{Status: 202, Reason: "device.not_found"}, 202, rej, metrics.ErrNone},
	} {
		got, _ := judge(c.exp, &call{status: c.status}, c.err)
		if got != c.want {
			t.Errorf("%s: got %v, want %v", c.why, got, c.want)
		}
	}
}

// A VU's memory of its uploads is bounded: the oldest digest goes first.
func TestDigestsForgetTheOldest(t *testing.T) {
	d := newDigests()
	for i := range maxDigests + 2 {
		d.put(fmt.Sprint("dtk-", i), [32]byte{byte(i)})
	}
	if _, ok := d.get("dtk-0"); ok {
		t.Error("dtk-0 still remembered")
	}
	if _, ok := d.get("dtk-1"); ok {
		t.Error("dtk-1 still remembered")
	}
	newest := maxDigests + 1
	if s, ok := d.get(fmt.Sprint("dtk-", newest)); !ok || s[0] != byte(newest) {
		t.Error("the newest is not remembered")
	}
	if len(d.sums) != maxDigests {
		t.Errorf("%d digests kept, want %d", len(d.sums), maxDigests)
	}
}
