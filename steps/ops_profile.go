package steps

import (
	"context"
	"errors"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// profileKinds are P1–P8: profiles, passwords and authorization tokens.
func profileKinds() []*Kind {
	return []*Kind{
		op(opDecl{
			name: "register-profile", summary: "Register a new profile and await its command (P1).",
			method: "POST", path: "/profile/register-profile", async: true, public: true,
			params: []scenario.ParamSpec{
				must("username", scenario.TypeString, "the new profile's name"),
				hidden(must("password", scenario.TypeString, "its password")),
			},
			run: func(ctx context.Context, c *call) error {
				user, pass := c.str("username"), c.secret("password")
				a, err := registerProfile(ctx, c, user, pass)
				if err == nil {
					c.vu.username, c.vu.password = user, pass
				}
				return c.ack(a, err)
			},
		}),
		op(opDecl{
			name: "authenticate", summary: "Authenticate and open the VU's session with the new token (P2).",
			method: "POST", path: "/profile/authenticate", public: true,
			params: []scenario.ParamSpec{
				opt("username", scenario.TypeString, "", "default: the profile this VU registered or onboarded"),
				hidden(opt("password", scenario.TypeString, "", "default: that profile's password")),
				opt("session", scenario.TypeBool, "true", "open the VU's session (join the token's channel)"),
			},
			captures: captures("token", "the authorization token (secret)"),
			inner:    []string{"join-channel"},
			run: func(ctx context.Context, c *call) error {
				user, pass := c.str("username"), c.secret("password")
				if user == "" {
					user, pass = c.vu.username, c.vu.password
				}
				a, err := c.vu.p.client.Authenticate(ctx, user, pass)
				if err = c.done(a.Timing, err); err != nil {
					return err
				}
				c.vu.username, c.vu.password = user, pass
				c.setSecret("token", a.Token)
				if c.flag("session") {
					return c.vu.openSession(ctx, c, a.Token)
				}
				return nil
			},
		}),
		op(opDecl{
			name: "retrieve-profile-id", summary: "Retrieve the session's profile id (P3).",
			method: "GET", path: "/profile/retrieve-profile-id",
			captures: captures("profile_id", "the profile's id"),
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.RetrieveProfileID(ctx)
				keep(c, r)
				if err == nil {
					c.set("profile_id", r.ProfileID)
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "change-password", summary: "Change the profile's password (P4).",
			method: "POST", path: "/profile/change-password", async: true,
			params: []scenario.ParamSpec{
				hidden(opt("currentPassword", scenario.TypeString, "", "default: the password this VU signed in with")),
				hidden(must("newPassword", scenario.TypeString, "the new password")),
			},
			run: func(ctx context.Context, c *call) error {
				cur := c.secret("currentPassword")
				if cur == "" {
					cur = c.vu.password
				}
				next := c.secret("newPassword")
				err := c.ack(c.sess.ChangePassword(ctx, cur, next))
				if err == nil {
					c.vu.password = next
				}
				return err
			},
		}),
		op(opDecl{
			name: "generate-qr-token", summary: "Generate a single-use QR authorization token (P5).",
			method: "POST", path: "/profile/generate-token-qr",
			captures: captures("qr_token", "the single-use token (secret)"),
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.GenerateQRToken(ctx)
				if err == nil {
					c.setSecret("qr_token", r.Token)
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "reauthorize-authorization-token", summary: "Trade the session's token for a new one and move the session to it (P6).",
			method: "POST", path: "/profile/reauthorize-authorization-token",
			params: []scenario.ParamSpec{
				opt("ttl", scenario.TypeInt, "3600", "the new token's lifetime in seconds"),
				opt("session", scenario.TypeBool, "true", "reopen the VU's session with the new token (the old one stops working)"),
			},
			captures: captures("token", "the new authorization token (secret)"),
			inner:    []string{"join-channel"},
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.ReauthorizeAuthorizationToken(ctx, c.int("ttl"))
				if r.Async {
					return c.ack(r.Ack, err)
				}
				if err = c.done(r.Timing, err); err != nil || r.Token == "" {
					return err
				}
				c.setSecret("token", r.Token)
				if c.flag("session") {
					return c.vu.openSession(ctx, c, r.Token)
				}
				return nil
			},
		}),
		op(opDecl{
			name: "revoke-authorization-token", summary: "Revoke the session's token; later calls with it answer 401 (P7).",
			method: "POST", path: "/profile/revoke-authorization-token",
			example: "- revoke-authorization-token: {}",
			run: func(ctx context.Context, c *call) error {
				return c.doneStatus(c.sess.RevokeAuthorizationToken(ctx))
			},
		}),
		op(opDecl{
			name: "retrieve-token-expiry", summary: "Retrieve when the session's token expires (P8).",
			method: "POST", path: "/profile/authorization-token/expiry",
			captures: captures("token_expires_at", "the expiry instant (time.Time)"),
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.RetrieveTokenExpiry(ctx)
				keep(c, r)
				if err == nil {
					c.set("token_expires_at", r.ExpiresAt)
				}
				return c.done(r.Timing, err)
			},
		}),
	}
}

// registerProfile is P1 and its outcome: the profile has no channel yet,
// so the command is awaited through request-status, bounded by the ack
// timeout. The result reads as one async Ack (http half, then ack half)
// whose message is the synthesised, reconciled outcome.
func registerProfile(ctx context.Context, c *call, user string, pass privicore.Secret) (privicore.Ack, error) {
	acc, err := c.vu.p.client.RegisterProfile(ctx, user, pass)
	a := privicore.Ack{CommandID: acc.CommandID, HTTPStatus: acc.HTTPStatus, Timing: acc.Timing}
	if err != nil {
		return a, err
	}
	wctx, cancel := context.WithTimeout(ctx, c.vu.p.ackTimeout())
	defer cancel()
	st, err := c.vu.p.client.WaitCommand(wctx, acc.CommandID, "", pollInterval)
	var rej *privicore.CommandRejectedError
	switch {
	case err == nil:
		a.Message.CommandStatus = privicore.StatusSucceeded
	case errors.As(err, &rej):
		a.Message.CommandStatus, a.Message.Body = privicore.StatusRejected, rej.Reason
	default:
		return a, err // no outcome: Acked stays zero
	}
	a.Acked = st.Read
	a.Message.Type, a.Message.ID, a.Message.Reconciled = privicore.TypeCommandStatus, acc.CommandID, true
	return a, err
}
