package sim

import (
	"net/http"
	"time"
)

func profileRoutes() []route {
	return []route{
		{"POST", "/profile/register-profile", "register-profile", authPublic, (*Server).registerProfile},
		{"POST", "/profile/authenticate", "authenticate", authPublic, (*Server).authenticate},
		{"GET", "/profile/retrieve-profile-id", "retrieve-profile-id", authToken, (*Server).retrieveProfileID},
		{"POST", "/profile/change-password", "change-password", authToken, (*Server).changePassword},
		{"POST", "/profile/generate-token-qr", "generate-token-qr", authToken, (*Server).generateTokenQR},
		{"POST", "/profile/generate-qr-token-for-authorization", "generate-token-qr", authToken, (*Server).generateTokenQR},
		{"POST", "/profile/reauthorize-authorization-token", "reauthorize-authorization-token", authToken, (*Server).reauthorize},
		{"POST", "/profile/revoke-authorization-token", "revoke-authorization-token", authToken, (*Server).revokeToken},
		{"POST", "/profile/authorization-token/expiry", "retrieve-token-expiry", authToken, (*Server).tokenExpiry},
		{"GET", "/profile/retrieve-token-expiry", "retrieve-token-expiry", authToken, (*Server).tokenExpiry},
	}
}

// provision creates the pre-provisioned users, active and each with a
// signed public key derived from the seed and its name.
func (s *Server) provision(users []User) error {
	for _, u := range users {
		p := newProfile("prf-"+s.ids.uuid7(), u.Name, u.Password)
		p.active = true
		p.publicKey = signedPublicKey(deterministicKey(uint64(s.opts.Seed), "user:"+u.Name))
		s.state.claimName(p) // names were checked unique by validate
	}
	return nil
}

// registerProfile is P1. The username is claimed synchronously (409 on a
// duplicate, even against a registration still in flight); the profile
// becomes usable when the command resolves.
func (s *Server) registerProfile(c *call) {
	f := c.fields()
	name := f.str("username", true, maxUsernameLen)
	password := f.str("password", true, maxPasswordLen)
	if !f.ok() {
		return
	}
	p := newProfile("prf-"+s.ids.uuid7(), name, password)
	p.active = !s.opts.StrictRegistration // p is still ours alone: no lock
	switch s.state.claimName(p) {
	case claimTaken:
		writeError(c.w, http.StatusConflict, "profile.username_taken")
		return
	case claimFull:
		// A bound reached is business validation: 202, then ack 3.
		cmd := s.newCommand(p, c.op, func(string) outcome { return rejected("profile.limit_reached") })
		cmd.Unpublished, cmd.Anonymous = true, true
		s.submit(cmd, func() { s.writeAccepted(c.w, cmd) })
		return
	}
	cmd := s.newCommand(p, c.op, func(string) outcome {
		p.activate() // already active unless StrictRegistration
		return succeeded()
	})
	// The profile has no channel yet: its caller polls request-status
	// (P1: "ack only via polling"), and the ack is sent to no socket — a pre-join buffer would
	// hand it to the first join as a message nobody waits for.
	cmd.Unpublished, cmd.Anonymous = true, true
	cmd.OnReject(func() { s.state.releaseName(p) })
	s.submit(cmd, func() { s.writeAccepted(c.w, cmd) })
}

// authenticate is P2: 200 with a fresh token, or 401 "invalid credentials".
func (s *Server) authenticate(c *call) {
	f := c.fields()
	name := f.str("username", true, maxUsernameLen)
	password := f.str("password", true, maxPasswordLen)
	if !f.ok() {
		return
	}
	p := s.state.lookupName(name)
	if p == nil {
		// Hash anyway, so an unknown name costs what a wrong password does.
		hashPassword([16]byte{}, password)
	}
	if p == nil || !p.credentialsOK(password, s.opts.RequirePublicKeyForAuth) {
		writeError(c.w, http.StatusUnauthorized, "invalid credentials")
		return
	}
	se := s.state.newSession(p, s.opts.TokenTTL)
	writeJSON(c.w, http.StatusOK, map[string]string{"authorizationToken": se.token, "expiresAt": timestamp(se.expiresAt)})
}

// retrieveProfileID is P3.
func (s *Server) retrieveProfileID(c *call) {
	writeJSON(c.w, http.StatusOK, map[string]string{"profileId": c.profile.id})
}

// changePassword is P4: the current password is checked when the command
// resolves (business validation is async); tokens stay valid.
func (s *Server) changePassword(c *call) {
	f := c.fields()
	current := f.str("currentPassword", true, maxPasswordLen)
	next := f.str("newPassword", true, maxPasswordLen)
	if !f.ok() {
		return
	}
	p := c.profile
	s.accept(c.w, p, c.op, func() outcome {
		if !p.changePassword(current, next) {
			return rejected("profile.invalid_password")
		}
		return succeeded()
	})
}

// generateTokenQR is P5: a short-lived token that a phone would scan to
// onboard as a device. Simulated devices onboard through V1–V5 instead,
// so nothing consumes it: it is kept (bounded) only until it expires.
func (s *Server) generateTokenQR(c *call) {
	tok, exp := secret("qr-"), s.clock.Now().Add(qrTokenTTL)
	if !c.profile.addQRToken(tok, exp) {
		writeError(c.w, http.StatusTooManyRequests, "profile.too_many_qr_tokens")
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]string{"qrToken": tok, "expiresAt": timestamp(exp)})
}

// reauthorize is P6 (sync reading): a new token living ttl seconds
// replaces the presented one, which stops working.
func (s *Server) reauthorize(c *call) {
	f := c.fields()
	ttl := f.integer("ttl", true, 60, 31_536_000, 0)
	if !f.ok() {
		return
	}
	se := s.state.newSession(c.profile, time.Duration(ttl)*time.Second)
	s.dropToken(c.session)
	writeJSON(c.w, http.StatusOK, map[string]string{"authorizationToken": se.token, "expiresAt": timestamp(se.expiresAt)})
}

// revokeToken is P7: only the presented token dies.
func (s *Server) revokeToken(c *call) {
	s.dropToken(c.session)
	writeJSON(c.w, http.StatusOK, []string{})
}

// dropToken kills a session and unbinds the sockets joined with it.
func (s *Server) dropToken(se *session) {
	s.state.revoke(se.token)
	s.hub.DetachToken(se.profile.id, se.token)
}

// tokenExpiry is P8.
func (s *Server) tokenExpiry(c *call) {
	writeJSON(c.w, http.StatusOK, map[string]string{"expiresAt": timestamp(c.session.expiresAt)})
}
