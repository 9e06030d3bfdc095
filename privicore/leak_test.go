package privicore_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

// settledGoroutines waits (bounded) until at most want goroutines run.
func settledGoroutines(want int) int {
	deadline := time.Now().Add(5 * time.Second)
	n := runtime.NumGoroutine()
	for n > want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// TestNoGoroutineOutlivesItsSession opens, uses and closes sessions, fails
// to open some (refused join, unreachable proxy), and loses one to a dead
// server; afterwards, with the simulators closed and idle connections
// dropped, no goroutine of ours may remain.
func TestNoGoroutineOutlivesItsSession(t *testing.T) {
	before := runtime.NumGoroutine()
	e := start(t, sim.Options{WSDropEvery: 30 * time.Millisecond})
	ctx := ctxT(t)
	for range 4 {
		s := e.session(t, privicore.SessionOptions{ReconnectBackoff: time.Millisecond})
		if _, err := s.ReserveTokenSpace(ctx, privicore.ReserveParams{Context: "c"}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(40 * time.Millisecond) // a reconnect and its reconciliation in flight
		_ = s.Close()
	}
	if _, err := e.c.OpenSession(ctx, "T-not-a-token", privicore.SessionOptions{}); err == nil {
		t.Fatal("join with an unknown token succeeded")
	}
	nowhere := privicore.New(privicore.Options{WSURL: "ws://127.0.0.1:1"})
	if _, err := nowhere.OpenSession(ctx, "T-x", privicore.SessionOptions{}); err == nil {
		t.Fatal("dial to a closed port succeeded")
	}
	lost := start(t, sim.Options{})
	s := lost.session(t, privicore.SessionOptions{ReconnectAttempts: 2, ReconnectBackoff: time.Millisecond})
	lost.c.CloseIdleConnections()
	_ = lost.srv.Close()
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("session outlived its server")
	}
	e.c.CloseIdleConnections()
	_ = e.srv.Close()
	if n := settledGoroutines(before); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

// TestAnIdleSessionParksOneGoroutine: an idle joined session costs its read
// loop and nothing else (keepalive, ack deadlines and expiry ride one timer),
// which matters at 10,000 sessions per process.
func TestAnIdleSessionParksOneGoroutine(t *testing.T) {
	e := start(t, sim.Options{})
	const n = 4
	for range n {
		s := e.session(t, privicore.SessionOptions{PingInterval: 10 * time.Millisecond})
		if _, err := s.ReserveTokenSpace(ctxT(t), privicore.ReserveParams{Context: "c"}); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(30 * time.Millisecond) // pings have run
	deadline := time.Now().Add(2 * time.Second)
	got := sessionGoroutines()
	for got != n && time.Now().Before(deadline) { // a ping's timer goroutine may be finishing
		time.Sleep(5 * time.Millisecond)
		got = sessionGoroutines()
	}
	if got != n {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d idle sessions run %d goroutines of privicore.Session:\n%s", n, got, buf[:runtime.Stack(buf, true)])
	}
}

// sessionGoroutines counts goroutines with a privicore.Session method on
// their stack.
func sessionGoroutines() int {
	buf := make([]byte, 1<<20)
	n := 0
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, "privicore.(*Session).") || strings.Contains(g, "privicore.(*sessionClock).") {
			n++
		}
	}
	return n
}
