package privicore

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/nacl/box"
)

// Signed public key layout (reference §1.12): version tag (4) || Curve25519
// public key (32) || BLAKE2b-512 over the first 36 bytes (64) = 100 bytes,
// 200 lowercase hex characters.
const (
	SignedKeyBytes = 100
	SignedKeyHex   = 2 * SignedKeyBytes
)

// signedKeyTag is the format's version tag 0x31 0x42 0x05 0x00.
var signedKeyTag = [4]byte{0x31, 0x42, 0x05, 0x00}

// KeyPair is a NaCl box (Curve25519) key pair. The private half never prints.
type KeyPair struct {
	Public  [32]byte   // register it in the signed form (SignedPublicKey)
	Private PrivateKey // never leaves the process
}

// PrivateKey is a Curve25519 secret key; String returns [redacted].
type PrivateKey [32]byte

// String redacts.
func (PrivateKey) String() string { return redacted }

// GoString redacts under %#v.
func (PrivateKey) GoString() string { return "privicore.PrivateKey(" + redacted + ")" }

// MarshalText redacts, so json.Marshal of a KeyPair prints the public key
// and [redacted] (issue 13: it printed the private key's bytes).
func (PrivateKey) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// GenerateKeyPair draws a fresh Curve25519 key pair.
func GenerateKeyPair() (KeyPair, error) {
	pub, priv, err := box.GenerateKey(rand.Reader)
	if err != nil {
		return KeyPair{}, fmt.Errorf("privicore: key pair: %w", err)
	}
	return KeyPair{Public: *pub, Private: PrivateKey(*priv)}, nil
}

// SignedPublicKey encodes the pair's public half in the signed format.
func (kp KeyPair) SignedPublicKey() string { return EncodeSignedPublicKey(kp.Public) }

// EncodeSignedPublicKey returns the 200-hex-character signed form of pub.
func EncodeSignedPublicKey(pub [32]byte) string {
	var raw [SignedKeyBytes]byte
	copy(raw[:4], signedKeyTag[:])
	copy(raw[4:36], pub[:])
	sum := blake2b.Sum512(raw[:36])
	copy(raw[36:], sum[:])
	return hex.EncodeToString(raw[:])
}

// ParseSignedPublicKey decodes a signed key, checking in order: hex, length,
// version tag, hash. A hash mismatch is ErrIntegrity.
func ParseSignedPublicKey(s string) ([32]byte, error) {
	var pub [32]byte
	if len(s) != SignedKeyHex {
		return pub, fmt.Errorf("%w: signed key has %d hex characters, want %d", ErrInvalidInput, len(s), SignedKeyHex)
	}
	raw, err := hex.DecodeString(s)
	if err != nil {
		return pub, fmt.Errorf("%w: signed key is not hex", ErrInvalidInput)
	}
	if [4]byte(raw[:4]) != signedKeyTag {
		return pub, fmt.Errorf("%w: signed key version tag %x", ErrInvalidInput, raw[:4])
	}
	sum := blake2b.Sum512(raw[:36])
	if subtle.ConstantTimeCompare(sum[:], raw[36:]) != 1 {
		return pub, fmt.Errorf("%w: signed key hash mismatch", ErrIntegrity)
	}
	copy(pub[:], raw[4:36])
	return pub, nil
}
