package sim_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pcflow/pcflow/sim"
)

// benchClients is how many closed-loop clients drive the benchmark, each
// with its own profile, HTTP connection and joined socket.
const benchClients = 64

// BenchmarkCommandPath drives the full command path over loopback: HTTP
// POST → 202 with the command id → worker → X-DPT-CAB-ID delivered on the
// client's joined socket. One op is one acked command; allocations count
// both client and simulator (they share the process).
func BenchmarkCommandPath(b *testing.B) {
	benchCommands(b, "/public-key/register-public-key", "publicKey="+signedKey(make([]byte, 32)))
}

// BenchmarkSetQuorumSize is the command internal/loadbench drives: a
// set-quorum-size round trip, which leaves no state behind, so its cost is
// the command path's own.
func BenchmarkSetQuorumSize(b *testing.B) {
	benchCommands(b, "/verified-authenticator/set-quorum-size", "quorumSize=2")
}

// benchCommands runs benchClients closed-loop clients, each posting body
// to path and waiting for the command's ack, b.N commands in all.
func benchCommands(b *testing.B, path, body string) {
	var users []sim.User
	for i := range benchClients {
		users = append(users, sim.User{Name: fmt.Sprintf("user%d", i), Password: "pw"})
	}
	srv := start(b, sim.Options{Users: users, PreJoinBufferTTL: -1})
	tr := &http.Transport{MaxIdleConnsPerHost: benchClients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr, Timeout: waitLimit}
	a := newAPI(b, srv)
	drivers := make([]*benchDriver, benchClients)
	for i := range drivers {
		drivers[i] = newBenchDriver(b, srv, cl, a.login(users[i].Name, "pw"), path, body)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for _, d := range drivers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				if err := d.command(); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "acked_cmds/s")
}

// benchDriver is one closed-loop client: send a command, wait for its ack.
type benchDriver struct {
	cl    *http.Client
	url   string
	token string
	body  string
	acks  chan []byte
	conn  *websocket.Conn
}

func newBenchDriver(b *testing.B, srv *sim.Server, cl *http.Client, token, path, body string) *benchDriver {
	conn, _, err := websocket.DefaultDialer.Dial(srv.URLs().WS, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	conn.WriteJSON(map[string]any{"action": "joinChannel", "data": map[string]any{"authorizationToken": token}})
	if _, m, err := conn.ReadMessage(); err != nil || !bytes.Contains(m, []byte(`"status":200`)) {
		b.Fatalf("join: %s %v", m, err)
	}
	d := &benchDriver{cl: cl, url: srv.URLs().API + path, token: token,
		body: body, acks: make(chan []byte, 16), conn: conn}
	go func() {
		for {
			_, m, err := conn.ReadMessage()
			if err != nil {
				close(d.acks)
				return
			}
			d.acks <- m
		}
	}()
	return d
}

// command sends one command (a register-public-key after the first is
// rejected as already registered: both are full commands) and waits for
// the ack carrying its id.
func (d *benchDriver) command() error {
	req, _ := http.NewRequest("POST", d.url, strings.NewReader(d.body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-DPT-AUTHORIZATION", d.token)
	resp, err := d.cl.Do(req)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || len(body) < 38 {
		return fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	id := body[2 : len(body)-2] // ["<id>"]
	timeout := time.NewTimer(waitLimit)
	defer timeout.Stop()
	for {
		select {
		case m, ok := <-d.acks:
			if !ok {
				return fmt.Errorf("socket closed")
			}
			if bytes.Contains(m, id) {
				return nil
			}
		case <-timeout.C:
			return fmt.Errorf("no ack for %s", id)
		}
	}
}
