package sim

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"slices"
	"sync"
	"time"
)

// profile is one Privicore profile and everything it owns. Every map is
// keyed by identifiers the owner was handed, so a lookup in the caller's
// own profile is the isolation rule: another profile's token is simply
// not there (404).
//
// p.mu guards every field below it, and only the methods of profile (and
// inHoldings, for what profile.held keeps) take it: a handler asks the
// profile, it never locks it.
type profile struct {
	id, name string
	tokens   []string // live authorization tokens, oldest first; guarded by state.mu

	mu           sync.Mutex
	active       bool // false until the register-profile command resolved
	salt         [16]byte
	passwordHash [32]byte
	publicKey    string                  // signed public key, 200 hex chars; "" = none
	reservations map[string]*reservation // tmp- token → reservation
	reservedBy   map[string]*reservation // reserve-token-space command id → reservation
	dataTokens   map[string]*dataToken   // dtk- token → data token
	qrTokens     map[string]time.Time    // generate-token-qr token → expiry
	dataSeq      uint64                  // orders data tokens for listing
	held         holdings                // devices, voting, policies, pools (device.go)
}

func newProfile(id, name, password string) *profile {
	p := &profile{id: id, name: name,
		reservations: map[string]*reservation{}, reservedBy: map[string]*reservation{},
		dataTokens: map[string]*dataToken{}, qrTokens: map[string]time.Time{}}
	p.setPassword(password)
	return p
}

// setPassword stores a salted SHA-256 of password. A fast hash on
// purpose: this is a test double that a load test registers thousands of
// profiles against, and a slow KDF would dominate what it measures. Callers
// hold p.mu, or own p alone (newProfile, provision).
func (p *profile) setPassword(password string) {
	rand.Read(p.salt[:])
	p.passwordHash = hashPassword(p.salt, password)
}

// passwordMatches compares in constant time. Callers hold p.mu.
func (p *profile) passwordMatches(password string) bool {
	h := hashPassword(p.salt, password)
	return subtle.ConstantTimeCompare(h[:], p.passwordHash[:]) == 1
}

func hashPassword(salt [16]byte, password string) [32]byte {
	h := sha256.New()
	h.Write(salt[:])
	h.Write([]byte(password))
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// activate makes p usable: its register-profile command resolved.
func (p *profile) activate() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.active = true
}

// isActive reports whether p finished registering.
func (p *profile) isActive() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.active
}

// credentialsOK checks the password, that p finished registering and,
// when needKey (Options.RequirePublicKeyForAuth), that it has a public key.
func (p *profile) credentialsOK(password string, needKey bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	match := p.passwordMatches(password)
	return match && p.active && (!needKey || p.publicKey != "")
}

// changePassword replaces the password if current matches it.
func (p *profile) changePassword(current, next string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.passwordMatches(current) {
		return false
	}
	p.setPassword(next)
	return true
}

// addQRToken keeps a QR token until exp; false at maxQRTokensPerProfile.
func (p *profile) addQRToken(tok string, exp time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.qrTokens) >= maxQRTokensPerProfile {
		return false
	}
	p.qrTokens[tok] = exp
	return true
}

// setPublicKey registers key; false when p has one already.
func (p *profile) setPublicKey(key string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.publicKey != "" {
		return false
	}
	p.publicKey = key
	return true
}

// key is p's signed public key, "" when none is registered.
func (p *profile) key() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.publicKey
}

// forgetToken drops token from p.tokens. Callers hold state.mu.
func (p *profile) forgetToken(token string) {
	if i := slices.Index(p.tokens, token); i >= 0 {
		p.tokens = slices.Delete(p.tokens, i, i+1)
	}
}

// evictExpired drops p's expired reservations, giving the bytes of the
// filled ones back to stored, and its expired QR tokens.
func (p *profile) evictExpired(now time.Time, stored *byteQuota) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for tmp, r := range p.reservations {
		if !now.Before(r.expiresAt) {
			delete(p.reservations, tmp)
			delete(p.reservedBy, r.commandID)
			stored.give(len(r.blob))
		}
	}
	for tok, exp := range p.qrTokens {
		if !now.Before(exp) {
			delete(p.qrTokens, tok)
		}
	}
}
