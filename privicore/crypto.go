package privicore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"fmt"
	"io"
)

// AES-GCM wire format (reference §1.11): IV (12) || ciphertext || tag (16).
const (
	IVSize  = 12
	TagSize = 16
	// Overhead is how many bytes Seal adds to a plaintext.
	Overhead = IVSize + TagSize
)

// AESKey is a 256-bit data key. It never prints: String returns [redacted].
type AESKey [32]byte

// String redacts.
func (AESKey) String() string { return redacted }

// GoString redacts under %#v.
func (AESKey) GoString() string { return "privicore.AESKey(" + redacted + ")" }

// MarshalText redacts, so encoding/json and other text encoders (a
// structured logger) print [redacted] instead of the key's bytes.
func (AESKey) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// NewAESKey draws a fresh random key (one per data-owning entity; never reuse
// across users).
func NewAESKey() (AESKey, error) {
	var k AESKey
	if _, err := io.ReadFull(rand.Reader, k[:]); err != nil {
		return k, fmt.Errorf("privicore: key generation: %w", err)
	}
	return k, nil
}

// Seal encrypts plaintext with a fresh random IV and returns the wire blob.
func (k AESKey) Seal(plaintext []byte) ([]byte, error) {
	gcm, err := k.gcm()
	if err != nil {
		return nil, err
	}
	out := make([]byte, IVSize, IVSize+len(plaintext)+TagSize)
	if _, err := io.ReadFull(rand.Reader, out); err != nil {
		return nil, fmt.Errorf("privicore: iv: %w", err)
	}
	return gcm.Seal(out, out[:IVSize], plaintext, nil), nil
}

// Open decrypts a wire blob; a wrong key or altered blob gives ErrIntegrity.
func (k AESKey) Open(blob []byte) ([]byte, error) {
	if len(blob) < Overhead {
		return nil, fmt.Errorf("%w: blob of %d bytes is shorter than IV+tag", ErrIntegrity, len(blob))
	}
	gcm, err := k.gcm()
	if err != nil {
		return nil, err
	}
	pt, err := gcm.Open(nil, blob[:IVSize], blob[IVSize:], nil)
	if err != nil {
		return nil, fmt.Errorf("%w: AES-GCM authentication failed", ErrIntegrity)
	}
	return pt, nil
}

func (k AESKey) gcm() (cipher.AEAD, error) {
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, fmt.Errorf("privicore: aes: %w", err)
	}
	return cipher.NewGCM(block)
}
