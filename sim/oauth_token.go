package sim

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"
	"time"
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
		reg.mu.Lock()
		defer reg.mu.Unlock()
		if reg.requests[id] != g { // evicted while the command was held
			return rejected("oauth.code_request_expired")
		}
		g.code = secret("ac-")
		g.expiresAt = time.Now().Add(oauthCodeTTL)
		reg.codes[g.code] = g
		return succeeded()
	})
	reg.mu.Lock()
	reg.requests[cmd.ID] = g
	reg.mu.Unlock()
	s.submit(cmd, func() { s.writeAccepted(c.w, cmd) })
}

// newCodeGrant starts a code request of profile p for clientID, counted
// against the application's bound; nil with a status and reason when the
// client is unknown (404) or has too many outstanding (429).
func (reg *oauthRegistry) newCodeGrant(clientID string, p *profile, nonce string, scopes []string) (*codeGrant, int, string) {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	app := reg.byClient[clientID]
	switch {
	case app == nil:
		return nil, http.StatusNotFound, "oauth.unknown_client"
	case app.codes >= maxOAuthCodesPerApp:
		return nil, http.StatusTooManyRequests, "oauth.too_many_code_requests"
	}
	app.codes++
	return &codeGrant{app: app, profile: p, nonce: nonce, scopes: scopes, expiresAt: time.Now().Add(oauthCodeTTL)}, 0, ""
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
	reg := s.oauth
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
	reg.mu.Lock()
	g := reg.requests[id]
	if g == nil || g.app != app || g.code == "" {
		reg.mu.Unlock()
		writeError(c.w, http.StatusNotFound, "oauth.code_request_not_found")
		return
	}
	code, expires, wantNonce := g.code, g.expiresAt, g.nonce
	reg.mu.Unlock()
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
	reg := s.oauth
	app := s.oauthClient(c)
	if app == nil {
		return
	}
	f := c.fields()
	code := f.str("authorization_code", true, maxFieldLen)
	if !f.ok() {
		return
	}
	reg.mu.Lock()
	g := reg.codes[code]
	status, reason := codeUsable(g, app, time.Now())
	if status == http.StatusOK {
		g.used = true
	}
	reg.mu.Unlock()
	if status != http.StatusOK {
		writeError(c.w, status, reason)
		return
	}
	s.issueAccess(c.w, app, g.profile, g.scopes)
}

// codeUsable says whether code grant g may be exchanged by app, and if not
// with which status: unknown 404 (Record Not Found), another client's 403,
// used or expired 401.
func codeUsable(g *codeGrant, app *oauthApp, now time.Time) (int, string) {
	switch {
	case g == nil:
		return http.StatusNotFound, "Record Not Found"
	case g.app != app:
		return http.StatusForbidden, "Forbidden"
	case g.used:
		return http.StatusUnauthorized, "oauth.code_used"
	case !now.Before(g.expiresAt):
		return http.StatusUnauthorized, "oauth.code_expired"
	}
	return http.StatusOK, ""
}

// refreshOAuthToken is O8: "Basic <current access token>" (raw) and the
// refresh token give a new pair; the old access and refresh tokens die.
func (s *Server) refreshOAuthToken(c *call) {
	f := c.fields()
	refresh := f.str("refresh_token", true, maxFieldLen)
	if !f.ok() {
		return
	}
	reg := s.oauth
	access := rawBasic(c.r)
	reg.mu.Lock()
	g := reg.access[access]
	ok := g != nil && subtle.ConstantTimeCompare([]byte(refresh), []byte(g.refreshToken)) == 1 &&
		time.Now().Before(g.refreshExpiresAt)
	if ok {
		delete(reg.access, access)
		delete(reg.refresh, g.refreshToken)
	}
	reg.mu.Unlock()
	if !ok {
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
		refreshExpiresAt: time.Now().Add(oauthRefreshTTL)}
	reg := s.oauth
	reg.mu.Lock()
	reg.access[se.token] = g
	reg.refresh[g.refreshToken] = g
	reg.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"clientId": app.clientID, "token": se.token,
		"refreshToken": g.refreshToken, "type": "bearer", "scope": joinScopes(scopes),
		"expiresAt": timestamp(se.expiresAt), "refreshTokenExpiresAt": timestamp(g.refreshExpiresAt)})
}

// oauthScope is O7: "Basic <access token>" (raw) gives the token's client
// and scopes; an unknown, refreshed-away or revoked token is 401.
func (s *Server) oauthScope(c *call) {
	access := rawBasic(c.r)
	reg := s.oauth
	reg.mu.Lock()
	g := reg.access[access]
	reg.mu.Unlock()
	if g == nil || s.state.session(access) == nil {
		writeError(c.w, http.StatusUnauthorized, "invalid token")
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"clientId": g.app.clientID, "scope": g.scopes,
		"expiresAt": timestamp(g.session.expiresAt)})
}

func joinScopes(scopes []string) string { return strings.Join(scopes, " ") }

// evictExpired drops code requests and codes past their expiry and grants
// whose refresh token expired, so memory stays bounded by live records.
func (reg *oauthRegistry) evictExpired(now time.Time) {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	for id, g := range reg.requests {
		if !now.Before(g.expiresAt) {
			delete(reg.requests, id)
			delete(reg.codes, g.code)
			g.app.codes--
		}
	}
	for tok, g := range reg.access {
		if !now.Before(g.refreshExpiresAt) {
			delete(reg.access, tok)
			delete(reg.refresh, g.refreshToken)
		}
	}
}
