package privicore

import (
	"context"
	"testing"
)

// pendingFor registers a command waiter for id on a fresh socket-less
// session value (the read loop's side is played by dispatch).
func pendingFor(t *testing.T, id string) *Pending {
	t.Helper()
	s := (&Client{}).newSession("T-x", SessionOptions{}, false)
	t.Cleanup(s.cancel)
	p := &Pending{s: s, op: "reserve-token-space", id: id, w: newWaiter(true)}
	p.ack.CommandID = id
	if !s.corr.register(id, &p.w) {
		t.Fatal("register failed")
	}
	return p
}

// An outcome the correlator delivered (and counted) must reach the caller
// even when its ctx ended or the session died at the same moment: select
// picks among ready cases at random, so a lost outcome shows within a few
// of the rounds below.
func TestWaitReturnsAnArrivedOutcomeAlthoughCtxEndedOrSessionDied(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for i := range 100 {
		p := pendingFor(t, "c-1")
		p.s.corr.dispatch(ack("c-1", StatusSucceeded))
		ctx := cancelled
		if i%2 == 1 {
			ctx = context.Background()
			p.s.fail(ErrSessionClosed)
		}
		if got, err := p.Wait(ctx); err != nil || got.Message.ID != "c-1" {
			t.Fatalf("round %d: Wait = %v, %v; want the delivered outcome", i, got.Message, err)
		}
	}
}

func TestWaitingTwiceReturnsTheFirstOutcome(t *testing.T) {
	p := pendingFor(t, "c-2")
	p.s.corr.dispatch(ack("c-2", StatusRejected))
	first, err1 := p.Wait(context.Background())
	second, err2 := p.Wait(context.Background())
	if err1 == nil || err1 != err2 || first.Message.ID != "c-2" || second.Message != first.Message {
		t.Fatalf("first %v %v, second %v %v: want the same rejection twice", first.Message, err1, second.Message, err2)
	}
	if st := p.s.corr.snapshot(); st.Delivered != 1 {
		t.Fatalf("stats %+v, want one delivery", st)
	}
}
