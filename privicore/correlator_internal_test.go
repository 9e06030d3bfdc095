package privicore

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

func ack(id string, status int) Message {
	return Message{Type: TypeCommandStatus, ID: id, CommandStatus: status, Arrived: time.Now()}
}

func commandWaiter() *waiter { w := newWaiter(true); return &w }

func requestWaiter() *waiter { w := newWaiter(false); return &w }

func received(t *testing.T, w *waiter) Message {
	t.Helper()
	select {
	case <-w.done:
		return w.msg
	case <-time.After(time.Second):
		t.Fatal("waiter got nothing")
		return Message{}
	}
}

func TestCorrelatorDeliversToTheWaiterOfTheID(t *testing.T) {
	c := newCorrelator(time.Second, 10, 10)
	a, b := commandWaiter(), commandWaiter()
	c.register("a", a)
	c.register("b", b)
	c.dispatch(ack("b", StatusRejected))
	c.dispatch(ack("a", StatusSucceeded))
	if m := received(t, a); m.ID != "a" || m.CommandStatus != StatusSucceeded {
		t.Fatalf("a got %v", m)
	}
	if m := received(t, b); m.ID != "b" || m.CommandStatus != StatusRejected {
		t.Fatalf("b got %v", m)
	}
}

func TestCorrelatorKeepsAnAckThatArrivesBeforeItsWaiter(t *testing.T) {
	c := newCorrelator(time.Second, 10, 10)
	c.dispatch(ack("x", StatusSucceeded))
	w := commandWaiter()
	c.register("x", w)
	if m := received(t, w); m.ID != "x" {
		t.Fatalf("got %v", m)
	}
	if s := c.snapshot(); s.Early != 1 || s.Delivered != 1 || s.Orphans != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestCorrelatorCountsAndDropsDuplicates(t *testing.T) {
	c := newCorrelator(time.Second, 10, 10)
	w := commandWaiter()
	c.register("x", w)
	c.dispatch(ack("x", StatusSucceeded))
	c.dispatch(ack("x", StatusSucceeded))
	c.dispatch(ack("y", StatusSucceeded)) // early
	c.dispatch(ack("y", StatusSucceeded)) // duplicate of an early one
	received(t, w)
	if s := c.snapshot(); s.Duplicates != 2 || s.Delivered != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestCorrelatorIgnoresPendingStatusAndUnknownTypes(t *testing.T) {
	c := newCorrelator(time.Second, 10, 10)
	w := commandWaiter()
	c.register("x", w)
	c.dispatch(ack("x", StatusPending))
	c.dispatch(Message{Type: "TELEMETRY", ID: "x"})
	c.dispatch(ack("", StatusSucceeded))
	select {
	case <-w.done:
		t.Fatalf("non-terminal message delivered: %v", w.msg)
	default:
	}
	c.dispatch(ack("x", StatusSucceeded))
	received(t, w)
	if s := c.snapshot(); s.Ignored != 3 {
		t.Fatalf("stats %+v", s)
	}
}

func TestCorrelatorExpiresUnclaimedMessagesAsOrphans(t *testing.T) {
	c := newCorrelator(20*time.Millisecond, 10, 10)
	c.dispatch(ack("old", StatusSucceeded))
	time.Sleep(40 * time.Millisecond)
	c.tick(time.Now())
	w := commandWaiter()
	c.register("old", w)
	select {
	case <-w.done:
		t.Fatalf("expired message delivered: %v", w.msg)
	default:
	}
	if s := c.snapshot(); s.Orphans != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestCorrelatorBoundsUnclaimedMessagesByCount(t *testing.T) {
	c := newCorrelator(time.Minute, 3, 10)
	for i := range 5 {
		c.dispatch(ack(fmt.Sprint(i), StatusSucceeded))
	}
	if s := c.snapshot(); s.Orphans != 2 || len(c.early) != 3 {
		t.Fatalf("stats %+v, kept %d", s, len(c.early))
	}
	w := commandWaiter()
	c.register("4", w) // the newest survived
	received(t, w)
}

func TestCorrelatorMergesStreamReadyInEitherCorrelationForm(t *testing.T) {
	for _, early := range []bool{false, true} {
		c := newCorrelator(time.Second, 10, 10)
		w := requestWaiter()
		if !early {
			c.register("r", w)
		}
		c.dispatch(Message{Type: TypeRequestData, ID: "r", OutputType: OutputStreamed, Body: "dtok", DataContext: "ctx"})
		c.dispatch(Message{Type: TypeStreamReady, RequestID: "r", StreamURL: "http://h/?auth=dtok"})
		if early {
			c.register("r", w)
		}
		m := received(t, w)
		if m.Type != TypeStreamReady || m.Stream != "dtok" || m.DataContext != "ctx" || m.StreamURL == "" {
			t.Fatalf("early=%v: merged message %+v", early, m)
		}
	}
}

func TestCorrelatorCountsLateMessagesAfterAWaiterGaveUp(t *testing.T) {
	c := newCorrelator(time.Second, 10, 10)
	w := commandWaiter()
	c.register("x", w)
	c.withdraw("x", w)
	c.dispatch(ack("x", StatusSucceeded))
	if s := c.snapshot(); s.Late != 1 || s.Delivered != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestCorrelatorSettleDeliversOnlyToALiveWaiter(t *testing.T) {
	c := newCorrelator(time.Second, 10, 10)
	w := commandWaiter()
	c.register("x", w)
	if !c.settle("x", ack("x", StatusSucceeded)) || c.settle("x", ack("x", StatusSucceeded)) {
		t.Fatal("settle should succeed once")
	}
	received(t, w)
	if ids := c.pendingCommands(); len(ids) != 0 {
		t.Fatalf("pending after settle: %v", ids)
	}
}

func TestCorrelatorRefusesASecondWaiterForOneID(t *testing.T) {
	c := newCorrelator(time.Second, 10, 10)
	if !c.register("x", commandWaiter()) || c.register("x", commandWaiter()) {
		t.Fatal("second register of one id must fail")
	}
}

// BenchmarkCorrelatorDispatch measures one message's path through the read
// loop's work: decode the frame, route it, and the waiter receiving it.
func BenchmarkCorrelatorDispatch(b *testing.B) {
	const n = 1 << 16
	ids := make([]string, n)
	frames := make([][]byte, n)
	for i := range n {
		ids[i] = fmt.Sprintf("0196f2a4-5b1c-7e3a-9d10-%012x", i)
		frames[i] = fmt.Appendf(nil, `{"data":{"type":"X-DPT-CAB-ID","id":"%s","command_status":2,"body":"Command completed successfully"}}`, ids[i])
	}
	c := newCorrelator(time.Second, 10000, 0)
	w := commandWaiter()
	var env wireEnvelope
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i & (n - 1)
		c.register(ids[j], w)
		if decodeFrame(frames[j], &env) {
			c.dispatch(env.message(time.Now()))
		}
		<-w.done
	}
}

// BenchmarkCorrelatorRoute is the routing alone (no JSON decoding).
func BenchmarkCorrelatorRoute(b *testing.B) {
	const n = 1 << 16
	msgs := make([]Message, n)
	for i := range n {
		msgs[i] = ack(fmt.Sprintf("id-%d", i), StatusSucceeded)
	}
	c := newCorrelator(time.Second, 10000, 0)
	w := commandWaiter()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := msgs[i&(n-1)]
		c.register(m.ID, w)
		c.dispatch(m)
		<-w.done
	}
}

func TestCorrelatorBoundsUnclaimedBodiesByBytes(t *testing.T) {
	c := newCorrelator(time.Minute, 100, 10)
	c.maxBytes = 25
	for i := range 4 {
		c.dispatch(Message{Type: TypeRequestData, ID: fmt.Sprint(i), CommandStatus: StatusSucceeded, Body: "0123456789"})
	}
	if s := c.snapshot(); s.Orphans != 2 || c.bytes != 20 {
		t.Fatalf("stats %+v, bytes held %d; want the two oldest evicted", s, c.bytes)
	}
	w := requestWaiter()
	c.register("3", w)
	if received(t, w).Body != "0123456789" || c.bytes != 10 {
		t.Fatalf("bytes held after a claim: %d", c.bytes)
	}
}

func TestCorrelatorSettlesACommandOnlyByItsCommandStatus(t *testing.T) {
	c := newCorrelator(time.Second, 10, 10)
	c.dispatch(Message{Type: TypeRequestData, ID: "x", CommandStatus: StatusSucceeded, Body: "aGk="}) // early, wrong kind
	w := commandWaiter()
	c.register("x", w)
	c.dispatch(Message{Type: TypeStreamReady, ID: "x", StreamURL: "http://h/?auth=t"})
	select {
	case <-w.done:
		t.Fatalf("a command waiter took a %s", w.msg.Type)
	default:
	}
	c.dispatch(ack("x", StatusSucceeded))
	if m := received(t, w); m.Type != TypeCommandStatus {
		t.Fatalf("got %v", m)
	}
	if s := c.snapshot(); s.Ignored != 2 || s.Delivered != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestCorrelatorRoutesStreamReadyByRequestIDBeforeID(t *testing.T) {
	c := newCorrelator(time.Second, 10, 10)
	w := requestWaiter()
	c.register("r", w)
	c.dispatch(Message{Type: TypeStreamReady, ID: "stream-7", RequestID: "r", StreamURL: "http://h/?auth=t"})
	if m := received(t, w); m.StreamURL == "" {
		t.Fatalf("got %v", m)
	}
}

func TestCorrelatorRemembersSettledIDsWithinItsBoundsOnly(t *testing.T) {
	c := newCorrelator(time.Minute, 10, 4)
	for i := range 6 {
		id := fmt.Sprint(i)
		c.register(id, commandWaiter())
		c.dispatch(ack(id, StatusSucceeded))
	}
	if len(c.done) != 4 || c.doneLen != 4 || len(c.doneRing) != 4 {
		t.Fatalf("remembers %d ids (ring %d of %d), want the last 4", len(c.done), c.doneLen, len(c.doneRing))
	}
	c.dispatch(ack("5", StatusSucceeded)) // remembered: a duplicate
	c.dispatch(ack("0", StatusSucceeded)) // forgotten: kept as early
	if s := c.snapshot(); s.Duplicates != 1 || s.Early != 1 {
		t.Fatalf("stats %+v, want 1 duplicate and 1 early", s)
	}
}

func TestCorrelatorForgetsSettledIDsAfterTheTTLAndReleasesTheirMemory(t *testing.T) {
	c := newCorrelator(time.Minute, 10, 0)
	for i := range 3000 {
		id := fmt.Sprint(i)
		c.register(id, commandWaiter())
		c.dispatch(ack(id, StatusSucceeded))
	}
	if len(c.done) != 3000 {
		t.Fatalf("remembers %d of 3000 fresh ids", len(c.done))
	}
	c.mu.Lock()
	c.sweep(time.Now().Add(2 * time.Minute)) // a sweep after the ttl, without waiting for it
	c.mu.Unlock()
	if len(c.done) != 0 || c.doneRing != nil {
		t.Fatalf("after the ttl: %d ids remembered, ring of %d kept", len(c.done), len(c.doneRing))
	}
}

// An idle session's correlator must cost what it holds (nothing), not its
// caps: allocated up front, its dedupe map and ring were 98.75 % of the
// heap of 10,000 idle sessions.
func TestANewCorrelatorIsSmall(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	keep := make([]*correlator, 100)
	for i := range keep {
		keep[i] = newCorrelator(0, 0, 0)
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / uint64(len(keep)); per > 4<<10 {
		t.Fatalf("a new correlator allocates %d bytes, want under 4 KiB", per)
	}
	runtime.KeepAlive(keep)
}

func TestCorrelatorTickSignalsOnlyWaitersPastTheirDeadline(t *testing.T) {
	c := newCorrelator(time.Minute, 10, 10)
	now := time.Now()
	late, fresh := commandWaiter(), commandWaiter()
	late.deadline, fresh.deadline = now.Add(-time.Millisecond), now.Add(time.Hour)
	c.register("late", late)
	c.register("fresh", fresh)
	if due := c.tick(now); !due.Equal(fresh.deadline) {
		t.Fatalf("tick says %v is due next, want the fresh waiter's deadline", due)
	}
	if m := received(t, late); !late.expired || late.settled || m.ID != "" {
		t.Fatalf("late waiter: expired %v settled %v msg %v", late.expired, late.settled, m)
	}
	select {
	case <-fresh.done:
		t.Fatal("a waiter before its deadline was signalled")
	default:
	}
	c.tick(now) // an expired waiter gets one token only
	select {
	case <-late.done:
		t.Fatal("an expired waiter was signalled twice")
	default:
	}
}

// A message arriving while an expired waiter asks request-status settles
// it without a second token; withdraw then returns it.
func TestCorrelatorSettlesAnExpiredWaiterThroughWithdraw(t *testing.T) {
	c := newCorrelator(time.Minute, 10, 10)
	w := commandWaiter()
	w.deadline = time.Now().Add(-time.Millisecond)
	c.register("x", w)
	c.tick(time.Now())
	<-w.done
	c.dispatch(ack("x", StatusSucceeded))
	select {
	case <-w.done:
		t.Fatal("an expired waiter got a second token")
	default:
	}
	if m, ok := c.withdraw("x", w); !ok || m.ID != "x" {
		t.Fatalf("withdraw = %v, %v; want the message that arrived", m, ok)
	}
	if s := c.snapshot(); s.Delivered != 1 || s.Late != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// The ring grows (64, then doubling, capped at doneMax) and then wraps,
// forgetting exactly the oldest ids, in order.
func TestCorrelatorRingOfSettledIDsGrowsThenWrapsInOrder(t *testing.T) {
	c := newCorrelator(time.Minute, 10, 100)
	for i := range 250 {
		c.remember(fmt.Sprint(i), false)
	}
	for i := range 250 {
		if _, kept := c.done[fmt.Sprint(i)]; kept != (i >= 150) {
			t.Fatalf("id %d remembered = %v with 250 settled and a cap of 100", i, kept)
		}
	}
	if len(c.doneRing) != 100 || c.doneLen != 100 {
		t.Fatalf("ring of %d holding %d, want 100 of 100", len(c.doneRing), c.doneLen)
	}
}
