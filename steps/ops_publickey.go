package steps

import (
	"context"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// publicKeyKinds are K1–K4: the profile's and the CAB's public keys.
func publicKeyKinds() []*Kind {
	return []*Kind{
		op(opDecl{
			name: "generate-keys", summary: "Have the server generate a key pair (K1; prefer register-public-key's local key).",
			method: "GET", path: "/public-key/generate-keys", public: true,
			captures: captures("signed_public_key", "the signed public key (200 hex)", "private_key", "the private key (secret)"),
			example:  "- generate-keys: {}",
			run: func(ctx context.Context, c *call) error {
				r, err := c.vu.p.client.GenerateKeys(ctx)
				if err == nil {
					c.set("signed_public_key", r.SignedPublicKey)
					c.setSecret("private_key", r.PrivateKey)
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "register-public-key", summary: "Register the profile's signed public key (K2).",
			method: "POST", path: "/public-key/register-public-key", async: true,
			params: []scenario.ParamSpec{
				opt("publicKey", scenario.TypeString, "", "the signed key (200 hex); default: a key pair generated in the VU"),
			},
			example: "- register-public-key: {}",
			run: func(ctx context.Context, c *call) error {
				key := c.str("publicKey")
				if key == "" {
					kp, err := privicore.GenerateKeyPair()
					if err != nil {
						return err
					}
					key = kp.SignedPublicKey()
				}
				return c.ack(c.sess.RegisterPublicKey(ctx, key))
			},
		}),
		op(opDecl{
			name: "retrieve-public-key", summary: "Retrieve the profile's registered public key (K3).",
			method: "GET", path: "/public-key/retrieve-public-key",
			captures: captures("public_key", "the signed public key"),
			example:  "- retrieve-public-key: {}",
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.RetrievePublicKey(ctx)
				if err == nil {
					c.set("public_key", r.Signed)
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "retrieve-cab-public-key", summary: "Retrieve the CAB's public key (K4).",
			method: "GET", path: "/dptcab/public-key",
			captures: captures("cab_public_key", "the CAB's signed public key"),
			example:  "- retrieve-cab-public-key: {}",
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.RetrieveCABPublicKey(ctx)
				if err == nil {
					c.set("cab_public_key", r.Signed)
				}
				return c.done(r.Timing, err)
			},
		}),
	}
}
