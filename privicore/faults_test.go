package privicore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

// reserveMany submits n reservations concurrently, then waits for them in
// reverse order, checking each outcome belongs to its own command.
func reserveMany(t *testing.T, s *privicore.Session, n int) []privicore.Ack {
	t.Helper()
	ctx := ctxT(t)
	pend := make([]*privicore.Pending, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			r, _ := privicore.ReserveTokenSpaceRequest(privicore.ReserveParams{Context: "c"})
			p, err := s.Submit(ctx, r)
			if err != nil {
				errs <- err
				return
			}
			pend[i] = p
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("submit: %v", err)
	}
	acks := make([]privicore.Ack, n)
	for i := n - 1; i >= 0; i-- {
		ack, err := pend[i].Wait(ctx)
		if err != nil {
			t.Fatalf("wait %d: %v", i, err)
		}
		if ack.CommandID != pend[i].CommandID() || (!ack.Reconciled && ack.Message.ID != ack.CommandID) {
			t.Fatalf("misrouted: waiter %s got message for %s", ack.CommandID, ack.Message.ID)
		}
		acks[i] = ack
	}
	return acks
}

func TestAckBeforeResponseIsKeptForItsWaiter(t *testing.T) {
	e := start(t, sim.Options{AckBeforeResponse: true})
	s := e.session(t, privicore.SessionOptions{})
	acks := reserveMany(t, s, 50)
	early := 0
	for _, a := range acks {
		if a.Acked.Before(a.Read) {
			early++
		}
	}
	if st := s.Stats(); st.Early == 0 || early == 0 || st.Orphans != 0 {
		t.Fatalf("expected acks before responses: stats %+v, acked-before-read %d", st, early)
	}
}

func TestAcksOutOfOrderReachTheirOwnWaiters(t *testing.T) {
	e := start(t, sim.Options{AckLatency: sim.Latency{Min: time.Millisecond, Max: 40 * time.Millisecond}, Seed: 7})
	s := e.session(t, privicore.SessionOptions{})
	reserveMany(t, s, 100)
	if st := s.Stats(); st.Delivered != 100 || st.Orphans != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestDuplicateAcksAreCountedAndDropped(t *testing.T) {
	e := start(t, sim.Options{DuplicateAckRate: 1})
	s := e.session(t, privicore.SessionOptions{})
	reserveMany(t, s, 20)
	deadline := time.Now().Add(2 * time.Second)
	for s.Stats().Duplicates < 20 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if st := s.Stats(); st.Duplicates < 20 || st.Delivered != 20 {
		t.Fatalf("stats %+v, want 20 delivered and at least 20 duplicates", st)
	}
}

func TestDroppedAcksAreReconciledThroughRequestStatus(t *testing.T) {
	e := start(t, sim.Options{DropAckRate: 1})
	s := e.session(t, privicore.SessionOptions{AckTimeout: 100 * time.Millisecond})
	for _, a := range reserveMany(t, s, 10) {
		if !a.Reconciled || a.Acked.IsZero() {
			t.Fatalf("ack %s not reconciled: %+v", a.CommandID, a)
		}
	}
	if st := s.Stats(); st.Reconciled != 10 {
		t.Fatalf("stats %+v", st)
	}
}

func TestStalledCommandTimesOutWithATypedError(t *testing.T) {
	e := start(t, sim.Options{Stall: sim.Stall{Hold: 1, Every: 1}})
	s := e.session(t, privicore.SessionOptions{AckTimeout: 80 * time.Millisecond})
	_, err := s.ReserveTokenSpace(ctxT(t), privicore.ReserveParams{Context: "c"})
	var te *privicore.AckTimeoutError
	if !errors.Is(err, privicore.ErrAckTimeout) || !errors.As(err, &te) || te.CommandID == "" {
		t.Fatalf("err = %v, want *AckTimeoutError", err)
	}
}

func TestSocketDroppedMidFlightLosesNothing(t *testing.T) {
	e := start(t, sim.Options{WSDropEvery: 60 * time.Millisecond,
		AckLatency: sim.Latency{Min: 5 * time.Millisecond, Max: 50 * time.Millisecond}, Seed: 3})
	s := e.session(t, privicore.SessionOptions{AckTimeout: 2 * time.Second, ReconnectBackoff: 5 * time.Millisecond})
	deadline := time.Now().Add(600 * time.Millisecond)
	total := 0
	for time.Now().Before(deadline) {
		reserveMany(t, s, 20)
		total += 20
	}
	st := s.Stats()
	if st.Reconnects == 0 {
		t.Fatalf("no reconnect happened in %d commands: %+v", total, st)
	}
	t.Logf("%d commands, stats %+v", total, st)
}

func TestRejectedCommandCarriesItsReason(t *testing.T) {
	e := start(t, sim.Options{RejectRate: 1})
	s := e.session(t, privicore.SessionOptions{})
	_, err := s.ReserveTokenSpace(ctxT(t), privicore.ReserveParams{Context: "c"})
	var re *privicore.CommandRejectedError
	if !errors.As(err, &re) || re.Reason != "sim.injected_rejection" || re.CommandID == "" {
		t.Fatalf("err = %v, want rejection with reason sim.injected_rejection", err)
	}
}

func TestRevokedTokenIsUnauthorizedEverywhere(t *testing.T) {
	e := start(t, sim.Options{})
	s := e.session(t, privicore.SessionOptions{})
	ctx := ctxT(t)
	if _, err := s.RevokeAuthorizationToken(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RetrieveProfileID(ctx); !privicore.IsUnauthorized(err) {
		t.Fatalf("after revoke: %v, want 401", err)
	}
	if _, err := s.ReserveTokenSpace(ctx, privicore.ReserveParams{Context: "c"}); !privicore.IsUnauthorized(err) {
		t.Fatalf("async after revoke: %v, want 401", err)
	}
	if s.Err() != nil {
		t.Fatalf("a 401 closed the session: %v", s.Err())
	}
	_ = s.Close()
	_, err := e.c.OpenSession(ctx, s.Token(), privicore.SessionOptions{JoinTimeout: 2 * time.Second})
	if !privicore.IsUnauthorized(err) {
		t.Fatalf("joining with a revoked token: %v, want a refused (401) join", err)
	}
}

func TestExpiredTokenIsUnauthorized(t *testing.T) {
	e := start(t, sim.Options{TokenTTL: 150 * time.Millisecond})
	tok := e.login(t)
	s := e.c.PollingSession(tok, privicore.SessionOptions{})
	time.Sleep(250 * time.Millisecond)
	if _, err := s.RetrieveProfileID(ctxT(t)); !privicore.IsUnauthorized(err) {
		t.Fatalf("expired token: %v, want 401", err)
	}
}

func TestLargePayloadRoundTripIsBitExact(t *testing.T) {
	e := start(t, sim.Options{})
	s := e.session(t, privicore.SessionOptions{})
	key, _ := privicore.NewAESKey()
	pt := make([]byte, 3<<20+7)
	_, _ = rand.Read(pt)
	ctx := ctxT(t)
	st, err := s.Store(ctx, privicore.StoreParams{Key: key, Plaintext: pt, Context: "big"})
	if err != nil || st.Via != privicore.PathStream {
		t.Fatalf("store: %v via %v", err, st.Via)
	}
	got, err := s.Retrieve(ctx, st.DataToken, key)
	if err != nil || !bytes.Equal(got.Plaintext, pt) || !got.Request.Streamed() {
		t.Fatalf("retrieve: %v equal=%v streamed=%v", err, bytes.Equal(got.Plaintext, pt), got.Request.Streamed())
	}
}

func TestUnrecoverableSessionFailsWaitersInsteadOfHanging(t *testing.T) {
	e := start(t, sim.Options{DropAckRate: 1})
	s := e.session(t, privicore.SessionOptions{ReconnectAttempts: 2, ReconnectBackoff: 5 * time.Millisecond})
	r, _ := privicore.ReserveTokenSpaceRequest(privicore.ReserveParams{Context: "c"})
	p, err := s.Submit(ctxT(t), r)
	if err != nil {
		t.Fatal(err)
	}
	e.c.CloseIdleConnections()
	_ = e.srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = p.Wait(ctx)
	var lost *privicore.SessionLostError
	if !errors.As(err, &lost) || !errors.Is(err, privicore.ErrSessionClosed) {
		t.Fatalf("wait after server death: %v, want *SessionLostError", err)
	}
	if _, err := s.ReserveTokenSpace(ctx, privicore.ReserveParams{Context: "c"}); !errors.Is(err, privicore.ErrSessionClosed) {
		t.Fatalf("use after death: %v, want ErrSessionClosed", err)
	}
}

func TestEveryCommandIDShapeIsUnderstood(t *testing.T) {
	for _, shape := range []string{sim.ShapeArray, sim.ShapeString, sim.ShapeObject, sim.ShapeMixed} {
		e := start(t, sim.Options{CommandIDShape: shape})
		s := e.session(t, privicore.SessionOptions{})
		reserveMany(t, s, 10)
	}
}

func TestInjectedHTTPErrorsAreAPIErrors(t *testing.T) {
	e := start(t, sim.Options{HTTPErrorRate: 1})
	_, err := e.c.CheckServerHealth(ctxT(t))
	if privicore.StatusOf(err) != 503 {
		t.Fatalf("err = %v, want a 503 APIError", err)
	}
}

// With no pre-join buffer, acks published while the socket is down are gone;
// only the reconnect's request-status round can settle those commands, and it
// must do so long before the ack timeout.
func TestReconnectReconcilesAcksLostWhileDisconnected(t *testing.T) {
	e := start(t, sim.Options{PreJoinBufferTTL: -1, WSDropEvery: 40 * time.Millisecond,
		AckLatency: sim.Latency{Min: 10 * time.Millisecond, Max: 60 * time.Millisecond}, Seed: 5})
	s := e.session(t, privicore.SessionOptions{AckTimeout: time.Minute, ReconnectBackoff: 20 * time.Millisecond})
	began := time.Now()
	for range 10 {
		reserveMany(t, s, 20)
	}
	if took := time.Since(began); took > 20*time.Second {
		t.Fatalf("200 commands took %v: something waited for the ack timeout", took)
	}
	st := s.Stats()
	if st.Reconnects == 0 || st.Reconciled == 0 {
		t.Fatalf("no reconciliation exercised: %+v", st)
	}
	t.Logf("%+v", st)
}

// Issue 13: request-status answers a profile's commands to its own token
// only, so a command whose ack is lost after its token was revoked cannot
// be reconciled; Wait must say so (an ack timeout caused by request-status's
// 401) within the ack timeout, not hang or claim an outcome.
func TestARevokedTokenEndsReconciliationWithAnUnauthorizedAckTimeout(t *testing.T) {
	e := start(t, sim.Options{DropAckRate: 1})
	token := e.login(t)
	s, err := e.c.OpenSession(ctxT(t), token, privicore.SessionOptions{AckTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, _ := privicore.ReserveTokenSpaceRequest(privicore.ReserveParams{Context: "c"})
	p, err := s.Submit(ctxT(t), r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevokeAuthorizationToken(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	ack, err := p.Wait(ctxT(t))
	if !errors.Is(err, privicore.ErrAckTimeout) || !privicore.IsUnauthorized(err) || ack.Reconciled {
		t.Fatalf("wait after revoke: reconciled %v, %v; want an ack timeout caused by a 401", ack.Reconciled, err)
	}
	if strings.Contains(err.Error(), token.Reveal()) {
		t.Fatalf("error shows the token: %v", err)
	}
}

// The simulator only checks a token when a socket joins, so an expired
// token surfaces on the next reconnect: the session must fail with the
// refused join as its cause instead of retrying forever.
func TestSessionWhoseTokenExpiredFailsOnItsNextReconnect(t *testing.T) {
	e := start(t, sim.Options{WSDropEvery: 100 * time.Millisecond, TokenTTL: 250 * time.Millisecond})
	s := e.session(t, privicore.SessionOptions{})
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Fatalf("session with an expired token kept reconnecting: %+v", s.Stats())
	}
	var lost *privicore.SessionLostError
	if err := s.Err(); !errors.As(err, &lost) || !privicore.IsUnauthorized(err) || s.Stats().Reconnects == 0 {
		t.Fatalf("session error %v after %d reconnects, want a *SessionLostError caused by a 401 join", err, s.Stats().Reconnects)
	}
}

// loginRetrying authenticates the next preset profile, asking again after
// the simulator's injected 503s (the retrieve below is under test, not this).
func loginRetrying(t *testing.T, e env) privicore.Secret {
	t.Helper()
	i := int(e.users.Add(1) - 1)
	for try := 0; try < 20; try++ {
		auth, err := e.c.Authenticate(ctxT(t), presetName(i), presetPassword)
		if err == nil {
			return auth.Token
		}
		if privicore.StatusOf(err) != 503 {
			t.Fatalf("authenticate: %v", err)
		}
	}
	t.Fatal("authenticate: 20 injected 503s in a row")
	return ""
}

// storeRetrying stores pt, starting over after any failure the faults
// cause (a command whose ack and request-status both failed, a 503).
func storeRetrying(t *testing.T, s *privicore.Session, key privicore.AESKey, pt []byte) string {
	for try := 0; try < 20; try++ {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		st, err := s.Store(ctx, privicore.StoreParams{Key: key, Plaintext: pt, Context: "faults"})
		cancel()
		if err == nil {
			return st.DataToken
		}
	}
	t.Error("store failed 20 times")
	return ""
}

// Issue 13: under dropped and duplicated acks, socket drops and 503s,
// request-data's message is lost often (its outcome cannot be reconciled
// through request-status); a retrieve of data that exists must still end
// in success within its deadline, by re-issuing request-data as often as
// the deadline allows (one re-issue left 8–12 % in ack timeout).
func TestEveryRetrieveOfStoredDataSucceedsUnderFaults(t *testing.T) {
	e := start(t, sim.Options{DropAckRate: 0.3, DuplicateAckRate: 0.3, WSDropEvery: 200 * time.Millisecond,
		HTTPErrorRate: 0.1, Seed: 13})
	s, err := e.c.OpenSession(ctxT(t), loginRetrying(t, e), privicore.SessionOptions{
		AckTimeout: 100 * time.Millisecond, ReconnectBackoff: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	key, _ := privicore.NewAESKey()
	sizes := []int{16, 100, 1000, 4000, 16, 100, 1000, 4000, 16, 100, 1000, 70 << 10} // the last one streamed
	payloads := make([][]byte, len(sizes))
	tokens := make([]string, len(sizes))
	var wg sync.WaitGroup
	for i, n := range sizes {
		payloads[i] = make([]byte, n)
		_, _ = rand.Read(payloads[i])
		wg.Go(func() { tokens[i] = storeRetrying(t, s, key, payloads[i]) })
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for i := range sizes {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			got, err := s.Retrieve(ctx, tokens[i], key)
			if err != nil || !bytes.Equal(got.Plaintext, payloads[i]) {
				t.Errorf("retrieve %d (%d bytes): %v, equal %v", i, sizes[i], err, bytes.Equal(got.Plaintext, payloads[i]))
			}
		})
	}
	wg.Wait()
	f := e.srv.Stats().Faults
	t.Logf("faults: %d dropped acks, %d duplicates, %d socket drops, %d 503s; %+v", f.DroppedAcks, f.DuplicateAcks, f.WSDrops, f.HTTPErrors, s.Stats())
}
