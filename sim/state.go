package sim

import (
	"slices"
	"sync"
	"time"
)

// state holds the profiles and the authorization tokens. Its mutex guards
// the three maps and each profile's token list; each profile guards its
// own records with its own mutex, so two profiles never contend (lock
// order in doc.go).
type state struct {
	mu          sync.RWMutex
	byName      map[string]*profile
	byID        map[string]*profile
	sessions    map[string]*session // authorization token → session
	maxProfiles int                 // Options.MaxProfiles; < 0: unlimited
	stored      byteQuota           // stored ciphertext of every profile (Options.MaxStoredBytes)
	now         func() time.Time    // Options.Clock
}

func newState(maxProfiles int, maxStoredBytes int64, now func() time.Time) *state {
	st := &state{byName: map[string]*profile{}, byID: map[string]*profile{}, sessions: map[string]*session{},
		maxProfiles: maxProfiles, now: now}
	st.stored.max = maxStoredBytes
	return st
}

// session is one authorization token of a profile.
type session struct {
	token     string
	profile   *profile
	expiresAt time.Time
}

// Results of claimName.
const (
	claimed = iota
	claimTaken
	claimFull
)

// claimName adds an inactive profile under name; it answers claimTaken
// when the name is taken (409) and claimFull when MaxProfiles profiles
// exist (registering and pre-provisioned ones count). The profile becomes
// usable when activated.
func (st *state) claimName(p *profile) int {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, taken := st.byName[p.name]; taken {
		return claimTaken
	}
	if st.maxProfiles >= 0 && len(st.byID) >= st.maxProfiles {
		return claimFull
	}
	st.byName[p.name] = p
	st.byID[p.id] = p
	return claimed
}

// releaseName forgets a profile whose registration was rejected.
func (st *state) releaseName(p *profile) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.byName[p.name] == p {
		delete(st.byName, p.name)
		delete(st.byID, p.id)
	}
	for _, tok := range p.tokens { // issued before the rejection, when login is at once
		delete(st.sessions, tok)
	}
	p.tokens = nil
}

// lookupName returns the profile registered under name, if any.
func (st *state) lookupName(name string) *profile {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.byName[name]
}

// newSession issues an authorization token for p valid for ttl.
func (st *state) newSession(p *profile, ttl time.Duration) *session {
	se := &session{token: secret("T-"), profile: p, expiresAt: st.now().Add(ttl)}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.sessions[se.token] = se
	p.tokens = append(p.tokens, se.token)
	if len(p.tokens) > maxSessionsPerProfile {
		delete(st.sessions, p.tokens[0])
		p.tokens = slices.Delete(p.tokens, 0, 1)
	}
	return se
}

// session returns the live session of token, or nil when the token is
// unknown, revoked or expired.
func (st *state) session(token string) *session {
	st.mu.RLock()
	se := st.sessions[token]
	st.mu.RUnlock()
	if se == nil || !st.now().Before(se.expiresAt) {
		return nil
	}
	return se
}

// revoke kills token.
func (st *state) revoke(token string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if se := st.sessions[token]; se != nil {
		delete(st.sessions, token)
		se.profile.forgetToken(token)
	}
}

// count returns the number of profiles.
func (st *state) count() int {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return len(st.byID)
}

// profiles returns a snapshot of every profile, for the janitor.
func (st *state) profiles() []*profile {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]*profile, 0, len(st.byID))
	for _, p := range st.byID {
		out = append(out, p)
	}
	return out
}

// evictExpired drops expired sessions and returns them, so that the
// sockets joined with them can be unbound; profiles evict their own records.
func (st *state) evictExpired(now time.Time) []*session {
	var expired []*session
	st.mu.Lock()
	for tok, se := range st.sessions {
		if !now.Before(se.expiresAt) {
			delete(st.sessions, tok)
			se.profile.forgetToken(tok)
			expired = append(expired, se)
		}
	}
	st.mu.Unlock()
	for _, p := range st.profiles() {
		p.evictExpired(now, &st.stored)
	}
	return expired
}
