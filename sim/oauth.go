package sim

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// OAuth lifetimes and bounds (privicore-api.md §2.3). Codes are short-lived
// and single use; access tokens live like profile tokens; refresh tokens
// rotate on every use.
const (
	oauthCodeTTL         = 5 * time.Minute
	oauthAccessTTL       = time.Hour
	oauthRefreshTTL      = 30 * 24 * time.Hour
	maxOAuthAppsPerOwner = 256
	maxOAuthCodesPerApp  = 1024 // outstanding code requests of one application
	maxOAuthScopes       = 32
)

func oauthRoutes() []route {
	return []route{
		{"POST", "/profile/oauth-application-register", "register-oauth-application", authToken, (*Server).registerOAuthApp},
		{"POST", "/oauth/register-oauth-application", "register-oauth-application", authToken, (*Server).registerOAuthApp},
		{"POST", "/profile/retrieve-oauth-application-configuration", "retrieve-oauth-application-configuration", authToken, (*Server).retrieveOAuthConfig},
		{"GET", "/oauth/retrieve-oauth-app-configuration/{applicationId}", "retrieve-oauth-application-configuration", authToken, (*Server).retrieveOAuthConfig},
		{"GET", "/profile/oauth-application-request-authorization-code", "request-oauth-authorization-code", authToken, (*Server).requestOAuthCode},
		{"POST", "/oauth-application/retrieve-authorization-code", "retrieve-oauth-authorization-code", authPublic, (*Server).retrieveOAuthCode},
		{"POST", "/oauth-application/obtain-access-token", "obtain-oauth-access-token", authPublic, (*Server).obtainOAuthToken},
		{"POST", "/oauth/obtain-oauth-app-access-token", "obtain-oauth-access-token", authPublic, (*Server).obtainOAuthToken},
		{"GET", "/profile/retrieve-oauth-application-list", "list-oauth-applications", authToken, (*Server).listOAuthApps},
		{"GET", "/oauth/oauth-application-list", "list-oauth-applications", authToken, (*Server).listOAuthApps},
		{"GET", "/oauth-application/retrieve-oauth-application-scope", "retrieve-oauth-application-scope", authPublic, (*Server).oauthScope},
		{"POST", "/oauth-application/retrieve-oauth-application-scope", "retrieve-oauth-application-scope", authPublic, (*Server).oauthScope},
		{"POST", "/oauth-application/refresh-access-token", "refresh-oauth-access-token", authPublic, (*Server).refreshOAuthToken},
	}
}

// oauthApp is one registered OAuth application. Its id is the command id
// of its registration (§2.3: "the command id is the applicationId").
type oauthApp struct {
	id, name, redirectURI string
	scopes                []string
	owner                 *profile
	createdAt             time.Time
	clientID              string
	secretHash            [32]byte // SHA-256 of the client secret; the secret itself is handed out once
	clientSecret          string   // kept only until the configuration is retrieved, then erased
	retrieved             bool     // the configuration was handed out (single use)
	codes                 int      // outstanding code requests
}

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
	mu       sync.Mutex
	apps     map[string]*oauthApp    // application id
	byClient map[string]*oauthApp    // client id
	requests map[string]*codeGrant   // O3 command id
	codes    map[string]*codeGrant   // authorization code
	access   map[string]*accessGrant // access token
	refresh  map[string]*accessGrant // refresh token
}

func newOAuthRegistry() *oauthRegistry {
	return &oauthRegistry{apps: map[string]*oauthApp{}, byClient: map[string]*oauthApp{},
		requests: map[string]*codeGrant{}, codes: map[string]*codeGrant{},
		access: map[string]*accessGrant{}, refresh: map[string]*accessGrant{}}
}

// registerOAuthApp is O1: the application is named after the command (so
// its id is known from the 202) and exists once the command resolves.
func (s *Server) registerOAuthApp(c *call) {
	f := c.fields()
	name := f.str("name", true, maxFieldLen)
	redirect := f.str("redirectUri", true, maxFieldLen)
	scopes := splitScopes(f.str("scopes", true, maxFieldLen))
	if redirect != "" && !absoluteURL(redirect) {
		f.fail("redirectUri", "validation.url_expected")
	}
	if len(scopes) > maxOAuthScopes {
		f.fail("scopes", "validation.too_many")
	}
	if !f.ok() {
		return
	}
	reg, p := s.oauth, c.profile
	s.acceptWithID(c.w, p, c.op, func(id string) outcome {
		secretValue := secret("shh-")
		app := &oauthApp{id: id, name: name, redirectURI: redirect, scopes: scopes, owner: p,
			createdAt: time.Now(), clientID: "cli-" + s.ids.uuid7(), clientSecret: secretValue,
			secretHash: sha256.Sum256([]byte(secretValue))}
		reg.mu.Lock()
		defer reg.mu.Unlock()
		if reg.countOwned(p) >= maxOAuthAppsPerOwner {
			return rejected("oauth.too_many_applications")
		}
		reg.apps[app.id] = app
		reg.byClient[app.clientID] = app
		return succeeded()
	})
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

// retrieveOAuthConfig is O2: the client credentials, once. Another
// profile's application, or one whose command has not resolved, is 404.
func (s *Server) retrieveOAuthConfig(c *call) {
	f := c.fields()
	id := c.r.PathValue("applicationId") // the guides' legacy GET path
	if id == "" {
		id = f.str("applicationId", true, maxFieldLen)
		if !f.ok() {
			return
		}
	}
	reg := s.oauth
	reg.mu.Lock()
	app := reg.apps[id]
	if app == nil || app.owner != c.profile {
		reg.mu.Unlock()
		writeError(c.w, http.StatusNotFound, "oauth.application_not_found")
		return
	}
	if app.retrieved {
		reg.mu.Unlock()
		f.fail("applicationId", "oauth.already_retrieved")
		f.ok()
		return
	}
	app.retrieved = true
	clientSecret := app.clientSecret
	app.clientSecret = ""
	reg.mu.Unlock()
	writeJSON(c.w, http.StatusOK, map[string]any{"applicationId": app.id, "clientId": app.clientID,
		"clientSecret": clientSecret, "redirectUri": app.redirectURI, "scopes": app.scopes})
}

// listOAuthApps is O6: the caller's applications, never their secrets.
func (s *Server) listOAuthApps(c *call) {
	reg := s.oauth
	items := []map[string]any{}
	reg.mu.Lock()
	for _, a := range reg.apps {
		if a.owner == c.profile {
			items = append(items, map[string]any{"applicationId": a.id, "name": a.name, "scopes": a.scopes,
				"redirectUri": a.redirectURI, "createdAt": timestamp(a.createdAt)})
		}
	}
	reg.mu.Unlock()
	sortByCreated(items)
	writeJSON(c.w, http.StatusOK, map[string]any{"items": items, "meta": map[string]int{"count": len(items)}})
}

// sortByCreated orders list items by creation time, then id, so listings
// are stable.
func sortByCreated(items []map[string]any) {
	key := func(m map[string]any) string { return m["createdAt"].(string) + m["applicationId"].(string) }
	slices.SortFunc(items, func(a, b map[string]any) int { return strings.Compare(key(a), key(b)) })
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

// rawBasic returns the value of "Authorization: Basic <value>" as sent:
// the OAuth access token itself, not base64 (§1.2, basic-raw).
func rawBasic(r *http.Request) string {
	v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Basic ")
	if !ok {
		return ""
	}
	return strings.TrimSpace(v)
}

// splitScopes turns "a, b,c" into [a b c], dropping empty items.
func splitScopes(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}
