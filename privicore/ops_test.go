package privicore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

func TestUtilityOperations(t *testing.T) {
	e := start(t, sim.Options{})
	ctx := ctxT(t)
	h, err := e.c.CheckServerHealth(ctx)
	if err != nil || h.Status != "ok" || h.HTTP() <= 0 {
		t.Fatalf("health: %+v %v", h, err)
	}
	s := e.session(t, privicore.SessionOptions{})
	ack, err := s.ReserveTokenSpace(ctx, privicore.ReserveParams{Context: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := e.c.RequestStatus(ctx, ack.CommandID, s.Token()); err != nil || !st.Succeeded() {
		t.Fatalf("request-status with the token: %+v %v", st, err)
	}
	// Without a token only register-profile's commands are answered.
	if _, err := e.c.RequestStatus(ctx, ack.CommandID, ""); privicore.StatusOf(err) != 404 {
		t.Fatalf("request-status of a session's command without a token: %v, want 404", err)
	}
	if _, err := e.c.RequestStatus(ctx, "00000000-0000-0000-0000-000000000000", ""); privicore.StatusOf(err) != 404 {
		t.Fatalf("unknown id: %v, want 404", err)
	}
}

func TestProfileProvisioningAndOperations(t *testing.T) {
	e := start(t, sim.Options{})
	ctx := ctxT(t)
	name, pass, tok := e.profile(t)
	if _, err := e.c.RegisterProfile(ctx, name, pass); privicore.StatusOf(err) != 409 {
		t.Fatalf("second registration: %v, want 409", err)
	}
	if _, err := e.c.Authenticate(ctx, name, "wrong password"); !privicore.IsUnauthorized(err) {
		t.Fatalf("bad password: %v, want 401", err)
	}
	s, err := e.c.OpenSession(ctx, tok, privicore.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if id, err := s.RetrieveProfileID(ctx); err != nil || id.ProfileID == "" {
		t.Fatalf("profile id: %+v %v", id, err)
	}
	if exp, err := s.RetrieveTokenExpiry(ctx); err != nil || !exp.ExpiresAt.After(time.Now()) {
		t.Fatalf("expiry: %+v %v", exp, err)
	}
	if qr, err := s.GenerateQRToken(ctx); err != nil || qr.Token == "" {
		t.Fatalf("qr: %v %v", qr.Token != "", err)
	}
	next := privicore.Secret("another long passphrase 2?")
	if _, err := s.ChangePassword(ctx, pass, next); err != nil {
		t.Fatalf("change password: %v", err)
	}
	if _, err := e.c.Authenticate(ctx, name, pass); !privicore.IsUnauthorized(err) {
		t.Fatalf("old password after change: %v, want 401", err)
	}
	if _, err := e.c.Authenticate(ctx, name, next); err != nil {
		t.Fatalf("new password: %v", err)
	}
	re, err := s.ReauthorizeAuthorizationToken(ctx, 86400)
	if err != nil || (!re.Async && re.Token == "") {
		t.Fatalf("reauthorize: %+v %v", re.Async, err)
	}
	if !re.Async {
		s2 := e.c.PollingSession(re.Token, privicore.SessionOptions{})
		if _, err := s2.RetrieveProfileID(ctx); err != nil {
			t.Fatalf("new token from reauthorize: %v", err)
		}
	}
}

func TestChangePasswordWithAWrongCurrentPasswordIsRejected(t *testing.T) {
	e := start(t, sim.Options{})
	s := e.session(t, privicore.SessionOptions{})
	_, err := s.ChangePassword(ctxT(t), "not the password", "some new passphrase 3#")
	var re *privicore.CommandRejectedError
	if !errors.As(err, &re) || re.Reason == "" {
		t.Fatalf("err = %v, want a rejection with a reason", err)
	}
	t.Logf("reason: %s", re.Reason)
}

func TestPublicKeyOperations(t *testing.T) {
	e := start(t, sim.Options{})
	ctx := ctxT(t)
	g, err := e.c.GenerateKeys(ctx)
	if err != nil || len(g.SignedPublicKey) != privicore.SignedKeyHex || g.PrivateKey == "" {
		t.Fatalf("generate-keys: %v", err)
	}
	_, _, tok := e.profile(t) // registers a key
	s := e.c.PollingSession(tok, privicore.SessionOptions{})
	mine, err := s.RetrievePublicKey(ctx)
	if err != nil || len(mine.Signed) != privicore.SignedKeyHex {
		t.Fatalf("retrieve-public-key: %v", err)
	}
	cab, err := s.RetrieveCABPublicKey(ctx)
	if err != nil || cab.Key == mine.Key {
		t.Fatalf("retrieve-cab-public-key: %v (same as mine: %v)", err, cab.Key == mine.Key)
	}
	if _, err := s.RegisterPublicKey(ctx, "31420500"); !errors.Is(err, privicore.ErrInvalidInput) {
		t.Fatalf("malformed key: %v, want ErrInvalidInput before sending", err)
	}
}

func TestDataTokenMetadataListUpdateAndDelete(t *testing.T) {
	e := start(t, sim.Options{})
	s := e.session(t, privicore.SessionOptions{})
	ctx := ctxT(t)
	key, _ := privicore.NewAESKey()
	st, err := s.Store(ctx, privicore.StoreParams{Key: key, Plaintext: []byte("hello"), Context: "ctx-a", FileName: "hello", Extension: "txt"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ConfigureInformationSecurityRiskMeta(ctx, st.DataToken, map[string]string{"classification": "confidential", "retentionDays": "365"}); err != nil {
		t.Fatalf("isr meta: %v", err)
	}
	if _, err := s.UpdateDataToken(ctx, privicore.UpdateDataTokenParams{Token: st.DataToken, FileName: "renamed"}); err != nil {
		t.Fatalf("update: %v", err)
	}
	list, err := s.ListDataTokens(ctx, 1, 10)
	if err != nil || len(list.Items) != 1 || list.Items[0].Token != st.DataToken || list.Items[0].FileName != "renamed" {
		t.Fatalf("list: %+v %v", list.Items, err)
	}
	if _, err := s.DeleteData(ctx, st.DataToken); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := s.RequestData(ctx, st.DataToken); privicore.StatusOf(err) != 404 {
		t.Fatalf("request-data after delete: %v, want 404", err)
	}
}

func TestUnsettledReservationIsNotFound(t *testing.T) {
	e := start(t, sim.Options{})
	s := e.session(t, privicore.SessionOptions{})
	if _, err := s.RetrieveTemporaryDataToken(ctxT(t), "00000000-0000-0000-0000-000000000000"); privicore.StatusOf(err) != 404 {
		t.Fatalf("err = %v, want 404", err)
	}
}

func TestPollingSessionRunsCommandsWithoutASocket(t *testing.T) {
	e := start(t, sim.Options{AckLatency: sim.Latency{Min: 5 * time.Millisecond, Max: 5 * time.Millisecond}})
	s := e.c.PollingSession(e.login(t), privicore.SessionOptions{PollInterval: 2 * time.Millisecond})
	ctx := ctxT(t)
	ack, err := s.ReserveTokenSpace(ctx, privicore.ReserveParams{Context: "c"})
	if err != nil || !ack.Reconciled || ack.Acked.Before(ack.Read) {
		t.Fatalf("polling reserve: %+v %v", ack, err)
	}
	if _, err := s.RequestData(ctx, "dtk-x"); !errors.Is(err, privicore.ErrNeedsSocket) {
		t.Fatalf("request-data without socket: %v, want ErrNeedsSocket", err)
	}
}

func TestBadInputIsAnErrorNotARequest(t *testing.T) {
	e := start(t, sim.Options{})
	s := e.c.PollingSession("T-unused", privicore.SessionOptions{})
	ctx := ctxT(t)
	checks := map[string]error{
		"reserve without context": func() error { _, err := s.ReserveTokenSpace(ctx, privicore.ReserveParams{}); return err }(),
		"negative ttl": func() error {
			_, err := s.ReserveTokenSpace(ctx, privicore.ReserveParams{Context: "c", TTL: -1})
			return err
		}(),
		"exchange of a too-short blob": func() error { _, err := s.ExchangeDataForToken(ctx, "tmp-1", []byte("x")); return err }(),
		"file meta without a name": func() error {
			_, err := s.ConfigureFileMeta(ctx, privicore.FileMeta{TemporaryToken: "tmp"})
			return err
		}(),
		"quorum of zero":             func() error { _, err := s.SetQuorumSize(ctx, 0); return err }(),
		"strategy percent above 100": func() error { _, err := s.SetQuorumStrategy(ctx, "consensus", 101); return err }(),
		"register without username":  func() error { _, err := e.c.RegisterProfile(ctx, "", "p"); return err }(),
		"download with nothing":      func() error { _, _, err := e.c.DownloadData(ctx, ""); return err }(),
		"a session request to another host": func() error {
			_, err := s.Submit(ctx, privicore.Request{Op: "x", Method: "GET", Path: "http://elsewhere.example/steal"})
			return err
		}(),
		"store with the zero key": func() error {
			_, err := s.Store(ctx, privicore.StoreParams{Plaintext: []byte("x"), Context: "c"})
			return err
		}(),
	}
	for why, err := range checks {
		if !errors.Is(err, privicore.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", why, err)
		}
	}
	bad := privicore.New(privicore.Options{APIURL: "::not a url"})
	if _, err := bad.CheckServerHealth(ctx); !errors.Is(err, privicore.ErrInvalidInput) {
		t.Errorf("bad API URL: %v", err)
	}
}

func TestWaitCommandReturnsAnErrorThatPollingCannotCure(t *testing.T) {
	e := start(t, sim.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	acc, err := e.c.RegisterProfile(ctx, "user-wait", "a long enough passphrase 5!")
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	_, err = e.c.WaitCommand(ctx, acc.CommandID, "T-not-a-token", time.Millisecond)
	if !privicore.IsUnauthorized(err) || time.Since(began) > time.Second {
		t.Fatalf("bogus token: %v after %v, want a 401 at once", err, time.Since(began))
	}
	if _, err := e.c.WaitCommand(ctx, "", "", time.Millisecond); !errors.Is(err, privicore.ErrInvalidInput) {
		t.Fatalf("empty id: %v", err)
	}
}
