package privicore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

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

// A load test classifies outcomes by type, never by message text: a
// business-rule rejection (ack status 3), an ack that never came, a token
// that died (401).
func ExampleCommandRejectedError() {
	srv, _ := sim.Start(sim.Options{RejectRate: 1, Users: []sim.User{{Name: "carol", Password: "carol password 1!"}}})
	defer srv.Close()
	u := srv.URLs()
	c := privicore.New(privicore.Options{APIURL: u.API, WSURL: u.WS})
	defer c.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	auth, _ := c.Authenticate(ctx, "carol", "carol password 1!")
	sess, _ := c.OpenSession(ctx, auth.Token, privicore.SessionOptions{})
	defer sess.Close()

	_, err := sess.ReserveTokenSpace(ctx, privicore.ReserveParams{Context: "demo"})
	var rejected *privicore.CommandRejectedError
	switch {
	case errors.As(err, &rejected):
		fmt.Println("rejected:", rejected.Reason)
	case errors.Is(err, privicore.ErrAckTimeout):
		fmt.Println("no ack in time")
	case privicore.IsUnauthorized(err):
		fmt.Println("token revoked or expired")
	}
	// Output: rejected: sim.injected_rejection
}

// A new profile is provisioned the live wire's way: register, await the
// command through request-status (a new profile has no channel yet),
// authenticate, then register the signed public key with the token.
func ExampleClient_WaitCommand() {
	srv, _ := sim.Start(sim.Options{})
	defer srv.Close()
	c := privicore.New(privicore.Options{APIURL: srv.URLs().API})
	defer c.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	password := privicore.Secret("dave's long passphrase 4!")

	acc, _ := c.RegisterProfile(ctx, "dave", password)
	state, err := c.WaitCommand(ctx, acc.CommandID, "", 5*time.Millisecond)
	fmt.Println(state.State, err)
	auth, _ := c.Authenticate(ctx, "dave", password)
	keys, _ := privicore.GenerateKeyPair()
	poll := c.PollingSession(auth.Token, privicore.SessionOptions{PollInterval: 5 * time.Millisecond})
	ack, err := poll.RegisterPublicKey(ctx, keys.SignedPublicKey())
	fmt.Println(ack.Message.CommandStatus == privicore.StatusSucceeded, err)
	// Output:
	// succeeded <nil>
	// true <nil>
}
