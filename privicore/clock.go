package privicore

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// sessionClock is a socket session's one timer. At each wake it pings the
// socket (every PingInterval) and moves its read deadline, expires early
// messages and settled ids, and signals the waiters whose ack deadline has
// passed. It replaces a keepalive and a janitor goroutine per session and a
// timer per Wait (issue 12: 2 timers and their allocations per command, 3
// goroutines per idle session); being a time.AfterFunc, it parks no
// goroutine between wakes.
type sessionClock struct {
	s      *Session
	period time.Duration // the shortest gap between two wakes for deadlines

	mu       sync.Mutex
	timer    *time.Timer
	stopped  bool
	wakeAt   atomic.Int64 // UnixNano of the next wake; read without mu on the command path
	nextPing time.Time
}

// clockPeriod coalesces deadline wakes: a waiter's timeout fires between
// its deadline and one period after it, and a session under load wakes at
// most every period for its deadlines instead of once per command.
func clockPeriod(o SessionOptions) time.Duration {
	return max(min(o.AckTimeout/16, o.EarlyTTL/2), time.Millisecond)
}

// startClock arms the clock for the first ping (or nothing, if pings are
// off and nothing is due).
func (s *Session) startClock() {
	k := &sessionClock{s: s, period: clockPeriod(s.opts)}
	now := time.Now()
	k.mu.Lock()
	defer k.mu.Unlock()
	next := time.Time{}
	if s.opts.PingInterval > 0 {
		k.nextPing = now.Add(s.opts.PingInterval)
		next = k.nextPing
	}
	k.timer = time.AfterFunc(untilOrNever(next, now), k.fire)
	k.setWake(next)
	s.clock = k
}

// untilOrNever is the wait until t, or a day for the zero time (the timer
// is re-armed by wakeBy long before).
func untilOrNever(t, now time.Time) time.Duration {
	if t.IsZero() {
		return 24 * time.Hour
	}
	return max(t.Sub(now), 0)
}

func (k *sessionClock) setWake(t time.Time) {
	if t.IsZero() {
		k.wakeAt.Store(0)
		return
	}
	k.wakeAt.Store(t.UnixNano())
}

// wakeBy makes the clock wake no later than t plus one period (something
// falls due at t: an ack deadline, an early message's expiry). On the
// command path it is one atomic load: the clock is usually due sooner.
func (k *sessionClock) wakeBy(t time.Time) {
	latest := t.Add(k.period).UnixNano()
	if w := k.wakeAt.Load(); w != 0 && w <= latest {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if w := k.wakeAt.Load(); k.stopped || (w != 0 && w <= latest) {
		return
	}
	k.timer.Reset(untilOrNever(t, time.Now()))
	k.setWake(t)
}

// stop ends the clock; a wake already running finds it stopped.
func (k *sessionClock) stop() {
	k.mu.Lock()
	k.stopped = true
	k.timer.Stop()
	k.mu.Unlock()
}

// fire is one wake: expire what is due, ping if due, and re-arm for the
// next thing due.
func (k *sessionClock) fire() {
	k.mu.Lock()
	if k.stopped {
		k.mu.Unlock()
		return
	}
	// Nothing is promised while the tick runs: a waiter registered during
	// it finds no wake it can rely on and asks for its own (kept below).
	k.wakeAt.Store(0)
	k.mu.Unlock()
	now := time.Now()
	due := k.s.corr.tick(now) // the earliest future deadline or expiry, else zero
	if !due.IsZero() {
		due = maxTime(due, now.Add(k.period))
	}
	ping := false
	k.mu.Lock()
	if k.stopped {
		k.mu.Unlock()
		return
	}
	if k.s.opts.PingInterval > 0 {
		if !now.Before(k.nextPing) {
			ping = true
			k.nextPing = now.Add(k.s.opts.PingInterval)
		}
		due = minTime(due, k.nextPing)
	}
	if asked := k.wakeAt.Load(); asked != 0 {
		due = minTime(due, time.Unix(0, asked))
	}
	k.timer.Reset(untilOrNever(due, now))
	k.setWake(due)
	k.mu.Unlock()
	if ping {
		k.s.ping(now)
	}
}

// ping sends a keepalive on the current socket and moves its read deadline
// to three periods after the last frame or pong (the read loop only stamps
// lastHeard, instead of moving the deadline for every frame). A failed
// ping closes the socket, which the read loop then replaces.
func (s *Session) ping(now time.Time) {
	s.connMu.Lock()
	conn := s.conn
	s.connMu.Unlock()
	if conn == nil {
		return
	}
	heard := time.Unix(0, s.lastHeard.Load())
	_ = conn.SetReadDeadline(heard.Add(3 * s.opts.PingInterval))
	if conn.WriteControl(websocket.PingMessage, nil, now.Add(s.opts.PingInterval)) != nil {
		_ = conn.Close()
	}
}

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
