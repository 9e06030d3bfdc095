package steps

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// onboardKind gives the VU a profile and a session: register → await →
// authenticate → open the session → generate keys → register the public
// key. Without a username it registers a fresh profile with a random
// password; with one it signs in, and registers that profile only when
// authenticate answers 401 (so a feeder of existing accounts and a fresh
// one read the same). storageDevice also enrols a storage device for a
// fresh profile (request → identifier → approve → storage role), which a
// deployment may require before it accepts a store.
func onboardKind() *Kind {
	return &Kind{
		KindSpec: scenario.KindSpec{
			Name: "onboard", Summary: "Give the VU a profile and a joined session (register if needed, authenticate, keys).",
			Params: []scenario.ParamSpec{
				opt("username", scenario.TypeString, "", "default: a fresh name per VU"),
				hidden(opt("password", scenario.TypeString, "", "default: a random password per VU")),
				opt("storageDevice", scenario.TypeBool, "false", "also enrol a storage device for a profile it registers (a deployment may refuse stores without one)"),
			},
			Captures: captures("username", "the profile's name", "token", "the session's authorization token (secret)",
				"storage_device_id", "the enrolled storage device (with storageDevice)"),
			Metrics: totalPhase,
			Inner: []string{"register-profile", "authenticate", "join-channel", "register-public-key",
				"request-device-identifier", "retrieve-device-identifier", "approve-device", "register-storage-device"},
			Example: "- onboard: {}",
		},
		run: runOnboard,
	}
}

func runOnboard(ctx context.Context, c *call) error {
	v := c.vu
	user, pass := c.str("username"), c.secret("password")
	fresh := user == ""
	if fresh {
		user = v.freshName()
	}
	if pass == "" {
		pass = v.freshPassword()
	}
	var auth privicore.Authorization
	var err error
	unknown := fresh
	if !fresh {
		auth, err = v.p.client.Authenticate(ctx, user, pass)
		// A 401 here is the question "does this profile exist?", not a
		// failure: it is timed, but not counted as an error.
		unknown = privicore.IsUnauthorized(err)
		if unknown {
			err = nil
		}
		if err = c.innerOp("authenticate", auth.Timing, err); err != nil {
			return err
		}
	}
	registered := false
	if unknown {
		a, err := registerProfile(ctx, c, user, pass)
		if err = c.innerAck("register-profile", a, err); err != nil {
			return err
		}
		registered = true
		auth, err = v.p.client.Authenticate(ctx, user, pass)
		if err = c.innerOp("authenticate", auth.Timing, err); err != nil {
			return err
		}
	}
	v.username, v.password = user, pass
	if err := v.openSession(ctx, c, auth.Token); err != nil {
		return err
	}
	if registered {
		kp, err := privicore.GenerateKeyPair()
		if err != nil {
			return err
		}
		a, err := c.sess.RegisterPublicKey(ctx, kp.SignedPublicKey())
		if err = c.innerAck("register-public-key", a, err); err != nil {
			return err
		}
		if c.flag("storageDevice") {
			dev, err := enrolDevice(ctx, c, "storage-"+user)
			if err != nil {
				return err
			}
			a, err := c.sess.RegisterStorageDevice(ctx, dev)
			if err = c.innerAck("register-storage-device", a, err); err != nil {
				return err
			}
			c.set("storage_device_id", dev)
		}
	}
	c.set("username", user)
	c.setSecret("token", auth.Token)
	return nil
}

// freshName is a new profile name: unique per VU, repeatable under a seed.
func (v *vu) freshName() string {
	return "pcflow-" + strconv.Itoa(v.id) + "-" + strconv.FormatUint(v.rng.Uint64(), 36)
}

// freshPassword is a random password that satisfies the usual complexity
// rules (letters of both cases, a digit, a symbol). It comes from
// crypto/rand, never from the seed: a repeatable run must not mean
// guessable passwords.
func (v *vu) freshPassword() privicore.Secret {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return privicore.Secret("Pc1!" + hex.EncodeToString(b))
}
