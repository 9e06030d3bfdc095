package hub

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeSocket records what the hub did to it.
type fakeSocket struct {
	mu      sync.Mutex
	got     []string
	aborted bool
	code    int
}

func (k *fakeSocket) Send(msg []byte) { k.mu.Lock(); k.got = append(k.got, string(msg)); k.mu.Unlock() }
func (k *fakeSocket) Abort()          { k.mu.Lock(); k.aborted = true; k.mu.Unlock() }
func (k *fakeSocket) Shutdown(code int, _ string) {
	k.mu.Lock()
	k.code = code
	k.mu.Unlock()
}

func (k *fakeSocket) messages() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.got...)
}

// rig is a hub on a clock that moves only when the test says.
type rig struct {
	*Hub
	now         time.Time
	undelivered atomic.Int64
	drops       atomic.Int64
}

func newRig(ttl time.Duration, roundRobin bool) *rig {
	r := &rig{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	r.Hub = New(Config{BufferTTL: ttl, RoundRobin: roundRobin, Now: func() time.Time { return r.now },
		Undelivered: &r.undelivered, Drops: &r.drops})
	return r
}

// joined registers a socket and joins it to profile with token.
func (r *rig) joined(profile, token string) *fakeSocket {
	k := &fakeSocket{}
	r.Register(k)
	r.Join(k, profile, token, "chn-"+token, []byte("joined"))
	return k
}

func TestFanOut(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		roundRobin bool
		a, b       []string
	}{
		{"all: every socket gets every message", false, []string{"joined", "m1", "m2"}, []string{"joined", "m1", "m2"}},
		{"round-robin: one socket each, in turn", true, []string{"joined", "m1"}, []string{"joined", "m2"}},
	} {
		r := newRig(-1, tc.roundRobin)
		a, b, other := r.joined("p1", "ta"), r.joined("p1", "tb"), r.joined("p2", "tc")
		r.Publish("p1", []byte("m1"))
		r.Publish("p1", []byte("m2"))
		if !slices.Equal(a.messages(), tc.a) || !slices.Equal(b.messages(), tc.b) || len(other.messages()) != 1 {
			t.Errorf("%s: a %q b %q other %q", tc.name, a.messages(), b.messages(), other.messages())
		}
	}
}

// TestPreJoinBuffer: a message for a profile with no socket waits
// BufferTTL for the first join, which gets it after its own reply.
func TestPreJoinBuffer(t *testing.T) {
	t.Parallel()
	r := newRig(10*time.Second, false)
	r.Publish("p1", []byte("old"))
	r.now = r.now.Add(5 * time.Second)
	r.Publish("p1", []byte("new"))
	r.now = r.now.Add(6 * time.Second) // "old" expired, "new" has 4 s left
	if k := r.joined("p1", "t"); !slices.Equal(k.messages(), []string{"joined", "new"}) {
		t.Fatalf("first join got %q", k.messages())
	}
	if k := r.joined("p1", "t2"); !slices.Equal(k.messages(), []string{"joined"}) {
		t.Fatalf("second join got %q: the buffer goes to the first join only", k.messages())
	}

	off := newRig(-1, false)
	off.Publish("p1", []byte("lost"))
	r.Publish("p9", []byte("expires"))
	r.Sweep(r.now.Add(10 * time.Second))
	if off.undelivered.Load() != 1 || r.undelivered.Load() != 1 {
		t.Fatalf("undelivered: buffer off %d, swept %d; want 1 and 1", off.undelivered.Load(), r.undelivered.Load())
	}
}

func TestBufferIsBounded(t *testing.T) {
	t.Parallel()
	r := newRig(time.Hour, false)
	for range MaxBuffered + 3 {
		r.Publish("p1", []byte("m"))
	}
	if k := r.joined("p1", "t"); len(k.messages()) != 1+MaxBuffered || r.undelivered.Load() != 3 {
		t.Fatalf("got %d messages, %d undelivered", len(k.messages()), r.undelivered.Load())
	}
}

// TestUnbinding: leave, a revoked token, a second join and unregistering
// each stop delivery to that socket only.
func TestUnbinding(t *testing.T) {
	t.Parallel()
	r := newRig(-1, false)
	left, revoked, moved, gone, stays := r.joined("p1", "a"), r.joined("p1", "b"), r.joined("p1", "c"), r.joined("p1", "d"), r.joined("p1", "e")
	if r.Leave(left, "chn-wrong", "") != "" || r.Leave(left, "", "wrong-token") != "" {
		t.Fatal("Leave matched a wrong channel or token")
	}
	if got := r.Leave(left, "chn-a", ""); got != "chn-a" {
		t.Fatalf("Leave = %q", got)
	}
	r.DetachToken("p1", "b")
	r.Join(moved, "p2", "c", "chn-c2", []byte("joined"))
	r.Unregister(gone)
	r.Publish("p1", []byte("m"))
	for _, k := range []*fakeSocket{left, revoked, moved, gone} {
		if slices.Contains(k.messages(), "m") {
			t.Errorf("an unbound socket got the message: %q", k.messages())
		}
	}
	if !slices.Contains(stays.messages(), "m") {
		t.Fatal("the socket still joined missed the message")
	}
	if r.Leave(left, "", "") != "" {
		t.Fatal("leaving twice")
	}
}

func TestDropAndClose(t *testing.T) {
	t.Parallel()
	r := newRig(-1, false)
	joined, idle := r.joined("p1", "t"), &fakeSocket{}
	r.Register(idle)
	r.DropJoined()
	if !joined.aborted || idle.aborted || r.drops.Load() != 1 {
		t.Fatalf("DropJoined: joined %v idle %v drops %d", joined.aborted, idle.aborted, r.drops.Load())
	}
	if n := len(r.Close(1001, "bye")); n != 2 || idle.code != 1001 {
		t.Fatalf("Close returned %d sockets, idle code %d", n, idle.code)
	}
	late := &fakeSocket{}
	if r.Register(late) {
		t.Fatal("Register after Close")
	}
	r.Join(late, "p1", "t", "chn", []byte("joined"))
	r.Publish("p1", []byte("m"))
	if !slices.Equal(late.messages(), []string{"joined"}) {
		t.Fatalf("an unregistered socket got %q", late.messages())
	}
}

// TestBufferIsBoundedInBytes: large messages are dropped oldest first to
// keep a profile's buffer under MaxBufferedBytes, and one larger than the
// whole bound is not kept at all.
func TestBufferIsBoundedInBytes(t *testing.T) {
	t.Parallel()
	r := newRig(time.Hour, false)
	big := make([]byte, MaxBufferedBytes/4+1)
	for range 8 {
		r.Publish("p1", big)
	}
	r.Publish("p1", make([]byte, MaxBufferedBytes+1))
	k := r.joined("p1", "t")
	kept := 0
	for _, m := range k.messages()[1:] {
		kept += len(m)
	}
	if kept > MaxBufferedBytes || len(k.messages()) != 1+3 || r.undelivered.Load() != 5+1 {
		t.Fatalf("kept %d bytes in %d messages, %d undelivered; want at most %d bytes in 3, 6 undelivered",
			kept, len(k.messages())-1, r.undelivered.Load(), MaxBufferedBytes)
	}
}
