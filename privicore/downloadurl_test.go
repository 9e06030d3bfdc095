package privicore_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/pcflow/pcflow/privicore"
)

// siteDeployment is a loopback API + proxy + downstream speaking the site's
// reading of output_type 1: the X-DPT-CAB-REQUEST-ID body is the full
// download URL. With streamReady it also sends the superset's STREAM-READY
// (a mix the simulator does not produce).
type siteDeployment struct {
	api, ws      string
	requests     atomic.Int64 // request-data calls seen
	streamReady  bool
	sockets      chan *websocket.Conn
	blob         []byte
	downloadAuth string
}

func newSiteDeployment(t *testing.T, blob []byte, streamReady bool) *siteDeployment {
	d := &siteDeployment{sockets: make(chan *websocket.Conn, 1), blob: blob, streamReady: streamReady, downloadAuth: "dl-1"}
	mux := http.NewServeMux()
	var base string
	mux.HandleFunc("/data-token/request-data", func(w http.ResponseWriter, r *http.Request) {
		d.requests.Add(1)
		w.Header().Set("X-Dpt-Cab-Id", "c-1")
		w.Header().Set("X-Dpt-Cab-Request-Id", "r-1")
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte("null"))
		conn := <-d.sockets
		url := base + "/download?auth=" + d.downloadAuth
		_ = conn.WriteMessage(websocket.TextMessage, []byte(`{"data":{"type":"X-DPT-CAB-REQUEST-ID","id":"r-1","command_status":2,"output_type":1,"body":"`+url+`"}}`))
		if d.streamReady {
			_ = conn.WriteMessage(websocket.TextMessage, []byte(`{"data":{"type":"STREAM-READY","id":"r-1","requestId":"r-1","streamUrl":"`+url+`"}}`))
		}
		d.sockets <- conn
	})
	mux.HandleFunc("/download", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("auth") != d.downloadAuth {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = w.Write(d.blob)
	})
	up := websocket.Upgrader{}
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		if confirmJoin(conn) {
			d.sockets <- conn
			drain(conn)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	base = srv.URL
	d.api, d.ws = srv.URL, "ws"+strings.TrimPrefix(srv.URL, "http")+"/ws"
	return d
}

// A deployment may send the site's reading of output_type 1 (body = the
// complete download URL) and then the superset's STREAM-READY as well.
// The request must settle on the URL message — not wait for, nor time out
// without, the STREAM-READY — and the STREAM-READY that follows is no
// duplicate. The simulator cannot produce this mix (its "site" mode sends
// no STREAM-READY, covered by TestSiteOutputTypeFromTheSimulator; its
// "guide" mode sends a token body), so this loopback stand-in stays.
func TestSiteURLBodyFollowedByStreamReadyIsNoDuplicate(t *testing.T) {
	key, _ := privicore.NewAESKey()
	blob, _ := key.Seal([]byte("site reading"))
	d := newSiteDeployment(t, blob, true)
	c := privicore.New(privicore.Options{APIURL: d.api, WSURL: d.ws})
	s, err := c.OpenSession(ctxT(t), "T-x", privicore.SessionOptions{AckTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	began := time.Now()
	got, err := s.Retrieve(ctxT(t), "dtk-1", key)
	if err != nil || string(got.Plaintext) != "site reading" || !got.Request.Streamed() {
		t.Fatalf("retrieve %v %q", err, got.Plaintext)
	}
	if n := d.requests.Load(); n != 1 || time.Since(began) > time.Second {
		t.Fatalf("%d request-data calls in %v, want one and no ack timeout", n, time.Since(began))
	}
	deadline := time.Now().Add(2 * time.Second) // let the trailing STREAM-READY land
	for s.Stats().Ignored == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if st := s.Stats(); st.Duplicates != 0 || st.Delivered != 1 || st.Orphans != 0 || st.Ignored != 1 {
		t.Fatalf("stats %+v; want the STREAM-READY ignored, no duplicate", st)
	}
}
