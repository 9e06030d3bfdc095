package privicore

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// Authorization is P2's (and P6's synchronous) answer.
type Authorization struct {
	Token     Secret
	ExpiresAt time.Time
	Timing
}

type wireAuthorization struct {
	AuthorizationToken string `json:"authorizationToken"`
	ExpiresAt          string `json:"expiresAt"`
}

// RegisterProfile is P1: POST /profile/register-profile (public, form).
// Its ack cannot reach a socket (the profile has no token yet): await it
// with WaitCommand.
func (c *Client) RegisterProfile(ctx context.Context, username string, password Secret) (Accepted, error) {
	const op = "register-profile"
	if err := required(op, "username", username, "password", password.Reveal()); err != nil {
		return Accepted{}, err
	}
	r := &Request{Op: op, Method: "POST", Path: "/profile/register-profile",
		Form: form("username", username, "password", password.Reveal()), pass: password}
	return c.accepted(ctx, r)
}

func (c *Client) accepted(ctx context.Context, r *Request) (Accepted, error) {
	res, err := c.do(ctx, r)
	if err != nil {
		return Accepted{}, err
	}
	id, err := ExtractCommandID(res.body)
	if err != nil {
		if id = res.headerGet("X-Dpt-Cab-Id"); id == "" {
			return Accepted{}, err
		}
	}
	return Accepted{CommandID: id, HTTPStatus: res.status, Timing: res.timing}, nil
}

// WaitCommand polls request-status (token may be empty) every interval
// (0 means 50 ms) until the command settles or ctx ends; it is bounded by
// ctx only. Rejection is a *CommandRejectedError; ctx ending first is an
// *AckTimeoutError. A 404 (not known yet), a 5xx or a transport error is
// polled again; any other error (a 401, bad input) is returned at once.
func (c *Client) WaitCommand(ctx context.Context, commandID string, token Secret, interval time.Duration) (CommandState, error) {
	if interval <= 0 {
		interval = 50 * time.Millisecond
	}
	for {
		st, err := c.RequestStatus(ctx, commandID, token)
		switch {
		case err == nil && st.Rejected():
			return st, &CommandRejectedError{Op: "request-status", CommandID: commandID, Reason: st.State}
		case err == nil && st.Terminal():
			return st, nil
		case err != nil && !worthPollingAgain(err):
			return st, err
		}
		select {
		case <-ctx.Done():
			return st, &AckTimeoutError{Op: "request-status", CommandID: commandID}
		case <-time.After(interval):
		}
	}
}

// worthPollingAgain reports errors that a later request-status may not
// repeat: the id not known yet (404), server trouble, transport trouble.
func worthPollingAgain(err error) bool {
	if errors.Is(err, ErrInvalidInput) {
		return false
	}
	status := StatusOf(err)
	return status == 0 || status == 404 || status >= 500
}

// Authenticate is P2: POST /profile/authenticate (public, form).
func (c *Client) Authenticate(ctx context.Context, username string, password Secret) (Authorization, error) {
	const op = "authenticate"
	if err := required(op, "username", username, "password", password.Reveal()); err != nil {
		return Authorization{}, err
	}
	r := &Request{Op: op, Method: "POST", Path: "/profile/authenticate",
		Form: form("username", username, "password", password.Reveal()), pass: password}
	res, err := c.do(ctx, r)
	if err != nil {
		return Authorization{}, err
	}
	return authorizationFrom(op, res)
}

func authorizationFrom(op string, res *response) (Authorization, error) {
	var w wireAuthorization
	if err := decodeJSON(op, res.body, &w); err != nil {
		return Authorization{}, err
	}
	if w.AuthorizationToken == "" {
		return Authorization{}, badBody(op, nil, "no authorizationToken")
	}
	return Authorization{Token: Secret(w.AuthorizationToken), ExpiresAt: parseTime(w.ExpiresAt), Timing: res.timing}, nil
}

// ProfileID is P3's answer.
type ProfileID struct {
	ProfileID string
	Timing
}

// RetrieveProfileID is P3: GET /profile/retrieve-profile-id.
func (s *Session) RetrieveProfileID(ctx context.Context) (ProfileID, error) {
	var w struct {
		ProfileID string `json:"profileId"`
	}
	t, err := s.decodeInto(ctx, get("retrieve-profile-id", "/profile/retrieve-profile-id"), &w)
	return ProfileID{ProfileID: w.ProfileID, Timing: t}, err
}

// ChangePassword is P4: POST /profile/change-password (async command).
// Existing tokens stay valid.
func (s *Session) ChangePassword(ctx context.Context, current, next Secret) (Ack, error) {
	const op = "change-password"
	if err := required(op, "currentPassword", current.Reveal(), "newPassword", next.Reveal()); err != nil {
		return Ack{}, err
	}
	r := post(op, "/profile/change-password", form("currentPassword", current.Reveal(), "newPassword", next.Reveal()))
	r.pass = current
	return s.command(ctx, r)
}

// QRToken is P5's answer; the token is single-use.
type QRToken struct {
	Token     Secret
	ExpiresAt time.Time
	Timing
}

// GenerateQRToken is P5: POST /profile/generate-token-qr (empty form).
func (s *Session) GenerateQRToken(ctx context.Context) (QRToken, error) {
	var w struct {
		QRToken   string `json:"qrToken"`
		ExpiresAt string `json:"expiresAt"`
	}
	t, err := s.decodeInto(ctx, post("generate-qr-token", "/profile/generate-token-qr", nil), &w)
	return QRToken{Token: Secret(w.QRToken), ExpiresAt: parseTime(w.ExpiresAt), Timing: t}, err
}

// Reauthorization is P6's answer: a new token (synchronous 200), or an
// async command's Ack (202) when the server answers that way. No source
// records where the async reading delivers the new token, so then Token is
// empty and Ack.Message.Body holds whatever the ack said.
type Reauthorization struct {
	Authorization
	Async bool // the server answered with a command id, awaited as Ack
	Ack   Ack
}

// ReauthorizeAuthorizationToken is P6: POST
// /profile/reauthorize-authorization-token, form ttl (seconds per the
// guide; unverified). Both observed answers are accepted. The session keeps
// using its own token; open a new session with the new one.
func (s *Session) ReauthorizeAuthorizationToken(ctx context.Context, ttlSeconds int) (Reauthorization, error) {
	const op = "reauthorize-authorization-token"
	if ttlSeconds <= 0 {
		return Reauthorization{}, invalid(op, "ttl must be positive, got %d", ttlSeconds)
	}
	r := post(op, "/profile/reauthorize-authorization-token", form("ttl", strconv.Itoa(ttlSeconds)))
	res, err := s.call(ctx, r)
	if err != nil {
		return Reauthorization{}, err
	}
	if a, err := authorizationFrom(op, res); err == nil {
		return Reauthorization{Authorization: a}, nil
	}
	p, err := s.pendingFrom(&r, res)
	if err != nil {
		return Reauthorization{}, err
	}
	ack, err := p.Wait(ctx)
	return Reauthorization{Async: true, Ack: ack, Authorization: Authorization{Timing: ack.Timing}}, err
}

// RevokeAuthorizationToken is P7: POST /profile/revoke-authorization-token.
// It kills the session's own token; later calls get a 401 *APIError.
func (s *Session) RevokeAuthorizationToken(ctx context.Context) (Result, error) {
	return s.result(ctx, post("revoke-authorization-token", "/profile/revoke-authorization-token", nil))
}

// TokenExpiry is P8's answer.
type TokenExpiry struct {
	ExpiresAt time.Time
	Timing
}

// RetrieveTokenExpiry is P8: POST /profile/authorization-token/expiry.
func (s *Session) RetrieveTokenExpiry(ctx context.Context) (TokenExpiry, error) {
	var w struct {
		ExpiresAt string `json:"expiresAt"`
	}
	t, err := s.decodeInto(ctx, post("retrieve-token-expiry", "/profile/authorization-token/expiry", nil), &w)
	return TokenExpiry{ExpiresAt: parseTime(w.ExpiresAt), Timing: t}, err
}
