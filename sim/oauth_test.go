package sim_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pcflow/pcflow/sim"
)

// basic sends a POST form with an Authorization header.
func (a *api) basic(path, authorization string, form url.Values) reply {
	a.t.Helper()
	req, err := http.NewRequest("POST", a.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := (&http.Client{Timeout: waitLimit}).Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	var r reply
	r.status, r.header = resp.StatusCode, resp.Header
	r.body, _ = io.ReadAll(resp.Body)
	return r
}

func clientBasic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

// oauthApp registers an application for token and returns its id and
// client credentials (O1 → ack → O2).
func oauthApp(t *testing.T, a *api, token string) (appID, clientID, clientSecret string) {
	t.Helper()
	appID = commandID(t, a.post("/profile/oauth-application-register", token, url.Values{
		"name": {"integration"}, "redirectUri": {"https://app.example/cb"}, "scopes": {"data-token:read, data-token:write"}}))
	if got := a.pollStatus(appID, token); got != "succeeded" {
		t.Fatalf("register app: %s", got)
	}
	r := a.post("/profile/retrieve-oauth-application-configuration", token, url.Values{"applicationId": {appID}})
	want(t, r, http.StatusOK)
	var cfg struct {
		ApplicationID, ClientID, ClientSecret, RedirectURI string
		Scopes                                             []string
	}
	r.json(t, &cfg)
	if cfg.ApplicationID != appID || cfg.ClientID == "" || cfg.ClientSecret == "" || len(cfg.Scopes) != 2 {
		t.Fatalf("configuration: %s", r.body)
	}
	return appID, cfg.ClientID, cfg.ClientSecret
}

type tokenPair struct{ ClientID, Token, RefreshToken, Type, Scope, ExpiresAt, RefreshTokenExpiresAt string }

// TestOAuthFiveStepFlow walks the live flow of §2.3 end to end, then
// checks that the access token works as a profile token, that refresh
// rotates both tokens, and that codes and refresh tokens work once.
func TestOAuthFiveStepFlow(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	owner := a.newProfile("oauth-owner")
	appID, clientID, clientSecret := oauthApp(t, a, owner)

	// The configuration is handed out once.
	r := a.post("/profile/retrieve-oauth-application-configuration", owner, url.Values{"applicationId": {appID}})
	wantKey(t, r, http.StatusUnprocessableEntity, "oauth.already_retrieved")

	user := a.newProfile("oauth-user")
	q := url.Values{"client_id": {clientID}, "nonce": {"n-1"}, "scope[]": {"all"}}
	codeReq := commandID(t, a.get("/profile/oauth-application-request-authorization-code?"+q.Encode(), user))
	if got := a.pollStatus(codeReq, user); got != "succeeded" {
		t.Fatalf("request code: %s", got)
	}
	basic := clientBasic(clientID, clientSecret)
	wantKey(t, a.basic("/oauth-application/retrieve-authorization-code", clientBasic(clientID, "wrong"),
		url.Values{"id": {codeReq}, "nonce": {"n-1"}}), http.StatusUnauthorized, "oauth.invalid_client")
	wantKey(t, a.basic("/oauth-application/retrieve-authorization-code", basic,
		url.Values{"id": {codeReq}, "nonce": {"other"}}), http.StatusUnprocessableEntity, "oauth.nonce_mismatch")
	r = a.basic("/oauth-application/retrieve-authorization-code", basic, url.Values{"id": {codeReq}, "nonce": {"n-1"}})
	want(t, r, http.StatusOK)
	var code struct{ ClientID, Nonce, AuthorizationCode, ExpiresAt string }
	r.json(t, &code)
	if code.AuthorizationCode == "" || code.ClientID != clientID || code.Nonce != "n-1" {
		t.Fatalf("code body %s", r.body)
	}

	r = a.basic("/oauth-application/obtain-access-token", basic, url.Values{"authorization_code": {code.AuthorizationCode}})
	want(t, r, http.StatusOK)
	var first tokenPair
	r.json(t, &first)
	if first.Token == "" || first.RefreshToken == "" || first.Type != "bearer" || first.Scope != "all" {
		t.Fatalf("token body %s", r.body)
	}
	wantKey(t, a.basic("/oauth-application/obtain-access-token", basic,
		url.Values{"authorization_code": {code.AuthorizationCode}}), http.StatusUnauthorized, "oauth.code_used")

	// The access token is a token of the consenting profile.
	r = a.get("/profile/retrieve-profile-id", first.Token)
	want(t, r, http.StatusOK)
	userID := a.get("/profile/retrieve-profile-id", user)
	if string(r.body) != string(userID.body) {
		t.Errorf("access token acts for %s, want the consenting user %s", r.body, userID.body)
	}
	r = a.basic("/oauth-application/retrieve-oauth-application-scope", "Basic "+first.Token, nil)
	want(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), clientID) {
		t.Errorf("scope body %s does not name the client", r.body)
	}

	r = a.basic("/oauth-application/refresh-access-token", "Basic "+first.Token, url.Values{"refresh_token": {first.RefreshToken}})
	want(t, r, http.StatusOK)
	var second tokenPair
	r.json(t, &second)
	if second.Token == first.Token || second.RefreshToken == first.RefreshToken {
		t.Fatalf("refresh did not rotate: %s", r.body)
	}
	want(t, a.get("/profile/retrieve-profile-id", first.Token), http.StatusUnauthorized)
	want(t, a.get("/profile/retrieve-profile-id", second.Token), http.StatusOK)
	wantKey(t, a.basic("/oauth-application/refresh-access-token", "Basic "+first.Token,
		url.Values{"refresh_token": {first.RefreshToken}}), http.StatusUnauthorized, "oauth.invalid_refresh_token")
	want(t, a.basic("/oauth-application/refresh-access-token", "Basic "+second.Token,
		url.Values{"refresh_token": {first.RefreshToken}}), http.StatusUnauthorized)
}

// TestOAuthErrors covers the main failure statuses of each OAuth step.
func TestOAuthErrors(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	owner := a.newProfile("oauth-err-owner")
	other := a.newProfile("oauth-err-other")
	appID, clientID, clientSecret := oauthApp(t, a, owner)
	_, otherClient, otherSecret := oauthApp(t, a, other)

	tests := []struct {
		name   string
		reply  reply
		status int
		key    string
	}{
		{"register without a token is 401",
			a.post("/profile/oauth-application-register", "", url.Values{"name": {"x"}, "redirectUri": {"https://x.example"}, "scopes": {"all"}}), 401, "invalid token"},
		{"register with a relative redirect URI is 422",
			a.post("/profile/oauth-application-register", owner, url.Values{"name": {"x"}, "redirectUri": {"/cb"}, "scopes": {"all"}}), 422, "validation.url_expected"},
		{"register without scopes is 422",
			a.post("/profile/oauth-application-register", owner, url.Values{"name": {"x"}, "redirectUri": {"https://x.example"}}), 422, "validation.required"},
		{"another profile's application configuration is 404",
			a.post("/profile/retrieve-oauth-application-configuration", other, url.Values{"applicationId": {appID}}), 404, "oauth.application_not_found"},
		{"a code for an unknown client is 404",
			a.get("/profile/oauth-application-request-authorization-code?client_id=nope&nonce=n&scope[]=all", owner), 404, "oauth.unknown_client"},
		{"a code request without scope[] is 422",
			a.get("/profile/oauth-application-request-authorization-code?client_id="+clientID+"&nonce=n", owner), 422, "validation.required"},
		{"retrieving a code for an unknown request is 404",
			a.basic("/oauth-application/retrieve-authorization-code", clientBasic(clientID, clientSecret), url.Values{"id": {"nope"}, "nonce": {"n"}}), 404, "oauth.code_request_not_found"},
		{"an unknown code is 404",
			a.basic("/oauth-application/obtain-access-token", clientBasic(clientID, clientSecret), url.Values{"authorization_code": {"ac-nope"}}), 404, "Record Not Found"},
		{"no Basic credentials is 401",
			a.basic("/oauth-application/obtain-access-token", "", url.Values{"authorization_code": {"ac-nope"}}), 401, "oauth.invalid_client"},
		{"an unknown access token has no scope",
			a.basic("/oauth-application/retrieve-oauth-application-scope", "Basic T-nope", nil), 401, "invalid token"},
		{"refresh with an unknown access token is 401",
			a.basic("/oauth-application/refresh-access-token", "Basic T-nope", url.Values{"refresh_token": {"rt-nope"}}), 401, "oauth.invalid_refresh_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantKey(t, tt.reply, tt.status, tt.key) })
	}

	// Another client's code is Forbidden.
	q := url.Values{"client_id": {clientID}, "nonce": {"n"}, "scope[]": {"all"}}
	req := commandID(t, a.get("/profile/oauth-application-request-authorization-code?"+q.Encode(), owner))
	a.pollStatus(req, owner)
	r := a.basic("/oauth-application/retrieve-authorization-code", clientBasic(clientID, clientSecret), url.Values{"id": {req}, "nonce": {"n"}})
	want(t, r, http.StatusOK)
	var code struct{ AuthorizationCode string }
	r.json(t, &code)
	want(t, a.basic("/oauth-application/retrieve-authorization-code", clientBasic(otherClient, otherSecret),
		url.Values{"id": {req}, "nonce": {"n"}}), http.StatusNotFound)
	want(t, a.basic("/oauth-application/obtain-access-token", clientBasic(otherClient, otherSecret),
		url.Values{"authorization_code": {code.AuthorizationCode}}), http.StatusForbidden)
}

// TestOAuthListShowsOnlyOwnApplications checks isolation and that no
// listing carries a client secret.
func TestOAuthListShowsOnlyOwnApplications(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	owner := a.newProfile("oauth-list-owner")
	other := a.newProfile("oauth-list-other")
	appID, _, clientSecret := oauthApp(t, a, owner)
	oauthApp(t, a, other)

	for _, path := range []string{"/profile/retrieve-oauth-application-list", "/oauth/oauth-application-list"} {
		r := a.get(path, owner)
		want(t, r, http.StatusOK)
		var list struct {
			Items []struct{ ApplicationID string }
			Meta  struct{ Count int }
		}
		r.json(t, &list)
		if list.Meta.Count != 1 || len(list.Items) != 1 || list.Items[0].ApplicationID != appID {
			t.Errorf("%s: %s; want only %s", path, r.body, appID)
		}
		if strings.Contains(string(r.body), clientSecret) {
			t.Errorf("%s leaks the client secret", path)
		}
	}
}
