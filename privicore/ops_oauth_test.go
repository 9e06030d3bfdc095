package privicore_test

import (
	"testing"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

func TestOAuthFiveStepFlow(t *testing.T) {
	e := start(t, sim.Options{})
	s := e.session(t, privicore.SessionOptions{})
	ctx := ctxT(t)
	reg, err := s.RegisterOAuthApplication(ctx, privicore.OAuthAppParams{Name: "integration",
		RedirectURI: "https://example.com/cb", Scopes: []string{"data-token:read"}})
	skipUnserved(t, "oauth-application-register", err)
	cfg, err := s.RetrieveOAuthApplicationConfiguration(ctx, reg.CommandID)
	skipUnserved(t, "retrieve-oauth-application-configuration", err)
	if cfg.Credentials.ClientID == "" || cfg.Credentials.ClientSecret == "" {
		t.Fatalf("no client credentials: %+v", cfg)
	}
	if _, err := s.RetrieveOAuthApplicationConfiguration(ctx, reg.CommandID); privicore.StatusOf(err) != 422 {
		t.Errorf("second configuration retrieval: %v, want 422", err)
	}
	apps, err := s.ListOAuthApplications(ctx)
	skipUnserved(t, "retrieve-oauth-application-list", err)
	if len(apps.Applications) != 1 {
		t.Errorf("applications: %+v", apps.Applications)
	}
	code, err := s.RequestOAuthAuthorizationCode(ctx, privicore.OAuthCodeRequest{ClientID: cfg.Credentials.ClientID, Nonce: "n-1"})
	skipUnserved(t, "oauth-application-request-authorization-code", err)
	got, err := e.c.RetrieveOAuthAuthorizationCode(ctx, cfg.Credentials, code.CommandID, "n-1")
	skipUnserved(t, "retrieve-authorization-code", err)
	tok, err := e.c.ObtainOAuthAccessToken(ctx, cfg.Credentials, got.Code)
	skipUnserved(t, "obtain-access-token", err)
	if tok.Token == "" || tok.RefreshToken == "" {
		t.Fatalf("token pair incomplete")
	}
	_, err = e.c.RetrieveOAuthApplicationScope(ctx, tok.Token)
	skipUnserved(t, "retrieve-oauth-application-scope", err)
	next, err := e.c.RefreshOAuthAccessToken(ctx, tok.Token, tok.RefreshToken)
	skipUnserved(t, "refresh-access-token", err)
	if next.Token == tok.Token {
		t.Error("refresh returned the same access token")
	}
	if _, err := e.c.RefreshOAuthAccessToken(ctx, next.Token, tok.RefreshToken); !privicore.IsUnauthorized(err) {
		t.Errorf("reusing a rotated refresh token: %v, want 401", err)
	}
}
