package sim_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// fixture is a simulator with one profile joined on one socket.
type fixture struct {
	srv   *sim.Server
	a     *api
	token string
	ws    *socket
}

func newFixture(t *testing.T, opts sim.Options) *fixture {
	t.Helper()
	opts.PreJoinBufferTTL = -1
	opts.Users = append(opts.Users, sim.User{Name: "alice", Password: "pw"})
	srv := start(t, opts)
	a := newAPI(t, srv)
	f := &fixture{srv: srv, a: a}
	f.token = a.login("alice", "pw")
	f.ws = dial(t, srv)
	f.ws.join(f.token)
	return f
}

// command sends a command that succeeds unless a fault says otherwise.
func (f *fixture) command(t *testing.T) string {
	t.Helper()
	return commandID(t, f.a.post("/profile/change-password", f.token, url.Values{"currentPassword": {"pw"}, "newPassword": {"pw"}}))
}

// registerRaw sends register-profile without waiting.
func (f *fixture) registerRaw(name string) reply {
	return f.a.post("/profile/register-profile", "", url.Values{"username": {name}, "password": {"pw"}})
}

func TestAckLatency(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	f := newFixture(t, sim.Options{AckLatency: sim.Latency{Min: 80 * time.Millisecond, Max: 120 * time.Millisecond}, Clock: clock})
	id := f.command(t)
	clock.Advance(80*time.Millisecond - time.Nanosecond)
	if got := f.a.statusWord(id, f.token); got != "started" {
		t.Fatalf("before the minimum latency the command is %s", got)
	}
	clock.advanceUntil(t, time.Millisecond, func() bool { return f.a.statusWord(id, f.token) != "started" })
	f.ws.ack(id)
}

func TestRejectRate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sim.Options{RejectRate: 1})
	id := f.command(t)
	if st, body := f.ws.ack(id); st != 3 || body != "sim.injected_rejection" {
		t.Fatalf("ack %d %v", st, body)
	}
	if got := f.a.pollStatus(id, f.token); got != "rejected" {
		t.Fatalf("request-status %s", got)
	}
	// A rejected registration releases the name.
	id = commandID(t, f.registerRaw("bob"))
	f.a.pollStatus(id, "")
	want(t, f.registerRaw("bob"), 202)
	if st := f.srv.Stats(); st.Faults.Rejections < 2 || st.Operations["change-password"].Faults != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestDropAckRate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sim.Options{DropAckRate: 1})
	id := f.command(t)
	if got := f.a.pollStatus(id, f.token); got != "succeeded" {
		t.Fatalf("request-status %s", got)
	}
	f.ws.quiet(100 * time.Millisecond)
	if st := f.srv.Stats(); st.Faults.DroppedAcks == 0 || st.Operations["change-password"].Acks != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestDuplicateAckRate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sim.Options{DuplicateAckRate: 1})
	id := f.command(t)
	f.ws.ack(id)
	f.ws.ack(id)
	if st := f.srv.Stats(); st.Operations["change-password"].Acks != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestHTTPErrorRate(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{HTTPErrorRate: 1})
	a := newAPI(t, srv)
	want(t, a.get("/health", ""), 503)
	want(t, a.post("/profile/register-profile", "", url.Values{"username": {"a"}, "password": {"b"}}), 503)
	if st := srv.Stats(); st.Faults.HTTPErrors != 2 || st.Commands != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestWSDropEvery(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sim.Options{WSDropEvery: 100 * time.Millisecond})
	select {
	case <-f.ws.done:
	case <-time.After(waitLimit):
		t.Fatal("joined socket not dropped")
	}
	if f.srv.Stats().Faults.WSDrops == 0 {
		t.Fatal("no drop counted")
	}
}

// TestStallFor: the held command stays started, then acks after StallFor.
func TestStallFor(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	f := newFixture(t, sim.Options{Stall: sim.Stall{Hold: 1, Every: 1}, StallFor: 200 * time.Millisecond, Clock: clock})
	id := f.command(t)
	clock.Advance(200*time.Millisecond - time.Nanosecond)
	if got := f.a.statusWord(id, f.token); got != "started" {
		t.Fatalf("held command is %s before StallFor", got)
	}
	clock.advanceUntil(t, time.Millisecond, func() bool { return f.a.statusWord(id, f.token) != "started" })
	f.ws.ack(id)
}

// TestStallUntilClose: Hold 1 of 2 is held until Close, which reports it
// as rejected on the socket before closing it with 1001.
func TestStallUntilClose(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sim.Options{Stall: sim.Stall{Hold: 1, Every: 2}})
	ids := []string{f.command(t), f.command(t)}
	var held string
	for _, id := range ids {
		var words []string
		f.a.pollStatusOnce(id, f.token).json(t, &words)
		if words[0] == "started" {
			held = id
		}
	}
	if held == "" {
		t.Fatal("no command held")
	}
	f.srv.Close()
	if st, body := f.ws.ack(held); st != 3 || body != "sim.shutting_down" {
		t.Fatalf("held ack at close %d %v", st, body)
	}
	<-f.ws.done
	if !isClose(f.ws.err, 1001) {
		t.Fatalf("socket closed with %v, want 1001", f.ws.err)
	}
	if f.srv.Stats().Faults.StalledAcks != 1 {
		t.Fatalf("stats %+v", f.srv.Stats())
	}
}

// TestStallInTime: with --stall 700ms/3s, a command accepted inside a
// window is acked exactly when it closes, none before; one accepted
// between windows is acked at once; each held ack counts as a stall.
func TestStallInTime(t *testing.T) {
	t.Parallel()
	clock := newFakeClock() // the windows count from Start: [0, 700ms), [3s, 3.7s), …
	const hold = 700 * time.Millisecond
	f := newFixture(t, sim.Options{Stall: sim.Stall{HoldFor: hold, Period: 3 * time.Second}, Clock: clock})
	acks := func() int64 { return f.srv.Stats().Operations["change-password"].Acks }
	// heldUntilTheEnd: command id, accepted as a window opened with base
	// acks published, is not acked until the window's last nanosecond
	// has passed, then is.
	heldUntilTheEnd := func(id string, armed int, base int64) {
		t.Helper()
		clock.waitArmed(t, hold, armed) // the pipeline's timer waits for the window's end
		clock.Advance(hold - time.Nanosecond)
		if got := f.a.statusWord(id, f.token); got != "started" || acks() != base {
			t.Fatalf("inside the window: command %s, %d acks published since it opened; want started and none", got, acks()-base)
		}
		clock.Advance(time.Nanosecond)
		if st, body := f.ws.ack(id); st != 2 {
			t.Fatalf("ack at the window's end: %d %v", st, body)
		}
	}
	heldUntilTheEnd(f.command(t), 0, 0)           // at 0s
	if st, _ := f.ws.ack(f.command(t)); st != 2 { // at 700ms: between windows, with the clock standing still
		t.Fatalf("ack between windows: %d", st)
	}
	base := acks()
	clock.Advance(3*time.Second - hold) // to 3s: the second window opens
	heldUntilTheEnd(f.command(t), 1, base)
	if got := f.srv.Stats().Faults.StalledAcks; got != 2 {
		t.Fatalf("stalled acks %d, want the 2 accepted inside windows", got)
	}
}

// TestAckBeforeResponse: the ack is already published when the 202 arrives.
func TestAckBeforeResponse(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sim.Options{AckBeforeResponse: true, AckLatency: sim.Latency{Min: time.Second, Max: time.Second}})
	f.command(t)
	if got := f.srv.Stats().Operations["change-password"].Acks; got != 1 {
		t.Fatalf("acks published before the response: %d", got)
	}
}

func TestCommandIDShapes(t *testing.T) {
	t.Parallel()
	for shape, first := range map[string]byte{"array": '[', "": '[', "string": '"', "object": '{'} {
		srv := start(t, sim.Options{CommandIDShape: shape})
		r := newAPI(t, srv).registerRawNamed("x")
		if r.status != 202 || r.body[0] != first || r.header.Get("X-Dpt-Cab-Id") == "" {
			t.Errorf("shape %q: %d %s", shape, r.status, r.body)
		}
	}
	srv := start(t, sim.Options{CommandIDShape: "mixed"})
	a := newAPI(t, srv)
	seen := map[byte]bool{}
	for i := range 30 {
		r := a.registerRawNamed("u" + string(rune('a'+i)))
		commandID(t, r)
		seen[r.body[0]] = true
	}
	if len(seen) != 3 {
		t.Fatalf("mixed shapes produced only %v", seen)
	}
}

// TestSeedDeterminism: the same seed and the same requests give the same
// decisions; another seed gives others.
func TestSeedDeterminism(t *testing.T) {
	t.Parallel()
	run := func(seed int64) []string {
		f := newFixture(t, sim.Options{Seed: seed, RejectRate: 0.5, CommandIDShape: "mixed"})
		var out []string
		for range 40 {
			r := f.a.post("/profile/change-password", f.token, url.Values{"currentPassword": {"pw"}, "newPassword": {"pw"}})
			out = append(out, string(r.body[0])+f.a.pollStatus(commandID(t, r), f.token))
		}
		return out
	}
	a, b, c := run(7), run(7), run(8)
	if !slices.Equal(a, b) {
		t.Fatalf("seed 7 twice:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Fatal("seeds 7 and 8 decided the same 40 times")
	}
}

func TestOptionsValidation(t *testing.T) {
	t.Parallel()
	for _, o := range []sim.Options{
		{RejectRate: -0.1}, {DropAckRate: 2}, {CommandIDShape: "xml"},
		{AckLatency: sim.Latency{Min: 2, Max: 1}}, {Stall: sim.Stall{Hold: 3, Every: 2}},
		{Users: []sim.User{{Name: "a", Password: ""}}}, {Users: []sim.User{{"a", "x"}, {"a", "y"}}},
		{WSDropEvery: -1}, {APIAddr: "256.0.0.1:http"},
	} {
		if srv, err := sim.Start(o); err == nil {
			srv.Close()
			t.Errorf("Start(%+v) accepted", o)
		}
	}
}

func TestParseLatencyAndStall(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]sim.Latency{"5ms": {5e6, 5e6}, "2ms..20ms": {2e6, 20e6}, " 0s ": {}} {
		if got, err := sim.ParseLatency(in); err != nil || got != want {
			t.Errorf("ParseLatency(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "fast", "20ms..2ms", "-1ms", "1ms..x"} {
		if _, err := sim.ParseLatency(bad); err == nil {
			t.Errorf("ParseLatency(%q) accepted", bad)
		}
	}
	for in, want := range map[string]sim.Stall{"1/10": {Hold: 1, Every: 10}, "0/1": {Every: 1}, "3/3": {Hold: 3, Every: 3},
		"1s/5s": {HoldFor: time.Second, Period: 5 * time.Second}, " 250ms / 1s ": {HoldFor: 250 * time.Millisecond, Period: time.Second}} {
		got, err := sim.ParseStall(in)
		if err != nil || got != want {
			t.Errorf("ParseStall(%q) = %+v, %v; want %+v", in, got, err, want)
		}
		if back, err := sim.ParseStall(got.String()); err != nil || back != got {
			t.Errorf("ParseStall(%q.String() = %q) = %+v, %v", in, got.String(), back, err)
		}
	}
	for _, bad := range []string{"", "1", "a/b", "3/2", "1/0", "-1/2", "1s", "1s/1s", "2s/1s", "0s/5s", "-1s/5s", "1s/0s", "1/5s", "1s/5", "1s/-5s"} {
		_, err := sim.ParseStall(bad)
		if err == nil {
			t.Errorf("ParseStall(%q) accepted", bad)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "1/10") && !strings.Contains(msg, "1s/5s") && !strings.Contains(msg, "EVERY") {
			t.Errorf("ParseStall(%q): %q names no expected form", bad, msg)
		}
	}
	for _, st := range []sim.Stall{{Hold: 1, Every: 2, HoldFor: time.Second, Period: 2 * time.Second}, {HoldFor: time.Second}, {Period: time.Second}} {
		if err := (sim.Options{Stall: st}).Validate(); err == nil {
			t.Errorf("Validate accepted stall %+v", st)
		}
	}
}

// TestInlineThreshold: at the threshold inline, one byte above streamed.
func TestInlineThreshold(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sim.Options{InlineThreshold: 64})
	small, big := make([]byte, 64), make([]byte, 65)
	for _, blob := range [][]byte{small, big} {
		dtk := store(t, f.a, f.ws, f.token, blob)
		r := f.a.post("/data-token/request-data", f.token, url.Values{"token": {dtk}})
		d := f.ws.event("X-DPT-CAB-REQUEST-ID", r.header.Get("x-dpt-cab-request-id"))
		if wantType := float64(len(blob) / 65); d["output_type"] != wantType {
			t.Errorf("%d bytes: output_type %v", len(blob), d["output_type"])
		}
	}
}

// TestIDsAreNotDerivedFromTheSeed: two simulators with the same seed
// decide the same faults but hand out different ids, so that the seed,
// recoverable from the decisions, tells nothing of another profile's
// command ids (issue 13).
func TestIDsAreNotDerivedFromTheSeed(t *testing.T) {
	t.Parallel()
	first := func() string {
		f := newFixture(t, sim.Options{Seed: 7})
		return f.command(t)
	}
	a, b := first(), first()
	if a[19:] == b[19:] { // after the timestamp and counter: the random part
		t.Fatalf("the same seed gave the same id tail twice: %s, %s", a, b)
	}
}
