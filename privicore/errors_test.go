package privicore_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pcflow/pcflow/privicore"
)

func TestErrorsAreTypedPrefixedAndClassifiable(t *testing.T) {
	api := fmt.Errorf("step: %w", &privicore.APIError{Op: "authenticate", Status: 401, Body: "invalid credentials"})
	rej := fmt.Errorf("step: %w", &privicore.CommandRejectedError{Op: "delete-data", CommandID: "c1", Reason: "profile.not_an_owner"})
	tmo := fmt.Errorf("step: %w", &privicore.AckTimeoutError{Op: "reserve-token-space", CommandID: "c2"})
	lost := fmt.Errorf("step: %w", &privicore.SessionLostError{Cause: errors.New("dial tcp: refused")})

	if !privicore.IsUnauthorized(api) || privicore.StatusOf(api) != 401 {
		t.Error("401 APIError not classified")
	}
	var re *privicore.CommandRejectedError
	if !errors.As(rej, &re) || re.Reason != "profile.not_an_owner" {
		t.Error("rejection reason not reachable with errors.As")
	}
	if !errors.Is(tmo, privicore.ErrAckTimeout) || errors.Is(api, privicore.ErrAckTimeout) {
		t.Error("ErrAckTimeout classification wrong")
	}
	if !errors.Is(lost, privicore.ErrSessionClosed) {
		t.Error("SessionLostError must match ErrSessionClosed")
	}
	for _, err := range []error{api, rej, tmo, lost} {
		if !strings.Contains(err.Error(), "privicore: ") {
			t.Errorf("%q lacks the package prefix", err)
		}
	}
}

func TestSecretsAreRedactedWhenPrinted(t *testing.T) {
	tok := privicore.Secret("T-MUIFAabc123secret")
	lost := &privicore.SessionLostError{Cause: errors.New(`Get "http://h:8011/?auth=dtok-secret&x=1": EOF`)}
	out := fmt.Sprintf("%v %s %+v %#v %v", tok, tok, struct{ T privicore.Secret }{tok}, tok, lost)
	for _, leak := range []string{"MUIFAabc123secret", "dtok-secret"} {
		if strings.Contains(out, leak) {
			t.Fatalf("secret %q leaked in %q", leak, out)
		}
	}
	if tok.Reveal() != "T-MUIFAabc123secret" {
		t.Fatal("Reveal must return the value")
	}
	if got := privicore.Secret("").String(); got != "" {
		t.Fatalf("empty secret prints %q", got)
	}
}
