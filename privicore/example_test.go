package privicore_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

// The store-and-retrieve flow: authenticate, open a joined session, store an
// encrypted payload, get it back.
func Example_storeAndRetrieve() {
	srv, _ := sim.Start(sim.Options{Users: []sim.User{{Name: "alice", Password: "alice password 1!"}}})
	defer srv.Close()
	u := srv.URLs()
	c := privicore.New(privicore.Options{APIURL: u.API, WSURL: u.WS, DownstreamURL: u.Downstream})
	defer c.CloseIdleConnections()
	ctx := context.Background()

	auth, _ := c.Authenticate(ctx, "alice", "alice password 1!")
	sess, _ := c.OpenSession(ctx, auth.Token, privicore.SessionOptions{})
	defer sess.Close()

	key, _ := privicore.NewAESKey()
	stored, _ := sess.Store(ctx, privicore.StoreParams{Key: key, Plaintext: []byte("hello, vault"), Context: "demo"})
	got, _ := sess.Retrieve(ctx, stored.DataToken, key)

	fmt.Println(strings.HasPrefix(stored.DataToken, "dtk-"), string(got.Plaintext))
	// Output: true hello, vault
}

// Submit and Wait split an async command in two halves, as a load engine
// needs: the HTTP 202, then the WebSocket ack, each with its timestamps.
func ExampleSession_Submit() {
	srv, _ := sim.Start(sim.Options{Users: []sim.User{{Name: "bob", Password: "bob password 1!"}}})
	defer srv.Close()
	u := srv.URLs()
	c := privicore.New(privicore.Options{APIURL: u.API, WSURL: u.WS})
	defer c.CloseIdleConnections()
	ctx := context.Background()
	auth, _ := c.Authenticate(ctx, "bob", "bob password 1!")
	sess, _ := c.OpenSession(ctx, auth.Token, privicore.SessionOptions{})
	defer sess.Close()

	req, _ := privicore.ReserveTokenSpaceRequest(privicore.ReserveParams{Context: "demo"})
	pending, _ := sess.Submit(ctx, req)
	ack, err := pending.Wait(ctx)

	fmt.Println(err, ack.CommandID == pending.CommandID(), ack.Message.CommandStatus, ack.HTTP() > 0, ack.Total() > 0)
	// Output: <nil> true 2 true true
}

func ExampleExtractCommandID() {
	for _, body := range []string{`"c-1"`, `["c-1"]`, `{"commandId":"c-1"}`} {
		id, _ := privicore.ExtractCommandID([]byte(body))
		fmt.Println(id)
	}
	// Output:
	// c-1
	// c-1
	// c-1
}

func ExampleSecret() {
	token := privicore.Secret("T-MUIFAabc123")
	fmt.Println(token, len(token.Reveal()))
	// Output: [redacted] 13
}
