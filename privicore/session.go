package privicore

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// SessionOptions tune a Session. Every zero value is a usable default.
type SessionOptions struct {
	// JoinTimeout bounds dial + joinChannel confirmation; 0 (or negative)
	// means 10 s. The same rule holds for every duration below except
	// PingInterval.
	JoinTimeout time.Duration
	// AckTimeout is how long after its 2xx response a command waits for its
	// WebSocket message before asking request-status once (up to 1/16 of
	// it later: the session's clock coalesces deadlines); 0 means 30 s. In
	// polling mode it bounds the whole polling.
	AckTimeout time.Duration
	// PingInterval is the keepalive period; 0 means 15 s, negative disables.
	// A socket silent (no pong, no message) for three periods is dropped
	// and reconnected.
	PingInterval time.Duration
	// ReconnectAttempts is how many dial+join tries follow a lost socket
	// before the session fails its waiters; 0 means 6.
	ReconnectAttempts int
	// ReconnectBackoff is the pause before the second try (the first is
	// immediate), doubling up to 2 s; 0 means 50 ms.
	ReconnectBackoff time.Duration
	// EarlyTTL and EarlyMax bound messages kept for ids nobody waits on
	// yet (acks that beat their 202); 0 means 10 s and 10000. EarlyTTL is
	// also how long a settled id is remembered to recognise a duplicate.
	EarlyTTL time.Duration
	EarlyMax int // see EarlyTTL
	// PollInterval is the request-status period of polling sessions; 0 means 50 ms.
	PollInterval time.Duration
}

func (o SessionOptions) withDefaults() SessionOptions {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.JoinTimeout, 10*time.Second)
	def(&o.AckTimeout, 30*time.Second)
	if o.PingInterval == 0 {
		o.PingInterval = 15 * time.Second
	}
	def(&o.ReconnectBackoff, 50*time.Millisecond)
	def(&o.PollInterval, 50*time.Millisecond)
	if o.ReconnectAttempts <= 0 {
		o.ReconnectAttempts = 6
	}
	return o
}

// Session is one authorization token's view of the API: every
// token-authenticated operation, and — unless it is a polling session — one
// WebSocket joined to the token's channel with one read loop and a
// correlator. See the package doc for the concurrency contract.
type Session struct {
	c        *Client
	token    Secret
	tokenHdr []string // [token] with len = cap = 1: net/http only reads or replaces it
	opts     SessionOptions
	corr     *correlator
	poll     bool

	connMu    sync.Mutex
	conn      *websocket.Conn
	channelID string

	closing   chan struct{}
	closeCtx  context.Context // cancelled by Close: ends a reconnect's dial
	cancel    context.CancelFunc
	closeOnce sync.Once
	dead      chan struct{}
	deadOnce  sync.Once
	deadErr   error
	loopDone  chan struct{}

	clock     *sessionClock // pings, ack deadlines, expiry; nil for polling sessions
	lastHeard atomic.Int64  // UnixNano of the socket's last frame or pong

	reconnects atomic.Uint64
	joins      atomic.Uint64 // numbers join correlation ids
}

// SessionStats is a snapshot of a session's counters.
type SessionStats struct {
	CorrelatorStats
	Reconnects uint64 // sockets replaced after a drop
}

// OpenSession dials the WebSocket proxy, joins token's channel and starts
// the read loop. It returns once joined, so no command sent afterwards can
// lose its ack to a missing subscription.
//
// A Client opens one socket session per token; asking for a second while
// the first is open is ErrTokenInUse (the token is free again once the
// first is closed or lost).
func (c *Client) OpenSession(ctx context.Context, token Secret, opts SessionOptions) (*Session, error) {
	if !c.claim(token) {
		return nil, ErrTokenInUse
	}
	s := c.newSession(token, opts, false)
	s.startClock() // before the join: it expires messages flushed during it
	conn, err := s.dialJoin(ctx)
	if err != nil {
		s.clock.stop()
		s.cancel()
		c.release(token)
		return nil, err
	}
	s.connMu.Lock()
	s.conn = conn // the clock may be reading it for a ping
	s.connMu.Unlock()
	s.loopDone = make(chan struct{})
	go s.own(conn)
	return s, nil
}

// PollingSession returns a session without a socket: async operations
// await their outcome by polling request-status (one-shot tools, or a
// profile that cannot join). request-data needs a socket and fails with
// ErrNeedsSocket.
func (c *Client) PollingSession(token Secret, opts SessionOptions) *Session {
	return c.newSession(token, opts, true)
}

func (c *Client) newSession(token Secret, opts SessionOptions, poll bool) *Session {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	return &Session{c: c, token: token, tokenHdr: []string{token.Reveal()}, opts: opts, poll: poll,
		corr:    newCorrelator(opts.EarlyTTL, opts.EarlyMax, 0),
		closing: make(chan struct{}), closeCtx: ctx, cancel: cancel, dead: make(chan struct{})}
}

// String names the session by its channel; it never prints the token.
func (s *Session) String() string {
	if s.poll {
		return "privicore.Session{polling}"
	}
	return "privicore.Session{channel " + s.ChannelID() + "}"
}

// GoString is String (%#v would otherwise print the token's field).
func (s *Session) GoString() string { return s.String() }

// MarshalText is String, for encoding/json and other text encoders.
func (s *Session) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Token returns the session's authorization token (redacted when printed).
func (s *Session) Token() Secret { return s.token }

// ChannelID is the channel the socket last joined ("" for polling sessions).
func (s *Session) ChannelID() string {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	return s.channelID
}

// Stats snapshots the correlator and reconnect counters.
func (s *Session) Stats() SessionStats {
	return SessionStats{CorrelatorStats: s.corr.snapshot(), Reconnects: s.reconnects.Load()}
}

// Done is closed when the session can no longer be used; Err says why.
func (s *Session) Done() <-chan struct{} { return s.dead }

// Err is nil while the session is usable, then ErrSessionClosed or a
// *SessionLostError.
func (s *Session) Err() error {
	select {
	case <-s.dead:
		return s.deadErr
	default:
		return nil
	}
}

// Close leaves the channel, closes the socket and fails every waiter with
// ErrSessionClosed. It is idempotent.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.cancel()
		s.connMu.Lock()
		conn := s.conn
		s.connMu.Unlock()
		if conn != nil {
			s.leave(conn)
			_ = conn.Close()
		}
		s.fail(ErrSessionClosed)
	})
	if s.loopDone != nil {
		select {
		case <-s.loopDone:
		case <-time.After(5 * time.Second):
		}
	}
	return nil
}

// fail marks the session dead with err once; waiters see it via s.dead.
// A socket session's token becomes free for a new one.
func (s *Session) fail(err error) {
	s.deadOnce.Do(func() {
		s.deadErr = err
		close(s.dead)
		if s.clock != nil {
			s.clock.stop()
		}
		if !s.poll {
			s.c.release(s.token)
		}
	})
}

// claim reserves token for one socket session; false if it has one.
func (c *Client) claim(token Secret) bool {
	c.joinedMu.Lock()
	defer c.joinedMu.Unlock()
	if c.joined[token] {
		return false
	}
	c.joined[token] = true
	return true
}

func (c *Client) release(token Secret) {
	c.joinedMu.Lock()
	delete(c.joined, token)
	c.joinedMu.Unlock()
}

func (s *Session) isClosing() bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

// own owns the socket: read until it breaks, then reconnect and reconcile,
// or fail the session.
func (s *Session) own(conn *websocket.Conn) {
	defer close(s.loopDone)
	for {
		err := s.readLoop(conn)
		if s.isClosing() {
			return
		}
		conn, err = s.reconnect(err)
		if s.isClosing() {
			return
		}
		if err != nil {
			s.fail(&SessionLostError{Cause: err})
			return
		}
		s.reconnects.Add(1)
		go s.reconcile()
	}
}
