package sim

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

const (
	closeGoingAway = websocket.CloseGoingAway // 1001: server shutting down
	closeTooSlow   = websocket.ClosePolicyViolation
	// A socket may lag behind by socketQueueLen messages or
	// socketQueueBytes bytes, whichever comes first; beyond, it is cut off
	// with a close frame and counted (Stats.SlowSockets), as a proxy in
	// front of a queue would drop a consumer that cannot keep up, instead
	// of holding without bound what it does not read.
	socketQueueLen   = 4096
	spareQueueLen    = 256 // the longest emptied queue a socket keeps for reuse
	socketQueueBytes = 8 << 20
	writeTimeout     = 10 * time.Second
)

// socket is one WebSocket connection to the proxy. Exactly one goroutine
// reads (readLoop) and one writes (writeLoop); everyone else queues
// bytes for the writer with Send. Which profile it is joined to is the
// hub's. The queue grows with use, so a socket that never joins costs
// no queue at all.
type socket struct {
	conn   *websocket.Conn
	mu     sync.Mutex // guards queue and queued
	queue  [][]byte
	queued int           // bytes in queue
	spare  [][]byte      // the writer's own: its last batch, for take to reuse
	wake   chan struct{} // the writer has messages to write
	quit   chan struct{}
	done   chan struct{} // closed when the writer has finished
	once   sync.Once
	code   int
	why    string
	slow   *atomic.Int64 // sockets cut off for lagging (Stats.SlowSockets)
	joined atomic.Bool   // it joined a channel once: the join deadline no longer applies
}

func newSocket(conn *websocket.Conn, slow *atomic.Int64) *socket {
	return &socket{conn: conn, wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{}), slow: slow}
}

// Send queues msg without blocking; a socket too far behind is cut off,
// and what it had not read is dropped with it.
func (k *socket) Send(msg []byte) {
	select {
	case <-k.quit: // closing: nothing more will be written
		return
	default:
	}
	k.mu.Lock()
	if len(k.queue) >= socketQueueLen || k.queued+len(msg) > socketQueueBytes {
		k.queue, k.queued = nil, 0
		k.mu.Unlock()
		k.cutOff()
		return
	}
	k.queue = append(k.queue, msg)
	k.queued += len(msg)
	k.mu.Unlock()
	select {
	case k.wake <- struct{}{}:
	default:
	}
}

// cutOff closes a socket that lags too far behind, with a close frame,
// and counts it once.
func (k *socket) cutOff() {
	k.once.Do(func() {
		k.code, k.why = closeTooSlow, "too far behind"
		k.slow.Add(1)
		close(k.quit)
	})
}

// Shutdown asks the writer to flush, send a close frame with code and end.
func (k *socket) Shutdown(code int, why string) {
	k.once.Do(func() {
		k.code, k.why = code, why
		close(k.quit)
	})
}

// Abort drops the connection without a close frame (a network failure).
func (k *socket) Abort() {
	k.Shutdown(0, "")
	k.conn.NetConn().Close()
}

// take empties the queue and returns what it held. The writer writes a
// batch outside the lock, so a socket holds at most its bound queued
// plus one batch in flight. The batch written before, emptied, becomes
// the new queue, so that a busy socket swaps two slices instead of
// allocating one on every wake; one grown beyond spareQueueLen by a
// burst is dropped instead of kept.
func (k *socket) take() [][]byte {
	next := k.spare
	k.spare = nil
	clear(next) // written: let the messages go
	if cap(next) > spareQueueLen {
		next = nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	batch := k.queue
	k.queue, k.queued = next[:0], 0
	return batch
}

// writeLoop is the socket's only writer: queued messages, keepalive
// pings every pingEvery, and the close frame at the end.
func (k *socket) writeLoop(pingEvery time.Duration, delivered *atomic.Int64) {
	defer close(k.done)
	defer k.conn.Close()
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		select {
		case <-k.wake:
			if !k.writeQueued(delivered) {
				return
			}
		case <-ping.C:
			if k.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeTimeout)) != nil {
				return
			}
		case <-k.quit:
			k.flush(delivered)
			return
		}
	}
}

// writeQueued writes what is queued; false when a write failed.
func (k *socket) writeQueued(delivered *atomic.Int64) bool {
	for {
		batch := k.take()
		for _, m := range batch {
			if k.write(m) != nil {
				return false
			}
			delivered.Add(1)
		}
		k.spare = batch
		if len(batch) == 0 {
			return true
		}
	}
}

func (k *socket) write(m []byte) error {
	k.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	return k.conn.WriteMessage(websocket.TextMessage, m)
}

// flush writes what is still queued, then the close frame.
func (k *socket) flush(delivered *atomic.Int64) {
	if k.code == 0 || !k.writeQueued(delivered) {
		return
	}
	msg := websocket.FormatCloseMessage(k.code, k.why)
	k.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
}
