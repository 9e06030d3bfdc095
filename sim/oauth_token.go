package sim

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"
)

// requestOAuthCode is O3: the consenting profile asks for a code for
// client_id; the code exists once the command resolves, under the
// command's id, and is fetched with O4.
func (s *Server) requestOAuthCode(c *call) {
	f := c.fields()
	clientID := f.str("client_id", true, maxFieldLen)
	nonce := f.str("nonce", true, maxFieldLen)
	scopes := c.formArray("scope")
	switch {
	case len(scopes) == 0:
		f.fail("scope[]", "validation.required")
	case len(scopes) > maxOAuthScopes:
		f.fail("scope[]", "validation.too_many")
	case slices.ContainsFunc(scopes, func(s string) bool { return len(s) > maxFieldLen }):
		f.fail("scope[]", "validation.too_long")
	}
	if !f.ok() {
		return
	}
	reg := s.oauth
	g, status, reason := reg.newCodeGrant(clientID, c.profile, nonce, scopes)
	if g == nil {
		writeError(c.w, status, reason)
		return
	}
	cmd := s.newCommand(c.profile, c.op, func(id string) outcome {
		if !reg.issueCode(id, g) { // evicted while the command waited
			return rejected("oauth.code_request_expired")
		}
		return succeeded()
	})
	reg.trackRequest(cmd.ID, g) // before submit: the command may resolve at once
	s.submit(cmd, func() { s.writeAccepted(c.w, cmd) })
}

// oauthClient resolves the call's Basic client credentials, or answers 401
// and returns nil.
func (s *Server) oauthClient(c *call) *oauthApp {
	app := s.oauth.clientApp(c.r)
	if app == nil {
		writeError(c.w, http.StatusUnauthorized, "oauth.invalid_client")
	}
	return app
}

// retrieveOAuthCode is O4: Basic client credentials, the O3 command id and
// the same nonce give the authorization code.
func (s *Server) retrieveOAuthCode(c *call) {
	app := s.oauthClient(c)
	if app == nil {
		return
	}
	f := c.fields()
	id := f.str("id", true, maxFieldLen)
	nonce := f.str("nonce", true, maxFieldLen)
	if !f.ok() {
		return
	}
	code, expires, wantNonce, ok := s.oauth.issuedCode(id, app)
	if !ok {
		writeError(c.w, http.StatusNotFound, "oauth.code_request_not_found")
		return
	}
	if subtle.ConstantTimeCompare([]byte(nonce), []byte(wantNonce)) != 1 {
		f.fail("nonce", "oauth.nonce_mismatch")
		f.ok()
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]string{"clientId": app.clientID, "nonce": nonce,
		"authorizationCode": code, "expiresAt": timestamp(expires)})
}

// obtainOAuthToken is O5: Basic client credentials and a code give an
// access token (a session of the consenting profile) and a refresh token.
// A code works once.
func (s *Server) obtainOAuthToken(c *call) {
	app := s.oauthClient(c)
	if app == nil {
		return
	}
	f := c.fields()
	code := f.str("authorization_code", true, maxFieldLen)
	if !f.ok() {
		return
	}
	g, status, reason := s.oauth.redeemCode(code, app, s.clock.Now())
	if status != http.StatusOK {
		writeError(c.w, status, reason)
		return
	}
	s.issueAccess(c.w, app, g.profile, g.scopes)
}

// refreshOAuthToken is O8: "Basic <current access token>" (raw) and the
// refresh token give a new pair; the old access and refresh tokens die.
func (s *Server) refreshOAuthToken(c *call) {
	f := c.fields()
	refresh := f.str("refresh_token", true, maxFieldLen)
	if !f.ok() {
		return
	}
	g := s.oauth.takeGrant(rawBasic(c.r), refresh, s.clock.Now())
	if g == nil {
		writeError(c.w, http.StatusUnauthorized, "oauth.invalid_refresh_token")
		return
	}
	s.dropToken(g.session)
	s.issueAccess(c.w, g.app, g.session.profile, g.scopes)
}

// issueAccess creates an access token (a session of p) with its refresh
// token and answers with the O5/O8 body.
func (s *Server) issueAccess(w http.ResponseWriter, app *oauthApp, p *profile, scopes []string) {
	se := s.state.newSession(p, oauthAccessTTL)
	g := &accessGrant{app: app, scopes: scopes, session: se, refreshToken: secret("rt-"),
		refreshExpiresAt: s.clock.Now().Add(oauthRefreshTTL)}
	s.oauth.addGrant(se.token, g)
	writeJSON(w, http.StatusOK, map[string]string{"clientId": app.clientID, "token": se.token,
		"refreshToken": g.refreshToken, "type": "bearer", "scope": joinScopes(scopes),
		"expiresAt": timestamp(se.expiresAt), "refreshTokenExpiresAt": timestamp(g.refreshExpiresAt)})
}

// oauthScope is O7: "Basic <access token>" (raw) gives the token's client
// and scopes; an unknown, refreshed-away or revoked token is 401.
func (s *Server) oauthScope(c *call) {
	access := rawBasic(c.r)
	g := s.oauth.grant(access)
	if g == nil || s.state.session(access) == nil {
		writeError(c.w, http.StatusUnauthorized, "invalid token")
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"clientId": g.app.clientID, "scope": g.scopes,
		"expiresAt": timestamp(g.session.expiresAt)})
}

func joinScopes(scopes []string) string { return strings.Join(scopes, " ") }
