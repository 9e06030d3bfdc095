package steps

import (
	"errors"
	"strconv"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// judge weighs a step's outcome against its expect: and returns the error
// kind the step ends with (ErrNone when it passed) and the error to
// report. An expected failure — `expect: {status: 404}` answered 404,
// `expect: {command-status: rejected, reason: R}` rejected with R — is a
// pass: negative tests are ordinary steps.
func judge(exp *scenario.Expect, c *call, err error) (metrics.ErrorKind, error) {
	if exp == nil {
		if err == nil {
			return metrics.ErrNone, nil // the hot path: no errors.As, whose target escapes
		}
		exp = &scenario.Expect{}
	}
	var rej *privicore.CommandRejectedError
	rejected := errors.As(err, &rej)
	want := exp.CommandStatus
	if want == "" && exp.Reason != "" {
		want = "rejected" // a reason only makes sense for a rejection
	}
	if exp.Status != 0 {
		got := c.status
		if got != exp.Status {
			return metrics.ErrExpect, failureOf(metrics.ErrExpect, "expected HTTP status "+
				strconv.Itoa(exp.Status)+", got "+describe(got, err), err)
		}
		if privicore.StatusOf(err) != 0 {
			return metrics.ErrNone, nil // the expected HTTP failure
		}
	}
	switch want {
	case "rejected":
		if !rejected {
			if err != nil {
				return classify(err), err
			}
			return metrics.ErrExpect, failure(metrics.ErrExpect, "expected command-status rejected, got ok")
		}
		if exp.Reason != "" && rej.Reason != exp.Reason {
			return metrics.ErrExpect, failureOf(metrics.ErrExpect, "expected rejection reason "+
				exp.Reason+", got "+rej.Reason, err)
		}
		return metrics.ErrNone, nil
	case "any":
		if rejected {
			return metrics.ErrNone, nil
		}
	}
	if err != nil {
		if rejected {
			return metrics.ErrAckRejected, failureOf(metrics.ErrAckRejected,
				"expected command-status ok, got rejected ("+rej.Reason+")", err)
		}
		return classify(err), err
	}
	return metrics.ErrNone, nil
}

// describe names an outcome in an expectation message.
func describe(status int, err error) string {
	switch {
	case status != 0 && err != nil:
		return strconv.Itoa(status) + " (" + err.Error() + ")"
	case status != 0:
		return strconv.Itoa(status)
	case err != nil:
		return "no answer (" + err.Error() + ")"
	}
	return "no answer"
}
