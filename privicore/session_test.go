package privicore_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

func TestKeepalivePingsHoldAnIdleSocket(t *testing.T) {
	e := start(t, sim.Options{IdleTimeout: 150 * time.Millisecond})
	s := e.session(t, privicore.SessionOptions{PingInterval: 30 * time.Millisecond})
	time.Sleep(500 * time.Millisecond)
	if n := s.Stats().Reconnects; n != 0 {
		t.Fatalf("pinging session reconnected %d times", n)
	}
	if _, err := s.ReserveTokenSpace(ctxT(t), privicore.ReserveParams{Context: "c"}); err != nil {
		t.Fatalf("command after idling: %v", err)
	}
}

// silentProxy confirms joins and then never answers pings: a dead peer
// whose TCP connection stays open, which only keepalive can detect.
func silentProxy(t *testing.T) string {
	return proxy(t, func(conn *websocket.Conn) {
		conn.SetPingHandler(func(string) error { return nil })
		for confirmJoin(conn) {
		}
	})
}

func TestKeepaliveDetectsASilentPeerAndReconnects(t *testing.T) {
	c := privicore.New(privicore.Options{WSURL: silentProxy(t)})
	s, err := c.OpenSession(ctxT(t), "T-x", privicore.SessionOptions{PingInterval: 20 * time.Millisecond, ReconnectBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deadline := time.Now().Add(3 * time.Second)
	for s.Stats().Reconnects == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if s.Stats().Reconnects == 0 {
		t.Fatal("a peer that never answers pings was not detected")
	}
}

func TestWaitIsBoundedByTheCallersContext(t *testing.T) {
	e := start(t, sim.Options{Stall: sim.Stall{Hold: 1, Every: 1}})
	s := e.session(t, privicore.SessionOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := s.ReserveTokenSpace(ctx, privicore.ReserveParams{Context: "c"})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(began) > 2*time.Second {
		t.Fatalf("err = %v after %v, want DeadlineExceeded promptly", err, time.Since(began))
	}
}

func TestCloseFailsWaitersAndRefusesUse(t *testing.T) {
	e := start(t, sim.Options{Stall: sim.Stall{Hold: 1, Every: 1}})
	s := e.session(t, privicore.SessionOptions{})
	r, _ := privicore.ReserveTokenSpaceRequest(privicore.ReserveParams{Context: "c"})
	p, err := s.Submit(ctxT(t), r)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := p.Wait(context.Background()); done <- err }()
	_ = s.Close()
	select {
	case err := <-done:
		if !errors.Is(err, privicore.ErrSessionClosed) {
			t.Fatalf("waiter got %v, want ErrSessionClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waiter hangs after Close")
	}
	if _, err := s.RetrieveProfileID(ctxT(t)); !errors.Is(err, privicore.ErrSessionClosed) {
		t.Fatalf("use after Close: %v", err)
	}
	_ = s.Close() // idempotent
}

func TestJoinWithoutConfirmationTimesOut(t *testing.T) {
	// A WebSocket endpoint that accepts the socket and never confirms the
	// join: the one behaviour the simulator cannot be asked for.
	c := privicore.New(privicore.Options{WSURL: proxy(t, drain)})
	began := time.Now()
	_, err := c.OpenSession(context.Background(), "T-x", privicore.SessionOptions{JoinTimeout: 100 * time.Millisecond})
	if !errors.Is(err, privicore.ErrJoinTimeout) || time.Since(began) > 2*time.Second {
		t.Fatalf("err = %v after %v, want ErrJoinTimeout", err, time.Since(began))
	}
}

func TestTransportErrorsKeepTheirCauseAndHideAuthQueries(t *testing.T) {
	c := privicore.New(privicore.Options{APIURL: "http://127.0.0.1:1"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.CheckServerHealth(ctx)
	var te *privicore.TransportError
	if !errors.As(err, &te) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want a *TransportError wrapping context.Canceled", err)
	}
	_, err = c.UpstreamFile(context.Background(), "http://127.0.0.1:1/?auth=stream-secret", []byte("x"))
	if err == nil || strings.Contains(err.Error(), "stream-secret") {
		t.Fatalf("err = %v: must fail without showing the stream token", err)
	}
}

func TestOneSocketSessionPerToken(t *testing.T) {
	e := start(t, sim.Options{})
	tok := e.login(t)
	ctx := ctxT(t)
	s, err := e.c.OpenSession(ctx, tok, privicore.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.OpenSession(ctx, tok, privicore.SessionOptions{}); !errors.Is(err, privicore.ErrTokenInUse) {
		t.Fatalf("second session on one token: %v, want ErrTokenInUse", err)
	}
	if _, err := e.c.PollingSession(tok, privicore.SessionOptions{}).RetrieveProfileID(ctx); err != nil {
		t.Fatalf("a polling session has no socket and may share the token: %v", err)
	}
	_ = s.Close()
	s2, err := e.c.OpenSession(ctx, tok, privicore.SessionOptions{})
	if err != nil {
		t.Fatalf("the token after Close: %v", err)
	}
	_ = s2.Close()
}

// A 401 leaves the session open. A command accepted before the token died
// whose ack the proxy no longer delivers (the simulator detaches a revoked
// token's socket) cannot be reconciled either — request-status answers the
// token's profile only — so it ends in an ack timeout that says why.
func TestA401DoesNotCloseTheSessionAndInFlightCommandsSayWhy(t *testing.T) {
	e := start(t, sim.Options{AckLatency: sim.Latency{Min: 100 * time.Millisecond, Max: 100 * time.Millisecond}})
	s := e.session(t, privicore.SessionOptions{AckTimeout: 300 * time.Millisecond})
	ctx := ctxT(t)
	r, _ := privicore.ReserveTokenSpaceRequest(privicore.ReserveParams{Context: "c"})
	p, err := s.Submit(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevokeAuthorizationToken(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RetrieveProfileID(ctx); !privicore.IsUnauthorized(err) || s.Err() != nil {
		t.Fatalf("after revoke: %v (session err %v), want a 401 and an open session", err, s.Err())
	}
	if _, err := p.Wait(ctx); !errors.Is(err, privicore.ErrAckTimeout) || !privicore.IsUnauthorized(err) {
		t.Fatalf("in-flight command: %v, want an ack timeout caused by request-status's 401", err)
	}
	if s.Err() != nil {
		t.Fatalf("session closed by a 401: %v", s.Err())
	}
}

func TestOpeningASessionEndsWhenTheCallerCancels(t *testing.T) {
	c := privicore.New(privicore.Options{WSURL: proxy(t, drain)}) // never confirms a join
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	began := time.Now()
	_, err := c.OpenSession(ctx, "T-x", privicore.SessionOptions{JoinTimeout: 10 * time.Second})
	if !errors.Is(err, context.Canceled) || time.Since(began) > 2*time.Second {
		t.Fatalf("err = %v after %v, want context.Canceled promptly", err, time.Since(began))
	}
}
