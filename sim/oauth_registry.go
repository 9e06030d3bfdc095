package sim

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"sync"
	"time"
)

// codeGrant is one authorization-code request (O3) and what it became:
// the code (O4), then at most one token pair (O5).
type codeGrant struct {
	app       *oauthApp
	profile   *profile // the consenting user
	nonce     string
	scopes    []string
	code      string // "" until the request command resolved
	expiresAt time.Time
	used      bool
}

// accessGrant is one issued access token with its refresh token.
type accessGrant struct {
	app              *oauthApp
	scopes           []string
	session          *session // the access token is a profile session
	refreshToken     string
	refreshExpiresAt time.Time
}

// oauthRegistry indexes the OAuth records: by application id, by client id
// (Basic client credentials name no profile), by code request id, by code,
// and by access and refresh token. Its mutex guards everything here;
// it is never held while taking state.mu or a profile's mu.
type oauthRegistry struct {
	now      func() time.Time // Options.Clock
	mu       sync.Mutex
	apps     map[string]*oauthApp    // application id
	byClient map[string]*oauthApp    // client id
	requests map[string]*codeGrant   // O3 command id
	pending  map[*profile]int        // outstanding code requests by requester
	codes    map[string]*codeGrant   // authorization code
	access   map[string]*accessGrant // access token
	refresh  map[string]*accessGrant // refresh token
}

func newOAuthRegistry(now func() time.Time) *oauthRegistry {
	return &oauthRegistry{now: now, apps: map[string]*oauthApp{}, byClient: map[string]*oauthApp{},
		requests: map[string]*codeGrant{}, codes: map[string]*codeGrant{}, pending: map[*profile]int{},
		access: map[string]*accessGrant{}, refresh: map[string]*accessGrant{}}
}

// addApp registers app; false when its owner has maxOAuthAppsPerOwner.
func (reg *oauthRegistry) addApp(app *oauthApp) bool {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	if reg.countOwned(app.owner) >= maxOAuthAppsPerOwner {
		return false
	}
	reg.apps[app.id] = app
	reg.byClient[app.clientID] = app
	return true
}

// countOwned counts p's applications. Callers hold reg.mu.
func (reg *oauthRegistry) countOwned(p *profile) int {
	n := 0
	for _, a := range reg.apps {
		if a.owner == p {
			n++
		}
	}
	return n
}

// takeClientSecret hands out application id's client secret once, to
// its owner p: found is false for an unknown or another profile's
// application, app nil when the secret was handed out already.
func (reg *oauthRegistry) takeClientSecret(id string, p *profile) (app *oauthApp, clientSecret string, found bool) {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	a := reg.apps[id]
	switch {
	case a == nil || a.owner != p:
		return nil, "", false
	case a.retrieved:
		return nil, "", true
	}
	a.retrieved = true
	clientSecret, a.clientSecret = a.clientSecret, ""
	return a, clientSecret, true
}

// appsOf lists p's applications as O6 records, never their secrets.
func (reg *oauthRegistry) appsOf(p *profile) []map[string]any {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	items := []map[string]any{}
	for _, a := range reg.apps {
		if a.owner == p {
			items = append(items, map[string]any{"applicationId": a.id, "name": a.name, "scopes": a.scopes,
				"redirectUri": a.redirectURI, "createdAt": timestamp(a.createdAt)})
		}
	}
	return items
}

// clientApp resolves Basic client credentials (base64 of id:secret), or nil.
func (reg *oauthRegistry) clientApp(r *http.Request) *oauthApp {
	id, secretValue, ok := r.BasicAuth()
	if !ok {
		return nil
	}
	h := sha256.Sum256([]byte(secretValue))
	reg.mu.Lock()
	defer reg.mu.Unlock()
	app := reg.byClient[id]
	if app == nil || subtle.ConstantTimeCompare(h[:], app.secretHash[:]) != 1 {
		return nil
	}
	return app
}

// newCodeGrant starts a code request of profile p for clientID, counted
// against p's bound; nil with a status and reason when the client is
// unknown (404) or p has too many outstanding (429).
func (reg *oauthRegistry) newCodeGrant(clientID string, p *profile, nonce string, scopes []string) (*codeGrant, int, string) {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	app := reg.byClient[clientID]
	switch {
	case app == nil:
		return nil, http.StatusNotFound, "oauth.unknown_client"
	case reg.pending[p] >= maxOAuthCodesPerRequester:
		return nil, http.StatusTooManyRequests, "oauth.too_many_code_requests"
	}
	reg.pending[p]++
	return &codeGrant{app: app, profile: p, nonce: nonce, scopes: scopes, expiresAt: reg.now().Add(oauthCodeTTL)}, 0, ""
}

// trackRequest files code request g under its O3 command id.
func (reg *oauthRegistry) trackRequest(id string, g *codeGrant) {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	reg.requests[id] = g
}

// issueCode gives request id (that is g) its code; false when the
// request was evicted meanwhile.
func (reg *oauthRegistry) issueCode(id string, g *codeGrant) bool {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	if reg.requests[id] != g {
		return false
	}
	g.code = secret("ac-")
	g.expiresAt = reg.now().Add(oauthCodeTTL)
	reg.codes[g.code] = g
	return true
}

// issuedCode is the code of request id for app, once issued.
func (reg *oauthRegistry) issuedCode(id string, app *oauthApp) (code string, expires time.Time, nonce string, ok bool) {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	g := reg.requests[id]
	if g == nil || g.app != app || g.code == "" {
		return "", time.Time{}, "", false
	}
	return g.code, g.expiresAt, g.nonce, true
}

// redeemCode spends code for app; a status other than 200 says why not.
func (reg *oauthRegistry) redeemCode(code string, app *oauthApp, now time.Time) (*codeGrant, int, string) {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	g := reg.codes[code]
	status, reason := codeUsable(g, app, now)
	if status == http.StatusOK {
		g.used = true
	}
	return g, status, reason
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

// addGrant files g under its access token and its refresh token.
func (reg *oauthRegistry) addGrant(access string, g *accessGrant) {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	reg.access[access] = g
	reg.refresh[g.refreshToken] = g
}

// grant is the grant of an access token, or nil.
func (reg *oauthRegistry) grant(access string) *accessGrant {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	return reg.access[access]
}

// takeGrant spends the grant of access if refresh is its live refresh
// token (compared in constant time); nil otherwise.
func (reg *oauthRegistry) takeGrant(access, refresh string, now time.Time) *accessGrant {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	g := reg.access[access]
	if g == nil || subtle.ConstantTimeCompare([]byte(refresh), []byte(g.refreshToken)) != 1 || !now.Before(g.refreshExpiresAt) {
		return nil
	}
	delete(reg.access, access)
	delete(reg.refresh, g.refreshToken)
	return g
}

// evictExpired drops code requests and codes past their expiry and grants
// whose refresh token expired, so memory stays bounded by live records.
func (reg *oauthRegistry) evictExpired(now time.Time) {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	for id, g := range reg.requests {
		if !now.Before(g.expiresAt) {
			delete(reg.requests, id)
			delete(reg.codes, g.code)
			if reg.pending[g.profile]--; reg.pending[g.profile] <= 0 {
				delete(reg.pending, g.profile)
			}
		}
	}
	for tok, g := range reg.access {
		if !now.Before(g.refreshExpiresAt) {
			delete(reg.access, tok)
			delete(reg.refresh, g.refreshToken)
		}
	}
}
