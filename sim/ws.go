package sim

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

const (
	closeGoingAway  = websocket.CloseGoingAway // 1001: server shutting down
	socketQueueLen  = 4096                     // messages a socket may lag behind before it is cut off
	maxFrameBytes   = 64 << 10                 // largest client frame accepted
	writeTimeout    = 10 * time.Second
	joinedMessage   = "Successfully joined profile channel."
	leftMessage     = "Successfully left profile channel."
	badTokenMessage = "Invalid authorization token."
)

// socket is one WebSocket connection to the proxy. Exactly one goroutine
// reads (readLoop) and one writes (writeLoop); everyone else hands bytes
// to the writer through out. Which profile it is joined to is the hub's.
type socket struct {
	conn *websocket.Conn
	out  chan []byte
	quit chan struct{}
	done chan struct{} // closed when the writer has finished
	once sync.Once
	code int
	why  string
}

func newSocket(conn *websocket.Conn) *socket {
	return &socket{conn: conn, out: make(chan []byte, socketQueueLen), quit: make(chan struct{}), done: make(chan struct{})}
}

// Send queues msg without blocking; a socket too far behind is cut off.
func (k *socket) Send(msg []byte) {
	select {
	case k.out <- msg:
	default:
		k.Abort()
	}
}

// Shutdown asks the writer to flush, send a close frame with code and end.
func (k *socket) Shutdown(code int, why string) {
	k.once.Do(func() {
		k.code, k.why = code, why
		close(k.quit)
	})
}

// Abort drops the connection without a close frame (a network failure).
func (k *socket) Abort() {
	k.Shutdown(0, "")
	k.conn.NetConn().Close()
}

// writeLoop is the socket's only writer: queued messages, keepalive
// pings every pingEvery, and the close frame at the end.
func (k *socket) writeLoop(pingEvery time.Duration, st *stats) {
	defer close(k.done)
	defer k.conn.Close()
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		select {
		case m := <-k.out:
			if k.write(m) != nil {
				return
			}
			st.delivered.Add(1)
		case <-ping.C:
			if k.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeTimeout)) != nil {
				return
			}
		case <-k.quit:
			k.flush(st)
			return
		}
	}
}

func (k *socket) write(m []byte) error {
	k.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	return k.conn.WriteMessage(websocket.TextMessage, m)
}

// flush writes what is still queued, then the close frame.
func (k *socket) flush(st *stats) {
	if k.code == 0 {
		return
	}
	for {
		select {
		case m := <-k.out:
			if k.write(m) != nil {
				return
			}
			st.delivered.Add(1)
		default:
			msg := websocket.FormatCloseMessage(k.code, k.why)
			k.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
			return
		}
	}
}

// serveWS upgrades a connection and runs its read loop.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader already answered with a 4xx
	}
	k := newSocket(conn)
	if !s.hub.Register(k) {
		k.Shutdown(closeGoingAway, "server shutting down")
	}
	go k.writeLoop(max(s.opts.IdleTimeout/2, time.Millisecond), s.stats)
	s.readLoop(k)
}

// readLoop reads client frames until the socket fails or idles out: any
// frame, ping or pong from the client extends the idle deadline.
func (s *Server) readLoop(k *socket) {
	defer s.hub.Unregister(k)
	defer k.Shutdown(websocket.CloseNormalClosure, "")
	idle := s.opts.IdleTimeout
	extend := func() { k.conn.SetReadDeadline(time.Now().Add(idle)) }
	extend()
	k.conn.SetReadLimit(maxFrameBytes)
	k.conn.SetPongHandler(func(string) error { extend(); return nil })
	k.conn.SetPingHandler(func(data string) error {
		extend()
		k.conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeTimeout))
		return nil
	})
	for {
		_, frame, err := k.conn.ReadMessage()
		if err != nil {
			return
		}
		extend()
		s.handleFrame(k, frame)
	}
}

// wsRequest is a client frame: joinChannel, leaveChannel or ping. The
// correlation id may sit at the top level or inside data ([W]).
type wsRequest struct {
	Action        string `json:"action"`
	CorrelationID string `json:"correlationId"`
	Data          struct {
		AuthorizationToken string `json:"authorizationToken"`
		ChannelID          string `json:"channelId"`
		CorrelationID      string `json:"correlationId"`
	} `json:"data"`
}

func (s *Server) handleFrame(k *socket, frame []byte) {
	var req wsRequest
	if err := json.Unmarshal(frame, &req); err != nil {
		k.Send(wsReply("", http.StatusBadRequest, map[string]any{"message": "Malformed message: want JSON {\"action\":…,\"data\":{…}}."}))
		return
	}
	corr := req.CorrelationID
	if corr == "" {
		corr = req.Data.CorrelationID
	}
	switch req.Action {
	case "joinChannel":
		s.joinChannel(k, corr, req.Data.AuthorizationToken)
	case "leaveChannel":
		s.leaveChannel(k, corr, req.Data.ChannelID, req.Data.AuthorizationToken)
	case "ping":
		k.Send(wsReply(corr, http.StatusOK, map[string]any{"type": "pong"}))
	default:
		k.Send(wsReply(corr, http.StatusBadRequest, map[string]any{"message": "Unknown action: want joinChannel, leaveChannel or ping."}))
	}
}

func (s *Server) joinChannel(k *socket, corr, token string) {
	se := s.state.session(token)
	if se == nil || !se.profile.isActive() {
		k.Send(wsReply(corr, http.StatusUnauthorized, map[string]any{"message": badTokenMessage}))
		return
	}
	channelID := "chn-" + s.ids.uuid7()
	s.hub.Join(k, se.profile.id, se.token, channelID, wsReply(corr, http.StatusOK, map[string]any{"channelId": channelID, "message": joinedMessage}))
}

func (s *Server) leaveChannel(k *socket, corr, channelID, token string) {
	left := s.hub.Leave(k, channelID, token)
	if left == "" {
		k.Send(wsReply(corr, http.StatusNotFound, map[string]any{"message": "Not joined to that channel."}))
		return
	}
	k.Send(wsReply(corr, http.StatusOK, map[string]any{"channelId": left, "message": leftMessage}))
}

// wsReply is the proxy's answer to a client frame (§1.9).
func wsReply(corr string, status int, data map[string]any) []byte {
	m := map[string]any{"status": status, "data": data}
	if corr != "" {
		m["correlationId"] = corr
	}
	b, _ := json.Marshal(m)
	return b
}
