package sim

import (
	"net/http"
	"slices"
	"strings"
)

// authKind says what credential a route needs (§1.2).
type authKind int

const (
	authPublic   authKind = iota // no credential
	authToken                    // X-DPT-AUTHORIZATION with a live token, else 401
	authOptional                 // a token may be sent; if sent it must be live (request-status)
)

// route is one row of the API: method and path (a Go 1.22 ServeMux
// pattern path, "{id}" wildcards allowed), the operation name used in
// Stats, the credential it needs, and its handler. Aliases are rows of
// their own with the same op.
type route struct {
	method string
	path   string
	op     string
	auth   authKind
	handle func(*Server, *call)
}

// apiRoutes is the whole route table, one function per area, so that a
// new area is one more function here and nothing else changes.
func apiRoutes() []route {
	return slices.Concat(
		utilityRoutes(),
		profileRoutes(),
		publicKeyRoutes(),
		dataTokenRoutes(),
		deviceRoutes(),
		storageRoutes(),
		authenticatorRoutes(),
		votingConfigRoutes(),
		policyRoutes(),
		votingRoutes(),
		oauthRoutes(),
		hookRoutes(),
	)
}

// apiHandler builds the API's http.Handler from the table: one mux
// entry per path, dispatching on method, so wrong methods get a JSON 405
// and unknown paths a JSON 404.
//
// A request for one of the literal paths, sent as written, skips the
// mux: a map finds the same entry the mux would (a literal pattern is
// more specific than any wildcard one matching the same path, and no
// pattern names a host), at a fraction of the mux's routing cost, paid
// on every command. Everything else (wildcard paths, unclean or escaped
// paths the mux redirects or unescapes, CONNECT) goes through the mux.
func (s *Server) apiHandler(table []route) http.Handler {
	mux := http.NewServeMux()
	literal := map[string]http.HandlerFunc{}
	byPath := map[string]map[string]route{}
	var paths []string
	for _, rt := range table {
		if byPath[rt.path] == nil {
			byPath[rt.path] = map[string]route{}
			paths = append(paths, rt.path)
		}
		byPath[rt.path][rt.method] = rt
	}
	for _, p := range paths {
		methods := byPath[p]
		h := func(w http.ResponseWriter, r *http.Request) {
			rt, ok := methods[r.Method]
			if !ok {
				w.Header().Set("Allow", allowed(methods))
				writeError(w, http.StatusMethodNotAllowed, "request.method_not_allowed")
				return
			}
			s.serveRoute(w, r, rt)
		}
		mux.HandleFunc(p, h)
		if !strings.Contains(p, "{") && !strings.HasSuffix(p, "/") {
			literal[p] = h
		}
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "request.unknown_path")
	})
	return recoverJSON(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := literal[r.URL.Path]; h != nil && r.URL.RawPath == "" && r.Method != http.MethodConnect {
			h(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	}))
}

func allowed(methods map[string]route) string {
	var ms []string
	for m := range methods {
		ms = append(ms, m)
	}
	slices.Sort(ms)
	out := ""
	for i, m := range ms {
		if i > 0 {
			out += ", "
		}
		out += m
	}
	return out
}

// serveRoute runs the shared front of every operation: count, inject the
// HTTP fault, authenticate, parse, then the handler. The credential is
// checked before the body is read, so an anonymous client cannot make the
// simulator hold request bodies for routes that need a token.
func (s *Server) serveRoute(w http.ResponseWriter, r *http.Request, rt route) {
	counters := s.stats.op(rt.op)
	counters.requests.Add(1)
	if s.dice.hit(s.requestSeq.Add(1), rollHTTPError, s.opts.HTTPErrorRate) {
		s.stats.faults.httpErrors.Add(1)
		counters.Faults.Add(1)
		// The body of U1's PROPOSED fault answer, with a message for the rest.
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "degraded", "message": "sim.injected_http_error"})
		return
	}
	c := &call{w: w, r: r, op: rt.op}
	if !s.authorize(c, rt.auth) || !c.parseInput(s.opts.MaxBodyBytes) {
		return
	}
	rt.handle(s, c)
}

// authorize resolves the token of c; it writes the 401 and returns false
// when the route needs one and it is missing, unknown, expired or revoked.
func (s *Server) authorize(c *call, kind authKind) bool {
	token := c.r.Header.Get(authHeader)
	if kind == authPublic || (kind == authOptional && token == "") {
		return true
	}
	se := s.state.session(token)
	if se == nil || !se.profile.isActive() {
		writeError(c.w, http.StatusUnauthorized, "invalid token")
		return false
	}
	c.session, c.profile = se, se.profile
	return true
}

// recoverJSON turns a handler panic into a 500 JSON answer instead of a
// dropped connection; the server keeps serving everyone else.
func recoverJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil && v != http.ErrAbortHandler {
				writeError(w, http.StatusInternalServerError, "sim.internal_error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// opNames lists every operation of the table, for the stats map.
func opNames(table []route) []string {
	out := make([]string, 0, len(table))
	for _, rt := range table {
		out = append(out, rt.op)
	}
	return out
}
