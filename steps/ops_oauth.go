package steps

import (
	"context"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// oauthKinds are O1–O8: OAuth applications, codes and tokens. Client
// credentials and tokens are secrets; captures keep them as
// privicore.Secret so no trace or error prints them.
func oauthKinds() []*Kind {
	credentials := []scenario.ParamSpec{
		must("client_id", scenario.TypeString, "the application's client id"),
		hidden(opt("client_secret", scenario.TypeString, "", "its client secret; default: the one this VU retrieved last")),
	}
	cred := func(c *call) privicore.ClientCredentials {
		return privicore.ClientCredentials{ClientID: c.str("client_id"), ClientSecret: c.secretOr("client_secret", "client_secret")}
	}
	tokenCaptures := captures("access_token", "the access token (secret)", "refresh_token", "the refresh token (secret)")
	setTokens := func(c *call, t privicore.OAuthToken) {
		c.setSecret("access_token", t.Token)
		c.setSecret("refresh_token", t.RefreshToken)
	}
	return []*Kind{
		op(opDecl{
			name: "register-oauth-application", summary: "Register an OAuth application (O1).",
			method: "POST", path: "/profile/oauth-application-register", async: true,
			params: []scenario.ParamSpec{
				must("name", scenario.TypeString, "the application's name"),
				must("redirectUri", scenario.TypeString, "its redirect URI"),
				list("scopes", scenario.TypeString, "scopes such as data-token:read; default [all]"),
			},
			captures: captures("application_id", "the application id (the command id)"),
			run: func(ctx context.Context, c *call) error {
				scopes := c.strs("scopes")
				if len(scopes) == 0 {
					scopes = []string{"all"}
				}
				a, err := c.sess.RegisterOAuthApplication(ctx, privicore.OAuthAppParams{
					Name: c.str("name"), RedirectURI: c.str("redirectUri"), Scopes: scopes})
				if err == nil {
					c.set("application_id", a.CommandID)
				}
				return c.ack(a, err)
			},
		}),
		op(opDecl{
			name: "retrieve-oauth-application-configuration", summary: "Retrieve an application's client credentials, once (O2).",
			method: "POST", path: "/profile/retrieve-oauth-application-configuration",
			params:   []scenario.ParamSpec{must("applicationId", scenario.TypeString, "from register-oauth-application")},
			captures: captures("client_id", "the client id", "client_secret", "the client secret (secret)"),
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.RetrieveOAuthApplicationConfiguration(ctx, c.str("applicationId"))
				if err == nil {
					c.set("client_id", r.Credentials.ClientID)
					c.setSecret("client_secret", r.Credentials.ClientSecret)
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "request-oauth-authorization-code", summary: "Request an authorization code for an application (O3).",
			method: "GET", path: "/profile/oauth-application-request-authorization-code", async: true,
			params: []scenario.ParamSpec{
				must("client_id", scenario.TypeString, "the application's client id"),
				must("nonce", scenario.TypeString, "a fresh nonce, replayed in retrieve-oauth-authorization-code"),
				list("scope", scenario.TypeString, "requested scopes; default [all]"),
			},
			captures: captures("code_request_id", "the request's command id, for retrieve-oauth-authorization-code"),
			run: func(ctx context.Context, c *call) error {
				a, err := c.sess.RequestOAuthAuthorizationCode(ctx, privicore.OAuthCodeRequest{
					ClientID: c.str("client_id"), Nonce: c.str("nonce"), Scopes: c.strs("scope")})
				if err == nil {
					c.set("code_request_id", a.CommandID)
				}
				return c.ack(a, err)
			},
		}),
		op(opDecl{
			name: "retrieve-oauth-authorization-code", summary: "Retrieve the authorization code with the client credentials (O4).",
			method: "POST", path: "/oauth-application/retrieve-authorization-code", public: true,
			params: append(credentials[:2:2],
				must("id", scenario.TypeString, "request-oauth-authorization-code's command id"),
				must("nonce", scenario.TypeString, "the nonce sent with the request")),
			captures: captures("authorization_code", "the code (secret)"),
			run: func(ctx context.Context, c *call) error {
				r, err := c.vu.p.client.RetrieveOAuthAuthorizationCode(ctx, cred(c), c.str("id"), c.str("nonce"))
				if err == nil {
					c.setSecret("authorization_code", r.Code)
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "obtain-oauth-access-token", summary: "Trade an authorization code for an access token (O5).",
			method: "POST", path: "/oauth-application/obtain-access-token", public: true,
			params:   append(credentials[:2:2], hidden(opt("authorization_code", scenario.TypeString, "", "the code from O4; default: the one this VU retrieved last"))),
			captures: tokenCaptures,
			run: func(ctx context.Context, c *call) error {
				r, err := c.vu.p.client.ObtainOAuthAccessToken(ctx, cred(c), c.secretOr("authorization_code", "authorization_code"))
				if err == nil {
					setTokens(c, r)
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "list-oauth-applications", summary: "List the profile's OAuth applications (O6).",
			method: "GET", path: "/profile/retrieve-oauth-application-list",
			captures: captures("application_count", "how many applications"),
			example:  "- list-oauth-applications: {}",
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.ListOAuthApplications(ctx)
				keep(c, r.Applications)
				if err == nil {
					c.set("application_count", int64(len(r.Applications)))
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "retrieve-oauth-application-scope", summary: "Retrieve an access token's scope (O7).",
			method: "GET", path: "/oauth-application/retrieve-oauth-application-scope", public: true,
			params:   []scenario.ParamSpec{hidden(opt("access_token", scenario.TypeString, "", "the access token; default: this VU's last"))},
			captures: captures("scope", "the granted scopes"),
			run: func(ctx context.Context, c *call) error {
				r, err := c.vu.p.client.RetrieveOAuthApplicationScope(ctx, c.secretOr("access_token", "access_token"))
				if err == nil {
					c.set("scope", r.Scope)
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "refresh-oauth-access-token", summary: "Refresh an access token; the old pair dies (O8).",
			method: "POST", path: "/oauth-application/refresh-access-token", public: true,
			params: []scenario.ParamSpec{
				hidden(opt("access_token", scenario.TypeString, "", "the current access token; default: this VU's last")),
				hidden(opt("refresh_token", scenario.TypeString, "", "its refresh token; default: this VU's last")),
			},
			captures: tokenCaptures,
			run: func(ctx context.Context, c *call) error {
				r, err := c.vu.p.client.RefreshOAuthAccessToken(ctx, c.secretOr("access_token", "access_token"), c.secretOr("refresh_token", "refresh_token"))
				if err == nil {
					setTokens(c, r)
				}
				return c.done(r.Timing, err)
			},
		}),
	}
}
