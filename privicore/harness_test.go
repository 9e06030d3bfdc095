package privicore_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

// env is one simulator on loopback and a client pointed at it.
type env struct {
	srv   *sim.Server
	c     *privicore.Client
	users *atomic.Int64 // next pre-provisioned user to hand out
}

// presetUsers is how many pre-provisioned profiles start gives a simulator
// (each session of a test gets its own, so channels are not shared).
const presetUsers = 8

func presetName(i int) string { return fmt.Sprintf("preset-%d", i) }

const presetPassword = "preset password 1!"

func start(t testing.TB, opts sim.Options) env {
	t.Helper()
	if opts.Users == nil {
		for i := range presetUsers {
			opts.Users = append(opts.Users, sim.User{Name: presetName(i), Password: presetPassword})
		}
	}
	srv, err := sim.Start(opts)
	if err != nil {
		t.Fatalf("sim.Start: %v", err)
	}
	u := srv.URLs()
	c := privicore.New(privicore.Options{APIURL: u.API, WSURL: u.WS, DownstreamURL: u.Downstream})
	t.Cleanup(func() {
		// Unused pooled connections would hold http.Server.Shutdown for 5 s.
		c.CloseIdleConnections()
		_ = srv.Close()
	})
	return env{srv: srv, c: c, users: new(atomic.Int64)}
}

// login authenticates the next pre-provisioned profile (unaffected by the
// simulator's async fault knobs, which would also hit provisioning).
func (e env) login(t testing.TB) privicore.Secret {
	t.Helper()
	i := int(e.users.Add(1) - 1)
	if i >= presetUsers {
		t.Fatalf("test wants more than %d preset users", presetUsers)
	}
	auth, err := e.c.Authenticate(ctxT(t), presetName(i), presetPassword)
	if err != nil {
		t.Fatalf("authenticate %s: %v", presetName(i), err)
	}
	return auth.Token
}

// profile registers a fresh profile the live-wire way (register → poll →
// authenticate → register the key with the token) and returns its token.
func (e env) profile(t testing.TB) (name string, pass privicore.Secret, token privicore.Secret) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	name = "user-" + rand.Text() // unique without package-level state
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

// session opens a joined session for the next pre-provisioned profile.
func (e env) session(t testing.TB, opts privicore.SessionOptions) *privicore.Session {
	t.Helper()
	tok := e.login(t)
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
