package privicore_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

// socketErr asserts err holds a *SocketError of op and stage and returns it.
func socketErr(t *testing.T, err error, op string, stage privicore.SocketStage) *privicore.SocketError {
	t.Helper()
	var se *privicore.SocketError
	if !errors.As(err, &se) || se.Op != op || se.Stage != stage {
		t.Fatalf("err = %v, want a *SocketError %s/%s", err, op, stage)
	}
	if !strings.HasPrefix(se.Error(), "privicore: "+op+": "+string(stage)+": ") {
		t.Fatalf("SocketError text %q lacks its prefix", se.Error())
	}
	return se
}

func TestWebSocketFailuresAreSocketErrors(t *testing.T) {
	t.Run("a closed port is a dial error wrapping ECONNREFUSED", func(t *testing.T) {
		c := privicore.New(privicore.Options{WSURL: "ws://127.0.0.1:1"})
		_, err := c.OpenSession(ctxT(t), "T-x", privicore.SessionOptions{})
		socketErr(t, err, "join-channel", privicore.SocketDial)
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("err = %v, want errors.Is ECONNREFUSED", err)
		}
	})
	t.Run("an HTTP server that does not upgrade is a dial error with its status", func(t *testing.T) {
		e := start(t, sim.Options{})
		c := privicore.New(privicore.Options{WSURL: "ws" + strings.TrimPrefix(e.srv.URLs().API, "http") + "/no-socket-here"})
		_, err := c.OpenSession(ctxT(t), "T-x", privicore.SessionOptions{})
		se := socketErr(t, err, "join-channel", privicore.SocketDial)
		if se.Status < 400 || !errors.Is(err, websocket.ErrBadHandshake) {
			t.Fatalf("err = %v (status %d), want ErrBadHandshake with the refusal's status", err, se.Status)
		}
	})
	t.Run("a proxy that hangs up during the join is a read error", func(t *testing.T) {
		url := proxy(t, func(conn *websocket.Conn) { _, _, _ = conn.ReadMessage() })
		_, err := privicore.New(privicore.Options{WSURL: url}).OpenSession(ctxT(t), "T-x", privicore.SessionOptions{})
		socketErr(t, err, "join-channel", privicore.SocketRead)
	})
	t.Run("a lost session names the read that broke and the dial that failed", func(t *testing.T) {
		e := start(t, sim.Options{})
		s := e.session(t, privicore.SessionOptions{ReconnectAttempts: 1})
		e.c.CloseIdleConnections()
		_ = e.srv.Close()
		select {
		case <-s.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("session outlived its server")
		}
		err := s.Err()
		var lost *privicore.SessionLostError
		if !errors.As(err, &lost) || !errors.Is(err, privicore.ErrSessionClosed) {
			t.Fatalf("err = %v, want a *SessionLostError", err)
		}
		socketErr(t, err, "read-loop", privicore.SocketRead)
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("err = %v, want the refused redial reachable", err)
		}
	})
}

func TestUnreadableBodiesAreDecodeErrors(t *testing.T) {
	c, _ := recorder(t, map[string]string{
		"/public-key/generate-keys": `not json`,
		"/request-status/cmd-1":     `{"neither":"a word"}`,
	})
	_, err := c.GenerateKeys(ctxT(t))
	var de *privicore.DecodeError
	var syn *json.SyntaxError
	if !errors.As(err, &de) || de.Op != "generate-keys" || !errors.As(err, &syn) || !errors.Is(err, privicore.ErrUnexpectedBody) {
		t.Fatalf("not JSON: %v, want a *DecodeError wrapping a *json.SyntaxError", err)
	}
	_, err = c.RequestStatus(ctxT(t), "cmd-1", "")
	if !errors.As(err, &de) || de.Op != "request-status" || !strings.Contains(de.Body, "neither") {
		t.Fatalf("wrong shape: %v, want a *DecodeError showing the body", err)
	}
	_, err = privicore.RequestedDataFrom(privicore.Ack{Message: privicore.Message{Type: privicore.TypeRequestData, Body: "%%secret%%"}})
	var b64 base64.CorruptInputError
	if !errors.As(err, &de) || !errors.As(err, &b64) || strings.Contains(err.Error(), "secret") {
		t.Fatalf("bad base64 payload: %v, want a *DecodeError wrapping base64.CorruptInputError, the payload unshown", err)
	}
	for _, e := range []error{err, &privicore.SocketError{Op: "x", Stage: privicore.SocketRead, Err: errors.New("EOF")}} {
		if errors.Is(e, privicore.ErrAckTimeout) || errors.Is(e, privicore.ErrSessionClosed) {
			t.Errorf("%v matches an unrelated sentinel", e)
		}
	}
}
