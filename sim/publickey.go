package sim

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"net/http"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/curve25519"
)

// keyVersionTag opens every signed public key (§1.12).
var keyVersionTag = [4]byte{0x31, 0x42, 0x05, 0x00}

// signedKeyLen is tag (4) + Curve25519 key (32) + BLAKE2b-512 (64).
const signedKeyLen = 100

func publicKeyRoutes() []route {
	return []route{
		{"GET", "/public-key/generate-keys", "generate-keys", authPublic, (*Server).generateKeys},
		{"POST", "/public-key/register-public-key", "register-public-key", authToken, (*Server).registerPublicKey},
		{"GET", "/public-key/retrieve-public-key", "retrieve-public-key", authToken, (*Server).retrievePublicKey},
		{"GET", "/dptcab/public-key", "retrieve-cab-public-key", authToken, (*Server).retrieveCABPublicKey},
		{"GET", "/public-key/retrieve-cab-public-key", "retrieve-cab-public-key", authToken, (*Server).retrieveCABPublicKey},
	}
}

// keyPair is a Curve25519 (NaCl box) key pair.
type keyPair struct{ private, public [32]byte }

// newKeyPair derives the pair of a 32-byte secret.
func newKeyPair(secret [32]byte) keyPair {
	kp := keyPair{private: secret}
	pub, _ := curve25519.X25519(secret[:], curve25519.Basepoint) // never fails for a 32-byte scalar
	copy(kp.public[:], pub)
	return kp
}

// deterministicKey derives a key pair from the seed and a label, the
// guide's recipe for test keys (seed → BLAKE2b → secret key), so
// pre-provisioned users and the CAB key are the same on every run.
func deterministicKey(seed uint64, label string) keyPair {
	var in []byte
	in = binary.BigEndian.AppendUint64(in, seed)
	in = append(in, label...)
	sum := blake2b.Sum256(in)
	return newKeyPair(sum)
}

// signedPublicKey encodes kp's public key in the signed format: hex of
// tag || key || BLAKE2b-512(tag || key).
func signedPublicKey(kp keyPair) string {
	b := make([]byte, 0, signedKeyLen)
	b = append(b, keyVersionTag[:]...)
	b = append(b, kp.public[:]...)
	sum := blake2b.Sum512(b)
	return hex.EncodeToString(append(b, sum[:]...))
}

// checkSignedKey validates a signed public key in the order of §1.12:
// hex → 100 bytes → tag → hash. It returns "" or the validation key.
func checkSignedKey(s string) string {
	var b [signedKeyLen]byte // decoded in place: this runs on every register-public-key
	if len(s) != 2*signedKeyLen {
		return "public_key.invalid_format"
	}
	if _, err := hex.Decode(b[:], []byte(s)); err != nil || !bytes.Equal(b[:4], keyVersionTag[:]) {
		return "public_key.invalid_format"
	}
	sum := blake2b.Sum512(b[:36])
	if !bytes.Equal(sum[:], b[36:]) {
		return "public_key.invalid_signature"
	}
	return ""
}

// generateKeys is K1 (PROPOSED): a fresh key pair, for clients that
// would rather not do Curve25519 themselves.
func (s *Server) generateKeys(c *call) {
	var secret [32]byte
	rand.Read(secret[:])
	kp := newKeyPair(secret)
	writeJSON(c.w, http.StatusOK, map[string]string{"privateKey": hex.EncodeToString(kp.private[:]),
		"publicKey": hex.EncodeToString(kp.public[:]), "signedPublicKey": signedPublicKey(kp)})
}

// registerPublicKey is K2: token auth and publicKey only ([P]; username
// and password are refused, not ignored, so a docset-style client fails
// here as it would on the wire).
func (s *Server) registerPublicKey(c *call) {
	f := c.fields()
	key := f.str("publicKey", true, 2*signedKeyLen)
	f.absent("username")
	f.absent("password")
	if key != "" && len(f.errs["publicKey"]) == 0 {
		if bad := checkSignedKey(key); bad != "" {
			f.fail("publicKey", bad)
		}
	}
	if !f.ok() {
		return
	}
	p := c.profile
	cmd := s.newCommand(p, c.op, func(string) outcome {
		if !p.setPublicKey(key) {
			return rejected("public_key.already_registered")
		}
		return succeeded()
	})
	// The live wire's onboarding (register → poll → authenticate → register
	// the key → poll, §1.8) polls this id without a token, as it polled
	// register-profile's: a probe suite aligned with the live server does.
	cmd.Anonymous = true
	s.submit(cmd, func() { s.writeAccepted(c.w, cmd) })
}

// retrievePublicKey is K3.
func (s *Server) retrievePublicKey(c *call) {
	key := c.profile.key()
	if key == "" {
		writeError(c.w, http.StatusNotFound, "public_key.not_registered")
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]string{"publicKey": key})
}

// retrieveCABPublicKey is K4: the simulator's own signed key, fixed per seed.
func (s *Server) retrieveCABPublicKey(c *call) {
	writeJSON(c.w, http.StatusOK, map[string]string{"publicKey": s.cabKey})
}
