package privicore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gorilla/websocket"
)

// joinMessage is the client → proxy join frame (reference §1.9).
type joinMessage struct {
	Action string   `json:"action"`
	Data   joinData `json:"data"`
}

type joinData struct {
	AuthorizationToken string `json:"authorizationToken,omitempty"`
	ChannelID          string `json:"channelId,omitempty"`
	CorrelationID      string `json:"correlationId"`
}

// dialJoin dials the proxy and joins the token's channel within JoinTimeout.
func (s *Session) dialJoin(ctx context.Context) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.JoinTimeout)
	defer cancel()
	conn, resp, err := s.c.dialer.DialContext(ctx, s.c.ws, nil)
	if err != nil {
		se := &SocketError{Op: "join-channel", Stage: SocketDial, Err: urlCause(err)}
		if resp != nil {
			se.Status = resp.StatusCode // a refused upgrade: gorilla has closed its body
		}
		return nil, se
	}
	conn.SetReadLimit(s.c.maxBody) // a bigger frame ends the socket, not the process
	if err := s.join(ctx, conn); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return conn, nil
}

// join sends joinChannel and reads until the confirmation. Events that
// arrive meanwhile (a flushed pre-join buffer) go to the correlator. A
// cancelled ctx (the caller's, or Close during a reconnect) ends the read
// at once, not at the deadline.
func (s *Session) join(ctx context.Context, conn *websocket.Conn) error {
	deadline, _ := ctx.Deadline()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetReadDeadline(time.Now()) })
	defer stop()
	cid := "pcflow-" + strconv.FormatUint(s.joins.Add(1), 10)
	msg := joinMessage{Action: "joinChannel", Data: joinData{AuthorizationToken: s.token.Reveal(), CorrelationID: cid}}
	_ = conn.SetWriteDeadline(deadline)
	if err := conn.WriteJSON(msg); err != nil {
		return &SocketError{Op: "join-channel", Stage: SocketWrite, Err: err}
	}
	_ = conn.SetReadDeadline(deadline)
	var env wireEnvelope
	for {
		_, b, err := conn.ReadMessage()
		if err != nil {
			if errors.Is(ctx.Err(), context.Canceled) {
				return fmt.Errorf("privicore: join-channel: %w", ctx.Err())
			}
			if isTimeout(err) {
				return ErrJoinTimeout
			}
			return &SocketError{Op: "join-channel", Stage: SocketRead, Err: err}
		}
		if !decodeFrame(b, &env) {
			continue
		}
		switch {
		case env.Data.Type != "":
			if m := env.message(time.Now()); s.corr.dispatch(m) {
				s.clock.wakeBy(m.Arrived.Add(s.corr.ttl))
			}
		case env.Status == 200 && env.Data.ChannelID != "":
			s.setChannel(env.Data.ChannelID)
			return nil
		case env.Status >= 400:
			return &APIError{Op: "join-channel", Status: env.Status, Body: scrub(env.Data.Text, s.token)}
		}
	}
}

func (s *Session) setChannel(id string) {
	s.connMu.Lock()
	s.channelID = id
	s.connMu.Unlock()
}

// leave sends leaveChannel best-effort before closing.
func (s *Session) leave(conn *websocket.Conn) {
	msg := joinMessage{Action: "leaveChannel", Data: joinData{ChannelID: s.ChannelID(),
		AuthorizationToken: s.token.Reveal(), CorrelationID: "pcflow-leave"}}
	_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
	_ = conn.WriteJSON(msg)
}

func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout()
}

// keptFrameBuffer is the largest frame buffer a read loop keeps between
// frames; thousands of sessions each holding a past streamed payload's
// size would add up.
const keptFrameBuffer = 1 << 20

// readLoop is the socket's only reader: decode each frame and hand events
// to the correlator. It returns the read error. Keepalive is the session
// clock's: the loop only stamps lastHeard for every frame, and the read
// deadline moves at each pong and at each ping of the clock (a deadline
// moved per frame was a runtime timer update per ack).
func (s *Session) readLoop(conn *websocket.Conn) error {
	if s.opts.PingInterval > 0 {
		now := time.Now()
		s.lastHeard.Store(now.UnixNano())
		_ = conn.SetReadDeadline(now.Add(3 * s.opts.PingInterval))
		// A pong (one per PingInterval, unlike frames) moves the deadline at
		// once, so a clock wake running late cannot cut a live socket.
		conn.SetPongHandler(func(string) error {
			now := time.Now()
			s.lastHeard.Store(now.UnixNano())
			return conn.SetReadDeadline(now.Add(3 * s.opts.PingInterval))
		})
	} else {
		_ = conn.SetReadDeadline(time.Time{})
	}
	var buf bytes.Buffer
	var env wireEnvelope
	for {
		_, r, err := conn.NextReader()
		if err != nil {
			return &SocketError{Op: "read-loop", Stage: SocketRead, Err: err}
		}
		if buf.Cap() > keptFrameBuffer {
			buf = bytes.Buffer{} // one huge frame must not pin its size per session
		}
		buf.Reset()
		if _, err := buf.ReadFrom(r); err != nil {
			return &SocketError{Op: "read-loop", Stage: SocketRead, Err: err}
		}
		arrived := time.Now()
		s.lastHeard.Store(arrived.UnixNano())
		if decodeFrame(buf.Bytes(), &env) && env.Data.Type != "" && s.corr.dispatch(env.message(arrived)) {
			s.clock.wakeBy(arrived.Add(s.corr.ttl)) // count it an orphan on time even without traffic
		}
	}
}

// reconnect dials and re-joins at once, then with doubling pauses from
// ReconnectBackoff up to 2 s. A refused join (401: token revoked or
// expired) ends the tries at once.
func (s *Session) reconnect(cause error) (*websocket.Conn, error) {
	s.connMu.Lock()
	_ = s.conn.Close()
	s.connMu.Unlock()
	var pause time.Duration // the first try is immediate: a drop costs latency
	last := cause
	for i := 0; i < s.opts.ReconnectAttempts; i++ {
		select {
		case <-s.closing:
			return nil, ErrSessionClosed
		case <-time.After(pause):
		}
		pause = min(max(2*pause, s.opts.ReconnectBackoff), 2*time.Second)
		conn, err := s.dialJoin(s.closeCtx)
		if err == nil {
			return s.adopt(conn)
		}
		last = err
		var ae *APIError
		if errors.As(err, &ae) {
			break
		}
	}
	// Both errors stay classifiable: errors.As finds the drop's cause first
	// (usually a read-loop *SocketError), then the last try's (a dial
	// *SocketError, or an *APIError for a refused join).
	return nil, fmt.Errorf("reconnect failed after %w: %w", cause, last)
}

// adopt installs a fresh socket unless Close ran meanwhile.
func (s *Session) adopt(conn *websocket.Conn) (*websocket.Conn, error) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if s.isClosing() {
		_ = conn.Close()
		return nil, ErrSessionClosed
	}
	s.conn = conn
	return conn, nil
}
