package sim_test

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pcflow/pcflow/sim"
)

// TestJoinWithBadTokenReceivesNothing: a refused join gets a 401 reply,
// the socket stays open, and nothing arrives until a valid join.
func TestJoinWithBadTokenReceivesNothing(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{PreJoinBufferTTL: -1})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	ws := dial(t, srv)
	ws.send(map[string]any{"action": "joinChannel", "correlationId": "c-1", "data": map[string]any{"authorizationToken": "T-forged"}})
	m := ws.next()
	if m["status"] != float64(401) || m["correlationId"] != "c-1" {
		t.Fatalf("bad join reply %v", m)
	}
	id := commandID(t, a.post("/profile/change-password", token, url.Values{"currentPassword": {"pw-alice"}, "newPassword": {"pw-alice"}}))
	a.pollStatus(id, token)
	ws.quiet(100 * time.Millisecond)
	ws.join(token)
	id = commandID(t, a.post("/profile/change-password", token, url.Values{"currentPassword": {"pw-alice"}, "newPassword": {"pw-alice"}}))
	ws.ack(id)
}

// TestJoinLeaveForms: correlationId inside data is echoed; leave works by
// channelId and by token; after leaving nothing arrives.
func TestJoinLeaveForms(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{PreJoinBufferTTL: -1})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	ws := dial(t, srv)
	ws.send(map[string]any{"action": "joinChannel", "data": map[string]any{"authorizationToken": token, "correlationId": "c-2"}})
	m := ws.next()
	data, _ := m["data"].(map[string]any)
	if m["status"] != float64(200) || m["correlationId"] != "c-2" || data["message"] != "Successfully joined profile channel." {
		t.Fatalf("join reply %v", m)
	}
	ws.send(map[string]any{"action": "leaveChannel", "data": map[string]any{"channelId": "chn-other"}})
	if m := ws.next(); m["status"] != float64(404) {
		t.Fatalf("leave of a foreign channel: %v", m)
	}
	ws.send(map[string]any{"action": "leaveChannel", "data": map[string]any{"channelId": data["channelId"]}})
	if m := ws.next(); m["status"] != float64(200) {
		t.Fatalf("leave by channelId: %v", m)
	}
	id := commandID(t, a.post("/profile/change-password", token, url.Values{"currentPassword": {"x"}, "newPassword": {"y"}}))
	a.pollStatus(id, token)
	ws.quiet(100 * time.Millisecond)
	ws.join(token)
	ws.send(map[string]any{"action": "leaveChannel", "data": map[string]any{"authorizationToken": token}})
	if m := ws.next(); m["status"] != float64(200) {
		t.Fatalf("leave by token: %v", m)
	}
	ws.send(map[string]any{"action": "ping"})
	if m := ws.next(); m["status"] != float64(200) {
		t.Fatalf("ping: %v", m)
	}
}

// TestPreJoinBuffer: an ack published before the join is flushed on join.
func TestPreJoinBuffer(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	id := commandID(t, a.post("/profile/change-password", token, url.Values{"currentPassword": {"pw-alice"}, "newPassword": {"n"}}))
	a.pollStatus(id, token)
	ws := dial(t, srv)
	ws.join(token)
	if st, _ := ws.ack(id); st != 2 {
		t.Fatal("buffered ack not a success")
	}
}

// TestSocketsSeeOnlyTheirProfile: two profiles, two sockets each; every
// ack reaches both sockets of its owner and none of the other's.
func TestSocketsSeeOnlyTheirProfile(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{PreJoinBufferTTL: -1})
	a := newAPI(t, srv)
	alice, bob := a.newProfile("alice"), a.newProfile("bob")
	a1, a2, b1 := dial(t, srv), dial(t, srv), dial(t, srv)
	a1.join(alice)
	a2.join(alice)
	b1.join(bob)
	id := commandID(t, a.post("/profile/change-password", alice, url.Values{"currentPassword": {"x"}, "newPassword": {"y"}}))
	a1.ack(id)
	a2.ack(id)
	b1.quiet(100 * time.Millisecond)
}

// TestRevokeUnbindsSocket: a socket joined with a revoked token stops
// receiving.
func TestRevokeUnbindsSocket(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{PreJoinBufferTTL: -1})
	a := newAPI(t, srv)
	first := a.newProfile("alice")
	second := a.login("alice", "pw-alice")
	ws := dial(t, srv)
	ws.join(first)
	want(t, a.post("/profile/revoke-authorization-token", first, nil), 200)
	id := commandID(t, a.post("/profile/change-password", second, url.Values{"currentPassword": {"x"}, "newPassword": {"y"}}))
	a.pollStatus(id, second)
	ws.quiet(100 * time.Millisecond)
}

// TestExpiryUnbindsSocket: a socket joined with a token that expires stops
// receiving once the janitor evicts the token, as after a revoke.
func TestExpiryUnbindsSocket(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := start(t, sim.Options{PreJoinBufferTTL: -1, TokenTTL: time.Hour, Clock: clock})
	a := newAPI(t, srv)
	a.register("alice", "pw")
	first := a.login("alice", "pw")
	old := dial(t, srv)
	old.join(first)
	clock.waitArmed(t, time.Second, 0) // the janitor is waiting for its first pass
	passes := clock.Armed(time.Second) // and re-arms after each pass
	clock.Advance(time.Hour)
	clock.waitArmed(t, time.Second, passes)
	second := a.login("alice", "pw")
	fresh := dial(t, srv)
	fresh.join(second)
	id := commandID(t, a.post("/profile/change-password", second, url.Values{"currentPassword": {"x"}, "newPassword": {"y"}}))
	fresh.ack(id)
	old.quiet(100 * time.Millisecond)
}

// TestIdleTimeout: a peer that never reads (so never answers pings) and
// sends nothing is disconnected after the idle timeout; an active one is not.
func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	// The timeout leaves the active socket's pong a wide margin: under -race
	// on a loaded machine a 400 ms one cut the active socket too.
	srv := start(t, sim.Options{IdleTimeout: time.Second})
	d := websocket.Dialer{HandshakeTimeout: waitLimit}
	silent, _, err := d.Dial(srv.URLs().WS, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	active := dial(t, srv) // its read loop answers pings
	time.Sleep(2500 * time.Millisecond)
	silent.SetReadDeadline(time.Now().Add(waitLimit))
	for {
		if _, _, err = silent.ReadMessage(); err != nil {
			break
		}
	}
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("silent socket still open after the idle timeout: %v", err)
	}
	active.send(map[string]any{"action": "ping"})
	if m := active.next(); m["status"] != float64(200) {
		t.Fatalf("active socket: %v", m)
	}
}

// TestMalformedFrames: bad frames get a 400 reply and the socket keeps working.
func TestMalformedFrames(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	ws := dial(t, srv)
	for _, frame := range []string{"not json", `{"action":"dance"}`, `{"action":"joinChannel","data":{"authorizationToken":42}}`, `[]`} {
		if err := ws.conn.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
			t.Fatal(err)
		}
		if m := ws.next(); m["status"] != float64(400) {
			t.Fatalf("frame %q: %v", frame, m)
		}
	}
	ws.join(token)
}

// TestClientPingGetsPong: a WebSocket ping from the client is answered.
func TestClientPingGetsPong(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	ws := dial(t, srv)
	pong := make(chan string, 1)
	ws.conn.SetPongHandler(func(data string) error { pong <- data; return nil })
	if err := ws.conn.WriteControl(websocket.PingMessage, []byte("hi"), time.Now().Add(waitLimit)); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-pong:
		if got != "hi" {
			t.Fatalf("pong %q", got)
		}
	case <-time.After(waitLimit):
		t.Fatal("no pong")
	}
}

// TestOversizedFrameClosesOnlyThatSocket: a frame over the limit ends that
// socket; another socket and the API keep working.
func TestOversizedFrameClosesOnlyThatSocket(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	bad, good := dial(t, srv), dial(t, srv)
	bad.conn.WriteMessage(websocket.TextMessage, make([]byte, 1<<20))
	select {
	case <-bad.done:
	case <-time.After(waitLimit):
		t.Fatal("oversized frame did not close the socket")
	}
	good.join(token)
	want(t, a.get("/health", ""), 200)
}

// TestSocketMustJoinInTime: a socket that never joins is closed with 1008
// once JoinTimeout passes; one that joined stays (issue 13).
func TestSocketMustJoinInTime(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := start(t, sim.Options{Clock: clock, JoinTimeout: time.Minute})
	a := newAPI(t, srv)
	joined := dial(t, srv)
	joined.join(a.newProfile("alice"))
	idle := dial(t, srv)
	clock.advanceUntil(t, time.Minute, func() bool {
		select {
		case <-idle.done:
			return true
		default:
			return false
		}
	})
	if !isClose(idle.err, websocket.ClosePolicyViolation) {
		t.Fatalf("idle socket ended with %v; want close 1008", idle.err)
	}
	joined.send(map[string]any{"action": "ping"})
	for { // the pre-join buffer may deliver the registration's ack first
		m := joined.next()
		if d, _ := m["data"].(map[string]any); d["type"] == "pong" {
			break
		}
	}
}

// TestNonReadingSocketIsCutOff: a joined socket that never reads, fed
// large messages, is closed once it lags the byte bound and counted in
// Stats.SlowSockets, while the simulator keeps serving (issue 13: one
// such socket grew to 467 MiB).
func TestNonReadingSocketIsCutOff(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{InlineThreshold: 2 << 20})
	o := newOwner(t, srv, "alice")
	dtk := store(t, o.a, o.ws, o.token, sealed(t, make([]byte, 32), make([]byte, 1<<20))) // ~1.4 MB inline messages
	d := websocket.Dialer{HandshakeTimeout: waitLimit}
	stuck, _, err := d.Dial(srv.URLs().WS, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	stuck.WriteJSON(map[string]any{"action": "joinChannel", "data": map[string]any{"authorizationToken": o.token}})
	for i := 0; srv.Stats().SlowSockets == 0 && i < 200; i++ {
		o.post("/data-token/request-data", url.Values{"token": {dtk}}) // never read by stuck
		o.ws.unclaimed = nil                                           // the reading socket drops what it does not wait for
		for drained := false; !drained; {
			select {
			case <-o.ws.msgs:
			default:
				drained = true
			}
		}
	}
	if srv.Stats().SlowSockets != 1 {
		t.Fatalf("SlowSockets %d after feeding a socket that never reads; want 1", srv.Stats().SlowSockets)
	}
	want(t, o.a.get("/health", ""), http.StatusOK)
}
