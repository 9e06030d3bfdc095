package privicore

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// OAuthAppParams are O1's inputs.
type OAuthAppParams struct {
	Name        string   // required
	RedirectURI string   // required
	Scopes      []string // required; sent comma-separated, e.g. data-token:read
}

// RegisterOAuthApplication is O1: POST /profile/oauth-application-register
// (form; async command). The Ack's CommandID is the applicationId.
func (s *Session) RegisterOAuthApplication(ctx context.Context, p OAuthAppParams) (Ack, error) {
	const op = "register-oauth-application"
	if err := required(op, "name", p.Name, "redirectUri", p.RedirectURI, "scopes", strings.Join(p.Scopes, ",")); err != nil {
		return Ack{}, err
	}
	f := form("name", p.Name, "redirectUri", p.RedirectURI, "scopes", strings.Join(p.Scopes, ","))
	return s.command(ctx, post(op, "/profile/oauth-application-register", f))
}

// ClientCredentials authenticate O4 and O5 with Basic base64(id:secret).
type ClientCredentials struct {
	ClientID     string
	ClientSecret Secret
}

// OAuthAppConfig is O2's answer.
type OAuthAppConfig struct {
	ApplicationID string
	Credentials   ClientCredentials
	RedirectURI   string
	Scopes        []string
	Timing
}

// RetrieveOAuthApplicationConfiguration is O2: POST
// /profile/retrieve-oauth-application-configuration, form applicationId.
// Single use: a second call answers 422 (oauth.already_retrieved).
func (s *Session) RetrieveOAuthApplicationConfiguration(ctx context.Context, applicationID string) (OAuthAppConfig, error) {
	const op = "retrieve-oauth-application-configuration"
	if err := required(op, "applicationId", applicationID); err != nil {
		return OAuthAppConfig{}, err
	}
	var w struct {
		ApplicationID string     `json:"applicationId"`
		ClientID      string     `json:"clientId"`
		ClientSecret  string     `json:"clientSecret"`
		RedirectURI   string     `json:"redirectUri"`
		Scopes        StringList `json:"scopes"`
	}
	r := post(op, "/profile/retrieve-oauth-application-configuration", form("applicationId", applicationID))
	t, err := s.decodeInto(ctx, r, &w)
	return OAuthAppConfig{ApplicationID: w.ApplicationID, RedirectURI: w.RedirectURI, Scopes: w.Scopes,
		Credentials: ClientCredentials{ClientID: w.ClientID, ClientSecret: Secret(w.ClientSecret)}, Timing: t}, err
}

// OAuthCodeRequest are O3's inputs.
type OAuthCodeRequest struct {
	ClientID string   // required: OAuthAppConfig.Credentials.ClientID
	Nonce    string   // required; replayed in O4; never reuse
	Scopes   []string // sent as repeated scope[]; nil means ["all"]
}

// RequestOAuthAuthorizationCode is O3: GET
// /profile/oauth-application-request-authorization-code?client_id&nonce&scope[]
// (async command; 200 or 202). Pass the Ack's CommandID to O4.
func (s *Session) RequestOAuthAuthorizationCode(ctx context.Context, p OAuthCodeRequest) (Ack, error) {
	const op = "request-oauth-authorization-code"
	if err := required(op, "client_id", p.ClientID, "nonce", p.Nonce); err != nil {
		return Ack{}, err
	}
	if len(p.Scopes) == 0 {
		p.Scopes = []string{"all"}
	}
	r := get(op, "/profile/oauth-application-request-authorization-code")
	r.Query = url.Values{"client_id": {p.ClientID}, "nonce": {p.Nonce}, "scope[]": p.Scopes}
	return s.command(ctx, r)
}

// OAuthCode is O4's answer.
type OAuthCode struct {
	ClientID  string
	Nonce     string
	Code      Secret
	ExpiresAt time.Time
	Timing
}

// RetrieveOAuthAuthorizationCode is O4: POST
// /oauth-application/retrieve-authorization-code, Basic client credentials,
// form id (O3's command id) and nonce.
func (c *Client) RetrieveOAuthAuthorizationCode(ctx context.Context, cred ClientCredentials, requestID, nonce string) (OAuthCode, error) {
	const op = "retrieve-oauth-authorization-code"
	if err := required(op, "client id", cred.ClientID, "id", requestID, "nonce", nonce); err != nil {
		return OAuthCode{}, err
	}
	r := &Request{Op: op, Method: "POST", Path: "/oauth-application/retrieve-authorization-code",
		Form: form("id", requestID, "nonce", nonce), auth: authBasicClient, user: cred.ClientID, pass: cred.ClientSecret}
	var w struct {
		ClientID          string `json:"clientId"`
		Nonce             string `json:"nonce"`
		AuthorizationCode string `json:"authorizationCode"`
		ExpiresAt         string `json:"expiresAt"`
	}
	t, err := c.decodeInto(ctx, r, &w)
	return OAuthCode{ClientID: w.ClientID, Nonce: w.Nonce, Code: Secret(w.AuthorizationCode),
		ExpiresAt: parseTime(w.ExpiresAt), Timing: t}, err
}

// OAuthToken is O5's and O8's answer. Token is used like a profile token
// (OpenSession/PollingSession) and, raw, as O7/O8's Basic credential.
type OAuthToken struct {
	ClientID              string
	Token                 Secret
	RefreshToken          Secret
	Type                  string
	Scope                 string
	ExpiresAt             time.Time
	RefreshTokenExpiresAt time.Time
	Timing
}

type wireOAuthToken struct {
	ClientID              string `json:"clientId"`
	Token                 string `json:"token"`
	RefreshToken          string `json:"refreshToken"`
	Type                  string `json:"type"`
	Scope                 string `json:"scope"`
	ExpiresAt             string `json:"expiresAt"`
	RefreshTokenExpiresAt string `json:"refreshTokenExpiresAt"`
}

func (w wireOAuthToken) token(t Timing) OAuthToken {
	return OAuthToken{ClientID: w.ClientID, Token: Secret(w.Token), RefreshToken: Secret(w.RefreshToken),
		Type: w.Type, Scope: w.Scope, ExpiresAt: parseTime(w.ExpiresAt),
		RefreshTokenExpiresAt: parseTime(w.RefreshTokenExpiresAt), Timing: t}
}

// ObtainOAuthAccessToken is O5: POST /oauth-application/obtain-access-token,
// Basic client credentials (the probe's reading), form authorization_code.
func (c *Client) ObtainOAuthAccessToken(ctx context.Context, cred ClientCredentials, code Secret) (OAuthToken, error) {
	const op = "obtain-oauth-access-token"
	if err := required(op, "client id", cred.ClientID, "authorization_code", code.Reveal()); err != nil {
		return OAuthToken{}, err
	}
	r := &Request{Op: op, Method: "POST", Path: "/oauth-application/obtain-access-token",
		Form: form("authorization_code", code.Reveal()), auth: authBasicClient, user: cred.ClientID,
		pass: cred.ClientSecret, token: code}
	var w wireOAuthToken
	t, err := c.decodeInto(ctx, r, &w)
	return w.token(t), err
}

// OAuthApp is one row of O6.
type OAuthApp struct {
	ApplicationID string     `json:"applicationId"`
	Name          string     `json:"name"`
	Scopes        StringList `json:"scopes"`
	CreatedAt     string     `json:"createdAt"`
}

// OAuthAppList is O6's answer.
type OAuthAppList struct {
	Applications []OAuthApp
	Timing
}

// ListOAuthApplications is O6: GET /profile/retrieve-oauth-application-list.
func (s *Session) ListOAuthApplications(ctx context.Context) (OAuthAppList, error) {
	apps, t, err := list[OAuthApp](ctx, s, get("list-oauth-applications", "/profile/retrieve-oauth-application-list"))
	return OAuthAppList{Applications: apps, Timing: t}, err
}

// OAuthScope is O7's answer (PROPOSED shape).
type OAuthScope struct {
	ClientID  string
	Scope     []string
	ExpiresAt time.Time
	Timing
}

// RetrieveOAuthApplicationScope is O7: GET
// /oauth-application/retrieve-oauth-application-scope with Basic <raw access token>.
func (c *Client) RetrieveOAuthApplicationScope(ctx context.Context, accessToken Secret) (OAuthScope, error) {
	const op = "retrieve-oauth-application-scope"
	if err := required(op, "access token", accessToken.Reveal()); err != nil {
		return OAuthScope{}, err
	}
	r := &Request{Op: op, Method: "GET", Path: "/oauth-application/retrieve-oauth-application-scope",
		auth: authBasicRaw, pass: accessToken}
	var w struct {
		ClientID  string     `json:"clientId"`
		Scope     StringList `json:"scope"`
		ExpiresAt string     `json:"expiresAt"`
	}
	t, err := c.decodeInto(ctx, r, &w)
	return OAuthScope{ClientID: w.ClientID, Scope: w.Scope, ExpiresAt: parseTime(w.ExpiresAt), Timing: t}, err
}

// RefreshOAuthAccessToken is O8: POST /oauth-application/refresh-access-token
// with Basic <raw current access token>, form refresh_token. The old pair dies.
func (c *Client) RefreshOAuthAccessToken(ctx context.Context, accessToken, refreshToken Secret) (OAuthToken, error) {
	const op = "refresh-oauth-access-token"
	if err := required(op, "access token", accessToken.Reveal(), "refresh_token", refreshToken.Reveal()); err != nil {
		return OAuthToken{}, err
	}
	r := &Request{Op: op, Method: "POST", Path: "/oauth-application/refresh-access-token",
		Form: form("refresh_token", refreshToken.Reveal()), auth: authBasicRaw, pass: accessToken, token: refreshToken}
	var w wireOAuthToken
	t, err := c.decodeInto(ctx, r, &w)
	return w.token(t), err
}

// decodeInto is do + JSON decode for the Client's own operations.
func (c *Client) decodeInto(ctx context.Context, r *Request, v any) (Timing, error) {
	res, err := c.do(ctx, r)
	if err != nil {
		return Timing{}, err
	}
	return res.timing, decodeJSON(r.Op, res.body, v)
}
