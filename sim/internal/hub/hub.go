package hub

import (
	"sync"
	"sync/atomic"
	"time"
)

// MaxBuffered and MaxBufferedBytes bound a profile's pre-join buffer, in
// messages and in bytes (a few large messages must not cost what a
// thousand do); older messages are dropped first.
const (
	MaxBuffered      = 1024
	MaxBufferedBytes = 1 << 20
)

// Socket is one WebSocket as the hub sees it.
type Socket interface {
	// Send queues msg without blocking (a socket too far behind cuts
	// itself off rather than slow everyone).
	Send(msg []byte)
	// Abort drops the connection without a close frame.
	Abort()
	// Shutdown flushes what is queued, then sends a close frame.
	Shutdown(code int, why string)
}

// Config sets a hub's delivery and where it counts.
type Config struct {
	BufferTTL  time.Duration    // how long a pre-join message waits; < 0: no buffer
	RoundRobin bool             // each message to one joined socket in turn instead of to all
	Now        func() time.Time // nil → time.Now
	// Undelivered counts messages dropped for want of a socket (no
	// buffer, buffer overflowed or expired); Drops the sockets DropJoined
	// cut. nil: not counted.
	Undelivered, Drops *atomic.Int64
}

// Hub routes messages to the sockets joined for each profile.
type Hub struct {
	cfg      Config
	mu       sync.Mutex
	channels map[string]*channel // profile id → channel
	sockets  map[Socket]*member  // registered sockets and their join state
	closed   bool
}

// member is a socket's join state; profileID "" = not joined.
type member struct{ profileID, token, channelID string }

// channel is one profile's delivery point: its joined sockets and the
// messages that arrived while none was joined.
type channel struct {
	sockets  []Socket
	buffered []buffered
	bytes    int    // of the buffered messages
	next     uint64 // round-robin position: the socket of the next message
}

type buffered struct {
	msg   []byte
	until time.Time
}

// New returns an empty hub.
func New(cfg Config) *Hub {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Undelivered == nil {
		cfg.Undelivered = new(atomic.Int64)
	}
	if cfg.Drops == nil {
		cfg.Drops = new(atomic.Int64)
	}
	return &Hub{cfg: cfg, channels: map[string]*channel{}, sockets: map[Socket]*member{}}
}

// Publish delivers msg to the sockets joined for profileID, or buffers it
// briefly when none is joined.
func (h *Hub) Publish(profileID string, msg []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := h.channels[profileID]
	if ch != nil && len(ch.sockets) > 0 {
		if h.cfg.RoundRobin {
			ch.sockets[ch.next%uint64(len(ch.sockets))].Send(msg)
			ch.next++
			return
		}
		for _, k := range ch.sockets {
			k.Send(msg)
		}
		return
	}
	if h.cfg.BufferTTL < 0 || h.closed {
		h.cfg.Undelivered.Add(1)
		return
	}
	if ch == nil {
		ch = &channel{}
		h.channels[profileID] = ch
	}
	if len(msg) > MaxBufferedBytes {
		h.cfg.Undelivered.Add(1)
		return
	}
	for len(ch.buffered) > 0 && (len(ch.buffered) >= MaxBuffered || ch.bytes+len(msg) > MaxBufferedBytes) {
		ch.bytes -= len(ch.buffered[0].msg)
		ch.buffered[0] = buffered{}
		ch.buffered = ch.buffered[1:]
		h.cfg.Undelivered.Add(1)
	}
	ch.buffered = append(ch.buffered, buffered{msg: msg, until: h.cfg.Now().Add(h.cfg.BufferTTL)})
	ch.bytes += len(msg)
}

// Register tracks a new socket; false once the hub is closed.
func (h *Hub) Register(k Socket) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.sockets[k] = &member{}
	return true
}

// Unregister forgets a socket that ended.
func (h *Hub) Unregister(k Socket) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.detachLocked(k)
	delete(h.sockets, k)
}

// Join binds k to profileID with token under channelID, sends reply
// first, then flushes the profile's pre-join buffer to it. A socket has
// one channel at a time: joining again leaves the previous one. An
// unregistered socket (the hub closed before it registered) gets the
// reply only.
func (h *Hub) Join(k Socket, profileID, token, channelID string, reply []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.sockets[k]
	if m == nil {
		k.Send(reply)
		return
	}
	h.detachLocked(k)
	*m = member{profileID: profileID, token: token, channelID: channelID}
	ch := h.channels[profileID]
	if ch == nil {
		ch = &channel{}
		h.channels[profileID] = ch
	}
	ch.sockets = append(ch.sockets, k)
	k.Send(reply)
	now := h.cfg.Now()
	for _, b := range ch.buffered {
		if now.Before(b.until) {
			k.Send(b.msg)
		}
	}
	ch.buffered, ch.bytes = nil, 0
}

// Leave unbinds k if it is joined and matches channelID and token (either
// may be empty); it returns the channel id it left, or "".
func (h *Hub) Leave(k Socket, channelID, token string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.sockets[k]
	if m == nil || m.profileID == "" || (channelID != "" && channelID != m.channelID) || (token != "" && token != m.token) {
		return ""
	}
	left := m.channelID
	h.detachLocked(k)
	return left
}

// DetachToken unbinds every socket joined with token (revoked or expired).
func (h *Hub) DetachToken(profileID, token string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := h.channels[profileID]
	if ch == nil {
		return
	}
	for _, k := range append([]Socket(nil), ch.sockets...) {
		if h.sockets[k].token == token {
			h.detachLocked(k)
		}
	}
}

func (h *Hub) detachLocked(k Socket) {
	m := h.sockets[k]
	if m == nil || m.profileID == "" {
		return
	}
	if ch := h.channels[m.profileID]; ch != nil {
		for i, o := range ch.sockets {
			if o == k {
				ch.sockets = append(ch.sockets[:i], ch.sockets[i+1:]...)
				break
			}
		}
		if len(ch.sockets) == 0 && len(ch.buffered) == 0 {
			delete(h.channels, m.profileID)
		}
	}
	*m = member{}
}

// Sweep drops expired buffered messages and empty channels.
func (h *Hub) Sweep(now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, ch := range h.channels {
		kept := ch.buffered[:0]
		for _, b := range ch.buffered {
			if now.Before(b.until) {
				kept = append(kept, b)
			} else {
				ch.bytes -= len(b.msg)
				h.cfg.Undelivered.Add(1)
			}
		}
		clear(ch.buffered[len(kept):])
		ch.buffered = kept
		if len(ch.sockets) == 0 && len(ch.buffered) == 0 {
			delete(h.channels, id)
		}
	}
}

// DropJoined aborts every joined socket (a network failure, injected).
func (h *Hub) DropJoined() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k, m := range h.sockets {
		if m.profileID != "" {
			h.cfg.Drops.Add(1)
			k.Abort()
		}
	}
}

// Close refuses new sockets, shuts every socket down with code and why,
// and returns them, so that the caller can wait for their writers.
func (h *Hub) Close(code int, why string) []Socket {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	out := make([]Socket, 0, len(h.sockets))
	for k := range h.sockets {
		k.Shutdown(code, why)
		out = append(out, k)
	}
	return out
}
