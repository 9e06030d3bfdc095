package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/pcflow/pcflow/privicore"
)

// password is every benchmark profile's; the simulator is throwaway.
const password = privicore.Secret("loadbench password 1!")

// provision registers n fresh profiles and authenticates each, `at` at a
// time, returning their tokens. One profile per session keeps within the
// simulator's per-profile bounds and gives every socket its own channel,
// as one profile per virtual user does.
func provision(ctx context.Context, c *privicore.Client, n, at int) ([]privicore.Secret, error) {
	prefix := "lb-" + rand.Text()[:8] // fresh names for a simulator that may be reused
	tokens := make([]privicore.Secret, n)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(at)
	for i := range n {
		g.Go(func() error {
			name := fmt.Sprintf("%s-%d", prefix, i)
			acc, err := c.RegisterProfile(ctx, name, password)
			if err != nil {
				return err
			}
			if _, err := c.WaitCommand(ctx, acc.CommandID, "", 2*time.Millisecond); err != nil {
				return err
			}
			auth, err := c.Authenticate(ctx, name, password)
			tokens[i] = auth.Token
			return err
		})
	}
	return tokens, g.Wait()
}

// openSessions opens a joined session for each token, `at` at a time.
func openSessions(ctx context.Context, c *privicore.Client, tokens []privicore.Secret, at int) ([]*privicore.Session, error) {
	ss := make([]*privicore.Session, len(tokens))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(at)
	for i, tok := range tokens {
		g.Go(func() error {
			s, err := c.OpenSession(ctx, tok, privicore.SessionOptions{})
			ss[i] = s
			return err
		})
	}
	return ss, g.Wait()
}

// closeAll closes every opened session.
func closeAll(ss []*privicore.Session) {
	g := errgroup.Group{}
	g.SetLimit(64)
	for _, s := range ss {
		if s != nil {
			g.Go(s.Close)
		}
	}
	_ = g.Wait()
}
