package sim

import (
	"sync"
	"time"
)

// maxBufferedPerProfile bounds a profile's pre-join buffer; older
// messages are dropped first.
const maxBufferedPerProfile = 1024

// hub routes messages to the sockets joined for a profile — the part of
// the WebSocket proxy that stands in for the per-profile RabbitMQ queue.
// One mutex guards every channel and every socket's join state; a publish
// holds it only to queue bytes on each socket (never to write to the
// network), so a slow socket cannot stall the pipeline.
type hub struct {
	mu        sync.Mutex
	channels  map[string]*channel // profile id → channel
	sockets   map[*socket]struct{}
	bufferTTL time.Duration // < 0: no pre-join buffer
	// roundRobin gives each message to one joined socket in turn instead
	// of to all (Options.Fanout).
	roundRobin bool
	closed     bool
	stats      *stats
}

// channel is one profile's delivery point: its joined sockets and the
// messages that arrived while none was joined.
type channel struct {
	sockets  []*socket
	buffered []bufferedMessage
	next     uint64 // round-robin position: the socket of the next message
}

type bufferedMessage struct {
	msg   []byte
	until time.Time
}

func newHub(bufferTTL time.Duration, roundRobin bool, st *stats) *hub {
	return &hub{channels: map[string]*channel{}, sockets: map[*socket]struct{}{}, bufferTTL: bufferTTL,
		roundRobin: roundRobin, stats: st}
}

// publish delivers msg to every socket joined for profileID (fan-out
// "all", [W]) or to the next one in turn (round-robin, a queue with
// several consumers), or buffers it briefly when none is joined ([G]).
func (h *hub) publish(profileID string, msg []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := h.channels[profileID]
	if ch != nil && len(ch.sockets) > 0 {
		if h.roundRobin {
			ch.sockets[ch.next%uint64(len(ch.sockets))].send(msg)
			ch.next++
			return
		}
		for _, k := range ch.sockets {
			k.send(msg)
		}
		return
	}
	if h.bufferTTL < 0 || h.closed {
		h.stats.undelivered.Add(1)
		return
	}
	if ch == nil {
		ch = &channel{}
		h.channels[profileID] = ch
	}
	if len(ch.buffered) >= maxBufferedPerProfile {
		ch.buffered = ch.buffered[1:]
		h.stats.undelivered.Add(1)
	}
	ch.buffered = append(ch.buffered, bufferedMessage{msg: msg, until: time.Now().Add(h.bufferTTL)})
}

// register tracks a new socket; false once the hub is closed.
func (h *hub) register(k *socket) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.sockets[k] = struct{}{}
	return true
}

// unregister forgets a socket that ended.
func (h *hub) unregister(k *socket) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.detachLocked(k)
	delete(h.sockets, k)
}

// join binds k to the profile of se, answers reply first, then flushes
// the profile's pre-join buffer to it. A socket has one channel at a
// time: joining again leaves the previous one.
func (h *hub) join(k *socket, se *session, channelID string, reply []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.detachLocked(k)
	k.profileID, k.token, k.channelID = se.profile.id, se.token, channelID
	ch := h.channels[k.profileID]
	if ch == nil {
		ch = &channel{}
		h.channels[k.profileID] = ch
	}
	ch.sockets = append(ch.sockets, k)
	k.send(reply)
	now := time.Now()
	for _, b := range ch.buffered {
		if now.Before(b.until) {
			k.send(b.msg)
		}
	}
	ch.buffered = nil
}

// leave unbinds k if it is joined and matches channelID or token (either
// may be empty); it returns the channel id it left, or "".
func (h *hub) leave(k *socket, channelID, token string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if k.profileID == "" || (channelID != "" && channelID != k.channelID) || (token != "" && token != k.token) {
		return ""
	}
	left := k.channelID
	h.detachLocked(k)
	return left
}

// detachToken unbinds every socket joined with token (revoked or superseded).
func (h *hub) detachToken(profileID, token string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := h.channels[profileID]
	if ch == nil {
		return
	}
	for _, k := range append([]*socket(nil), ch.sockets...) {
		if k.token == token {
			h.detachLocked(k)
		}
	}
}

func (h *hub) detachLocked(k *socket) {
	if k.profileID == "" {
		return
	}
	if ch := h.channels[k.profileID]; ch != nil {
		for i, o := range ch.sockets {
			if o == k {
				ch.sockets = append(ch.sockets[:i], ch.sockets[i+1:]...)
				break
			}
		}
		if len(ch.sockets) == 0 && len(ch.buffered) == 0 {
			delete(h.channels, k.profileID)
		}
	}
	k.profileID, k.token, k.channelID = "", "", ""
}

// sweep drops expired buffered messages and empty channels.
func (h *hub) sweep(now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, ch := range h.channels {
		kept := ch.buffered[:0]
		for _, b := range ch.buffered {
			if now.Before(b.until) {
				kept = append(kept, b)
			} else {
				h.stats.undelivered.Add(1)
			}
		}
		clear(ch.buffered[len(kept):])
		ch.buffered = kept
		if len(ch.sockets) == 0 && len(ch.buffered) == 0 {
			delete(h.channels, id)
		}
	}
}

// dropJoined closes every joined socket abruptly (the WSDropEvery fault).
func (h *hub) dropJoined() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k := range h.sockets {
		if k.profileID != "" {
			h.stats.faults.wsDrops.Add(1)
			k.abort()
		}
	}
}

// close refuses new sockets and closes every socket with code 1001.
func (h *hub) close() []*socket {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	out := make([]*socket, 0, len(h.sockets))
	for k := range h.sockets {
		k.shutdown(closeGoingAway, "server shutting down")
		out = append(out, k)
	}
	return out
}
