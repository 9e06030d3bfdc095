package sim_test

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"

	"github.com/pcflow/pcflow/sim"
	"golang.org/x/crypto/blake2b"
)

// signedKey builds a signed public key by hand from §1.12.
func signedKey(pub []byte) string {
	b := append([]byte{0x31, 0x42, 0x05, 0x00}, pub...)
	sum := blake2b.Sum512(b)
	return hex.EncodeToString(append(b, sum[:]...))
}

func TestRegisterPublicKeyValidation(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	ws := dial(t, srv)
	ws.join(token)
	want(t, a.get("/public-key/retrieve-public-key", token), http.StatusNotFound)
	good := signedKey(make([]byte, 32))
	tampered := []byte(good)
	tampered[199] ^= 1 // flips the last hex digit of the hash
	for _, tc := range []struct {
		why  string
		form url.Values
		key  string
	}{
		{"missing key", url.Values{}, "validation.required"},
		{"not hex", url.Values{"publicKey": {"zz"}}, "public_key.invalid_format"},
		{"wrong length", url.Values{"publicKey": {good[:198]}}, "public_key.invalid_format"},
		{"hash mismatch", url.Values{"publicKey": {string(tampered)}}, "public_key.invalid_signature"},
		{"too long", url.Values{"publicKey": {good + good}}, "validation.too_long"},
	} {
		r := a.post("/public-key/register-public-key", token, tc.form)
		var v struct{ Errors map[string][]string }
		r.json(t, &v)
		if r.status != 422 || len(v.Errors["publicKey"]) == 0 || v.Errors["publicKey"][0] != tc.key {
			t.Errorf("%s: %d %s, want 422 %s", tc.why, r.status, r.body, tc.key)
		}
	}
	r := a.post("/public-key/register-public-key", token, url.Values{"publicKey": {good}, "username": {"alice"}, "password": {"x"}})
	wantKey(t, r, 422, "validation.not_accepted") // the wire does not accept username/password here ([P])
	want(t, a.post("/public-key/register-public-key", "", url.Values{"publicKey": {good}}), 401)
	id := commandID(t, a.post("/public-key/register-public-key", token, url.Values{"publicKey": {good}}))
	if st, _ := ws.ack(id); st != 2 {
		t.Fatal("register-public-key rejected")
	}
	id = commandID(t, a.post("/public-key/register-public-key", token, url.Values{"publicKey": {good}}))
	if st, body := ws.ack(id); st != 3 || body != "public_key.already_registered" {
		t.Fatalf("second registration: %d %v", st, body)
	}
}

func TestCABPublicKey(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	var k1, k2 struct{ PublicKey string }
	r := a.get("/dptcab/public-key", token)
	want(t, r, 200)
	r.json(t, &k1)
	a.get("/public-key/retrieve-cab-public-key", token).json(t, &k2)
	raw, err := hex.DecodeString(k1.PublicKey)
	if err != nil || len(raw) != 100 || k1.PublicKey != k2.PublicKey || signedKey(raw[4:36]) != k1.PublicKey {
		t.Fatalf("CAB key %q / %q", k1.PublicKey, k2.PublicKey)
	}
	want(t, a.get("/dptcab/public-key", ""), 401)
}

func TestGenerateKeys(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	var k struct{ PrivateKey, PublicKey, SignedPublicKey string }
	r := a.get("/public-key/generate-keys", "")
	want(t, r, 200)
	r.json(t, &k)
	pub, _ := hex.DecodeString(k.PublicKey)
	if len(k.PrivateKey) != 64 || len(pub) != 32 || signedKey(pub) != k.SignedPublicKey {
		t.Fatalf("generate-keys: %s", r.body)
	}
}
