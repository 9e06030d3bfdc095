package sim

import (
	"crypto/sha256"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// OAuth lifetimes and bounds (docs/wire.md §2.3). Codes are short-lived
// and single use; access tokens live like profile tokens; refresh tokens
// rotate on every use.
const (
	oauthCodeTTL         = 5 * time.Minute
	oauthAccessTTL       = time.Hour
	oauthRefreshTTL      = 30 * 24 * time.Hour
	maxOAuthAppsPerOwner = 256
	// maxOAuthCodesPerRequester bounds the outstanding code requests of
	// one requesting profile, all applications together: counted per
	// requester, so that a flood from one profile cannot lock another
	// out of its own application.
	maxOAuthCodesPerRequester = 1024
	maxOAuthScopes            = 32
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
			createdAt: s.clock.Now(), clientID: "cli-" + s.ids.uuid7(), clientSecret: secretValue,
			secretHash: sha256.Sum256([]byte(secretValue))}
		if !reg.addApp(app) {
			return rejected("oauth.too_many_applications")
		}
		return succeeded()
	})
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
	app, clientSecret, found := s.oauth.takeClientSecret(id, c.profile)
	switch {
	case !found:
		writeError(c.w, http.StatusNotFound, "oauth.application_not_found")
		return
	case app == nil:
		f.fail("applicationId", "oauth.already_retrieved")
		f.ok()
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"applicationId": app.id, "clientId": app.clientID,
		"clientSecret": clientSecret, "redirectUri": app.redirectURI, "scopes": app.scopes})
}

// listOAuthApps is O6: the caller's applications, never their secrets.
func (s *Server) listOAuthApps(c *call) {
	items := s.oauth.appsOf(c.profile)
	sortByCreated(items)
	writeJSON(c.w, http.StatusOK, map[string]any{"items": items, "meta": map[string]int{"count": len(items)}})
}

// sortByCreated orders list items by creation time, then id, so listings
// are stable.
func sortByCreated(items []map[string]any) {
	key := func(m map[string]any) string { return m["createdAt"].(string) + m["applicationId"].(string) }
	slices.SortFunc(items, func(a, b map[string]any) int { return strings.Compare(key(a), key(b)) })
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
