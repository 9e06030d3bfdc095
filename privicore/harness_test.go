package privicore_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

// env is one simulator on loopback and a client pointed at it.
type env struct {
	srv *sim.Server
	c   *privicore.Client
}

func start(t testing.TB, opts sim.Options) env {
	t.Helper()
	srv, err := sim.Start(opts)
	if err != nil {
		t.Fatalf("sim.Start: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	u := srv.URLs()
	c := privicore.New(privicore.Options{APIURL: u.API, WSURL: u.WS, DownstreamURL: u.Downstream})
	return env{srv: srv, c: c}
}

// userSeq makes profile names unique within a test binary run.
var userSeq atomic.Int64

// profile registers a fresh profile the live-wire way (register → poll →
// authenticate → register the key with the token) and returns its token.
func (e env) profile(t testing.TB) (name string, pass privicore.Secret, token privicore.Secret) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	name = fmt.Sprintf("user-%d-%d", time.Now().UnixNano(), userSeq.Add(1))
	pass = privicore.Secret("correct horse battery staple 9!")
	acc, err := e.c.RegisterProfile(ctx, name, pass)
	if err != nil {
		t.Fatalf("register-profile: %v", err)
	}
	if _, err := e.c.WaitCommand(ctx, acc.CommandID, "", 5*time.Millisecond); err != nil {
		t.Fatalf("register-profile ack: %v", err)
	}
	auth, err := e.c.Authenticate(ctx, name, pass)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	kp, _ := privicore.GenerateKeyPair()
	ps := e.c.PollingSession(auth.Token, privicore.SessionOptions{PollInterval: 5 * time.Millisecond})
	if _, err := ps.RegisterPublicKey(ctx, kp.SignedPublicKey()); err != nil {
		t.Fatalf("register-public-key: %v", err)
	}
	return name, pass, auth.Token
}

// session opens a joined session for a fresh profile.
func (e env) session(t testing.TB, opts privicore.SessionOptions) *privicore.Session {
	t.Helper()
	_, _, tok := e.profile(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := e.c.OpenSession(ctx, tok, opts)
	if err != nil {
		t.Fatalf("open session: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}
