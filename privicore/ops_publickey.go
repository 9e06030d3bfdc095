package privicore

import (
	"context"
	"fmt"
)

// GeneratedKeys is K1's answer (a PROPOSED convenience endpoint; prefer
// GenerateKeyPair, which never sends a private key over the network).
type GeneratedKeys struct {
	PrivateKey      Secret
	PublicKey       string
	SignedPublicKey string
	Timing
}

// GenerateKeys is K1: GET /public-key/generate-keys (public; PROPOSED path).
func (c *Client) GenerateKeys(ctx context.Context) (GeneratedKeys, error) {
	const op = "generate-keys"
	res, err := c.do(ctx, &Request{Op: op, Method: "GET", Path: "/public-key/generate-keys"})
	if err != nil {
		return GeneratedKeys{}, err
	}
	var w struct {
		PrivateKey      string `json:"privateKey"`
		PublicKey       string `json:"publicKey"`
		SignedPublicKey string `json:"signedPublicKey"`
	}
	if err := decodeJSON(op, res.body, &w); err != nil {
		return GeneratedKeys{}, err
	}
	if _, err := ParseSignedPublicKey(w.SignedPublicKey); err != nil {
		return GeneratedKeys{}, fmt.Errorf("privicore: %s: %w", op, err)
	}
	return GeneratedKeys{PrivateKey: Secret(w.PrivateKey), PublicKey: w.PublicKey,
		SignedPublicKey: w.SignedPublicKey, Timing: res.timing}, nil
}

// RegisterPublicKey is K2: POST /public-key/register-public-key with the
// token and only publicKey (the live wire; username/password are not
// accepted there). The key is checked locally first.
func (s *Session) RegisterPublicKey(ctx context.Context, signedKey string) (Ack, error) {
	const op = "register-public-key"
	if _, err := ParseSignedPublicKey(signedKey); err != nil {
		return Ack{}, fmt.Errorf("privicore: %s: %w", op, err)
	}
	return s.command(ctx, post(op, "/public-key/register-public-key", form("publicKey", signedKey)))
}

// PublicKey is K3's and K4's answer, verified.
type PublicKey struct {
	Signed string   // the 200-hex-character signed form
	Key    [32]byte // the Curve25519 key inside it
	Timing
}

// RetrievePublicKey is K3: GET /public-key/retrieve-public-key.
func (s *Session) RetrievePublicKey(ctx context.Context) (PublicKey, error) {
	return s.publicKey(ctx, get("retrieve-public-key", "/public-key/retrieve-public-key"))
}

// RetrieveCABPublicKey is K4: GET /dptcab/public-key. It can rotate; cache briefly.
func (s *Session) RetrieveCABPublicKey(ctx context.Context) (PublicKey, error) {
	return s.publicKey(ctx, get("retrieve-cab-public-key", "/dptcab/public-key"))
}

func (s *Session) publicKey(ctx context.Context, r Request) (PublicKey, error) {
	var w struct {
		PublicKey string `json:"publicKey"`
	}
	t, err := s.decodeInto(ctx, r, &w)
	if err != nil {
		return PublicKey{}, err
	}
	key, err := ParseSignedPublicKey(w.PublicKey)
	if err != nil {
		return PublicKey{}, fmt.Errorf("privicore: %s: %w", r.Op, err)
	}
	return PublicKey{Signed: w.PublicKey, Key: key, Timing: t}, nil
}
