package privicore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

// Tests of the client against the simulator's fidelity switches: the
// site's reading of output_type 1, a status 1 before every terminal ack,
// round-robin delivery across sockets of one profile, and the storage
// prerequisite.

// TestSiteOutputTypeFromTheSimulator: with the site's reading (body = the
// full download URL, no STREAM-READY) a streamed retrieve settles on that
// message, downloads the URL as given, and is asked once.
func TestSiteOutputTypeFromTheSimulator(t *testing.T) {
	e := start(t, sim.Options{OutputTypeMode: sim.OutputTypeSite, InlineThreshold: 1024})
	s := e.session(t, privicore.SessionOptions{AckTimeout: 2 * time.Second})
	ctx := ctxT(t)
	key, _ := privicore.NewAESKey()
	for _, size := range []int{13, 5000} {
		pt := bytes.Repeat([]byte("site!"), size/5+1)[:size]
		st, err := s.Store(ctx, privicore.StoreParams{Key: key, Plaintext: pt, Context: "c", FileName: "f", Extension: "txt"})
		if err != nil {
			t.Fatalf("store %d: %v", size, err)
		}
		began := time.Now()
		got, err := s.Retrieve(ctx, st.DataToken, key)
		if err != nil || !bytes.Equal(got.Plaintext, pt) {
			t.Fatalf("retrieve %d: %v", size, err)
		}
		if streamed := size > 1000; got.Request.Streamed() != streamed || time.Since(began) > time.Second {
			t.Fatalf("size %d: streamed=%v after %v; want %v without an ack timeout", size, got.Request.Streamed(), time.Since(began), streamed)
		}
	}
	requests := e.srv.Stats().Operations["request-data"].Requests
	if st := s.Stats(); requests != 2 || st.Duplicates != 0 || st.Orphans != 0 {
		t.Fatalf("%d request-data calls, stats %+v; want 2 and no duplicates", requests, st)
	}
}

// TestPendingStatusIsIgnoredUntilTheTerminalAck: with a status 1 before
// every terminal message, commands (including rejected ones) and requests
// settle on the terminal one, never on the 1.
func TestPendingStatusIsIgnoredUntilTheTerminalAck(t *testing.T) {
	e := start(t, sim.Options{EmitPendingStatus: true, AckLatency: sim.Latency{Max: 5 * time.Millisecond}})
	s := e.session(t, privicore.SessionOptions{AckTimeout: 2 * time.Second})
	ctx := ctxT(t)
	for _, a := range reserveMany(t, s, 20) {
		if a.Message.CommandStatus != privicore.StatusSucceeded || a.Reconciled {
			t.Fatalf("reserve settled on %v (reconciled %v); want the terminal 2 from the socket", a.Message, a.Reconciled)
		}
	}
	_, err := s.ChangePassword(ctx, "not the password", "new password 1!")
	var rej *privicore.CommandRejectedError
	if !errors.As(err, &rej) || rej.Reason != "profile.invalid_password" {
		t.Fatalf("change-password with a wrong password: %v; want rejected profile.invalid_password", err)
	}
	key, _ := privicore.NewAESKey()
	st, err := s.Store(ctx, privicore.StoreParams{Key: key, Plaintext: []byte("pending first"), Context: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Retrieve(ctx, st.DataToken, key); err != nil || string(got.Plaintext) != "pending first" {
		t.Fatalf("retrieve: %v", err)
	}
	if sst := s.Stats(); sst.Ignored < 20 || sst.Reconciled != 0 || sst.Duplicates != 0 {
		t.Fatalf("stats %+v; want the status-1 messages ignored and nothing reconciled", sst)
	}
}

// TestRoundRobinAcksReachTheirCallerThroughReconciliation: two sessions on
// one profile, and each ack goes to one socket in turn, so about half land
// on the other session. Every command still settles — the misrouted ones
// through request-status after AckTimeout — and each caller gets its own
// outcome: successes succeed, the wrong-password change is rejected.
func TestRoundRobinAcksReachTheirCallerThroughReconciliation(t *testing.T) {
	e := start(t, sim.Options{Fanout: sim.FanoutRoundRobin})
	ctx := ctxT(t)
	var sessions [2]*privicore.Session
	for i := range sessions {
		auth, err := e.c.Authenticate(ctx, presetName(0), presetPassword)
		if err != nil {
			t.Fatal(err)
		}
		if sessions[i], err = e.c.OpenSession(ctx, auth.Token, privicore.SessionOptions{AckTimeout: 150 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		defer sessions[i].Close()
	}
	const perSession = 12
	var wg sync.WaitGroup
	errs := make(chan error, 2*perSession)
	for _, s := range sessions {
		for i := range perSession {
			wg.Go(func() { errs <- oneOutcome(ctx, s, i%3 == 0) })
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	var reconciled uint64
	for _, s := range sessions {
		st := s.Stats()
		if st.Delivered != perSession || st.Duplicates != 0 {
			t.Errorf("session stats %+v: want %d delivered (reconciled ones included), no duplicates", st, perSession)
		}
		reconciled += st.Reconciled
	}
	if reconciled == 0 {
		t.Fatal("no ack landed on the other session: round-robin not exercised")
	}
}

// oneOutcome runs one command on s and checks it got its own outcome: a
// reservation succeeds, a change with a wrong password is rejected (the
// reason is "rejected" when learned through request-status, which carries
// none).
func oneOutcome(ctx context.Context, s *privicore.Session, wrongPassword bool) error {
	if !wrongPassword {
		ack, err := s.ReserveTokenSpace(ctx, privicore.ReserveParams{Context: "c"})
		if err != nil || ack.Message.CommandStatus != privicore.StatusSucceeded {
			return fmt.Errorf("reserve: %v (%v)", err, ack.Message)
		}
		return nil
	}
	ack, err := s.ChangePassword(ctx, "not the password", "new password 1!")
	var rej *privicore.CommandRejectedError
	if !errors.As(err, &rej) || rej.CommandID != ack.CommandID ||
		(rej.Reason != "profile.invalid_password" && rej.Reason != "rejected") {
		return fmt.Errorf("change-password with a wrong password: %v; want its own rejection", err)
	}
	return nil
}

// TestStorageDeviceRequirementIsARejection: with the storage prerequisite
// on, a store of a profile with no storage device fails with a
// *CommandRejectedError storage.no_device, and works once one is registered.
func TestStorageDeviceRequirementIsARejection(t *testing.T) {
	e := start(t, sim.Options{RequireStorageDevice: true})
	s := e.session(t, privicore.SessionOptions{})
	ctx := ctxT(t)
	key, _ := privicore.NewAESKey()
	params := privicore.StoreParams{Key: key, Plaintext: []byte("needs a device"), Context: "c"}
	_, err := s.Store(ctx, params)
	var rej *privicore.CommandRejectedError
	if !errors.As(err, &rej) || rej.Reason != "storage.no_device" || rej.Op != "exchange-data-for-token" {
		t.Fatalf("store without a storage device: %v; want exchange-data-for-token rejected storage.no_device", err)
	}
	ack, err := s.RequestUniqueIdentifier(ctx, "nas")
	if err != nil {
		t.Fatal(err)
	}
	dev, err := s.RetrieveUniqueIdentifier(ctx, ack.CommandID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApproveDevice(ctx, dev.DeviceIdentifier); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegisterStorageDevice(ctx, dev.DeviceIdentifier); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store(ctx, params); err != nil {
		t.Fatalf("store with a storage device: %v", err)
	}
}
