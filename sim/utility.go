package sim

import (
	"net/http"

	"github.com/pcflow/pcflow/sim/internal/pipeline"
)

func utilityRoutes() []route {
	return []route{
		{"GET", "/health", "health", authPublic, (*Server).health},
		{"GET", "/utility/check-server-health", "health", authPublic, (*Server).health},
		{"POST", "/request-status/{id}", "request-status", authOptional, (*Server).requestStatus},
		{"GET", "/request-status/{id}", "request-status", authOptional, (*Server).requestStatus},
		{"GET", "/utility/request-command-id-status/{id}", "request-status", authOptional, (*Server).requestStatusLegacy},
	}
}

// health is U1.
func (s *Server) health(c *call) {
	writeJSON(c.w, http.StatusOK, map[string]string{"status": "ok"})
}

// statusWords maps command_status to request-status's vocabulary
// (started→1, succeeded→2, rejected→3; inferred, §1.7).
var statusWords = [...]string{pipeline.Started: "started", pipeline.Succeeded: "succeeded", pipeline.Rejected: "rejected"}

// lookupCommand finds the command of the path's id as c may see it: a
// caller with a token sees only its own profile's commands; a caller
// without one sees only the onboarding commands the live wire's poller
// asks about without a token (register-profile's, whose profile has none
// yet, and register-public-key's, §1.7–1.8: Command.Anonymous). Anything
// else is the same 404 as an unknown id, so that an anonymous caller
// learns nothing about other profiles' commands.
func (s *Server) lookupCommand(c *call) (status int, body string, ok bool) {
	cmd, ok := s.pipeline.Lookup(c.r.PathValue("id"))
	if c.profile == nil {
		ok = ok && cmd.Anonymous
	} else {
		ok = ok && cmd.Owner == c.profile.id
	}
	if !ok {
		writeError(c.w, http.StatusNotFound, "command.not_found")
		return 0, "", false
	}
	return cmd.Status, cmd.Body, true
}

// requestStatus is U2 ([P] shape): ["started"] / ["succeeded"] / ["rejected"].
func (s *Server) requestStatus(c *call) {
	if status, _, ok := s.lookupCommand(c); ok {
		writeJSON(c.w, http.StatusOK, []string{statusWords[status]})
	}
}

// requestStatusLegacy is U2 at the guide's path, in the docset's object form.
func (s *Server) requestStatusLegacy(c *call) {
	status, body, ok := s.lookupCommand(c)
	if !ok {
		return
	}
	var b any
	if status != pipeline.Started {
		b = body
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"commandId": c.r.PathValue("id"), "command_status": status, "body": b})
}
