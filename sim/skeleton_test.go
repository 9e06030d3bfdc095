package sim_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pcflow/pcflow/sim"
)

// TestProvisioningFlow walks the live-wire order of §1.8: register, poll,
// authenticate, join, register a public key and receive its ack.
func TestProvisioningFlow(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	want(t, a.get("/health", ""), http.StatusOK)
	token := a.newProfile("alice")
	ws := dial(t, srv)
	conf := ws.join(token)
	if ch, _ := conf["data"].(map[string]any)["channelId"].(string); !strings.HasPrefix(ch, "chn-") {
		t.Fatalf("join confirmation %v", conf)
	}
	key := a.get("/public-key/generate-keys", "")
	want(t, key, http.StatusOK)
	var k struct{ SignedPublicKey string }
	key.json(t, &k)
	id := commandID(t, a.post("/public-key/register-public-key", token, url.Values{"publicKey": {k.SignedPublicKey}}))
	if status, body := ws.ack(id); status != 2 {
		t.Fatalf("ack %d %v", status, body)
	}
	var got struct{ PublicKey string }
	r := a.get("/public-key/retrieve-public-key", token)
	want(t, r, http.StatusOK)
	r.json(t, &got)
	if got.PublicKey != k.SignedPublicKey {
		t.Fatalf("public key %q, want %q", got.PublicKey, k.SignedPublicKey)
	}
	if st := srv.Stats(); st.Operations["register-public-key"].Acks != 1 || st.Commands != 2 {
		t.Fatalf("stats %+v", st)
	}
}
