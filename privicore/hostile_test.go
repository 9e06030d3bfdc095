package privicore_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/pcflow/pcflow/privicore"
)

// proxy is a loopback WebSocket endpoint whose every connection is served
// by serve: the proxy behaviours the simulator cannot be asked for
// (silence, hostile frames). It returns the ws:// URL.
func proxy(t *testing.T, serve func(conn *websocket.Conn)) string {
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		serve(conn)
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// confirmJoin reads the join frame and confirms it.
func confirmJoin(conn *websocket.Conn) bool {
	if _, _, err := conn.ReadMessage(); err != nil {
		return false
	}
	return conn.WriteMessage(websocket.TextMessage, []byte(`{"status":200,"data":{"channelId":"chn-1"}}`)) == nil
}

// drain reads until the client goes away.
func drain(conn *websocket.Conn) {
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			return
		}
	}
}

func TestHostileFramesAreIgnoredWithoutPanicOrReconnect(t *testing.T) {
	frames := []string{
		`not json`, `{"data":`, `[1,2,3]`, `null`, `{"data":"x"}`, `{"data":{"type":5,"id":[]}}`,
		`{"data":{"type":"X-DPT-CAB-ID","id":{"a":1},"command_status":"2"}}`,
		`{"data":{"type":"X-DPT-CAB-ID","id":"c-0","command_status":99999999999999999999}}`,
		`{"data":{"type":"X-DPT-CAB-ID"}}`, `{"data":{"type":"STREAM-READY","id":""}}`,
		strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000),
		"\xff\xfe\x00garbage",
		`{"data":{"type":"X-DPT-CAB-ID","id":"c-1","command_status":2}}`, // the one good frame
	}
	url := proxy(t, func(conn *websocket.Conn) {
		if !confirmJoin(conn) {
			return
		}
		for _, f := range frames {
			_ = conn.WriteMessage(websocket.TextMessage, []byte(f))
		}
		_ = conn.WriteMessage(websocket.BinaryMessage, []byte{0, 1, 2})
		drain(conn)
	})
	c := privicore.New(privicore.Options{WSURL: url})
	s, err := c.OpenSession(ctxT(t), "T-x", privicore.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deadline := time.Now().Add(3 * time.Second)
	for s.Stats().Early == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if st := s.Stats(); st.Early != 1 || st.Reconnects != 0 || s.Err() != nil {
		t.Fatalf("after hostile frames: stats %+v, err %v; want the good frame kept and the socket up", st, s.Err())
	}
}

func TestAFrameOverTheSizeLimitDropsTheSocketNotTheProcess(t *testing.T) {
	url := proxy(t, func(conn *websocket.Conn) {
		if !confirmJoin(conn) {
			return
		}
		_ = conn.WriteMessage(websocket.TextMessage, []byte(`{"data":{"type":"X-DPT-CAB-REQUEST-ID","id":"r","body":"`+strings.Repeat("A", 64<<10)+`"}}`))
		drain(conn)
	})
	c := privicore.New(privicore.Options{WSURL: url, MaxResponseBytes: 16 << 10})
	s, err := c.OpenSession(ctxT(t), "T-x", privicore.SessionOptions{ReconnectBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deadline := time.Now().Add(3 * time.Second)
	for s.Stats().Reconnects == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if st := s.Stats(); st.Reconnects == 0 || st.Early != 0 {
		t.Fatalf("stats %+v: a 64 KiB frame over a 16 KiB limit must drop the socket, unread", st)
	}
}
