package sim

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

const (
	maxFrameBytes   = 64 << 10 // largest client frame accepted
	joinedMessage   = "Successfully joined profile channel."
	leftMessage     = "Successfully left profile channel."
	badTokenMessage = "Invalid authorization token."
)

// serveWS upgrades a connection and runs its read loop.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader already answered with a 4xx
	}
	k := newSocket(conn, &s.stats.slowSockets)
	if !s.hub.Register(k) {
		k.Shutdown(closeGoingAway, "server shutting down")
	}
	go k.writeLoop(max(s.opts.IdleTimeout/2, time.Millisecond), &s.stats.delivered)
	// A socket that never joins receives nothing and only costs a
	// connection: it gets JoinTimeout to join, then is closed (1008).
	stop := s.clock.AfterFunc(s.opts.JoinTimeout, func() {
		if !k.joined.Load() {
			k.Shutdown(closeTooSlow, "no joinChannel in time")
		}
	})
	defer stop()
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
	k.joined.Store(true)
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
