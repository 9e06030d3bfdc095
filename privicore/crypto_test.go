package privicore_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pcflow/pcflow/privicore"
)

func TestSealOpenRoundTripAndWireLayout(t *testing.T) {
	key, err := privicore.NewAESKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, 13, 4096, 70_000} {
		pt := bytes.Repeat([]byte{byte(n)}, n)
		blob, err := key.Seal(pt)
		if err != nil {
			t.Fatal(err)
		}
		if len(blob) != n+privicore.Overhead {
			t.Fatalf("len(blob) = %d, want IV(12)+%d+tag(16)", len(blob), n)
		}
		got, err := key.Open(blob)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("round trip of %d bytes: err=%v equal=%v", n, err, bytes.Equal(got, pt))
		}
	}
}

func TestSealUsesFreshIV(t *testing.T) {
	key, _ := privicore.NewAESKey()
	a, _ := key.Seal([]byte("same"))
	b, _ := key.Seal([]byte("same"))
	if bytes.Equal(a[:privicore.IVSize], b[:privicore.IVSize]) {
		t.Fatal("two payloads share an IV")
	}
}

func TestOpenRejectsTamperingWrongKeyAndShortBlobs(t *testing.T) {
	key, _ := privicore.NewAESKey()
	other, _ := privicore.NewAESKey()
	blob, _ := key.Seal([]byte("secret payload"))
	tampered := bytes.Clone(blob)
	tampered[len(tampered)-1] ^= 1
	cases := map[string]struct {
		key  privicore.AESKey
		blob []byte
	}{
		"a flipped tag bit fails authentication": {key, tampered},
		"another key cannot open the blob":       {other, blob},
		"a blob shorter than IV+tag is refused":  {key, blob[:27]},
	}
	for name, c := range cases {
		if _, err := c.key.Open(c.blob); !errors.Is(err, privicore.ErrIntegrity) {
			t.Errorf("%s: err = %v, want ErrIntegrity", name, err)
		}
	}
}

func TestAESKeyNeverPrints(t *testing.T) {
	key, _ := privicore.NewAESKey()
	for _, s := range []string{fmt.Sprint(key), fmt.Sprintf("%v %+v %#v %s", key, key, key, key)} {
		if !strings.Contains(s, "[redacted]") || strings.Contains(s, fmt.Sprint(key[0])+" ") {
			t.Fatalf("key printed as %q", s)
		}
	}
}

func TestSignedPublicKeyFormat(t *testing.T) {
	kp, err := privicore.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	s := kp.SignedPublicKey()
	if len(s) != 200 || !strings.HasPrefix(s, "31420500") || strings.ToLower(s) != s {
		t.Fatalf("signed key %q: want 200 lowercase hex starting 31420500", s)
	}
	pub, err := privicore.ParseSignedPublicKey(s)
	if err != nil || pub != kp.Public {
		t.Fatalf("parse: %v, key equal %v", err, pub == kp.Public)
	}
	if strings.Contains(fmt.Sprintf("%v %#v", kp, kp.Private), fmt.Sprintf("%x", kp.Private[:])) {
		t.Fatal("private key printed")
	}
}

func TestParseSignedPublicKeyRefusesBadInput(t *testing.T) {
	kp, _ := privicore.GenerateKeyPair()
	good := kp.SignedPublicKey()
	flip := func(i int) string {
		b := []byte(good)
		if b[i] == '0' {
			b[i] = '1'
		} else {
			b[i] = '0'
		}
		return string(b)
	}
	cases := []struct {
		why  string
		in   string
		want error
	}{
		{"too short", good[:198], privicore.ErrInvalidInput},
		{"not hex", "zz" + good[2:], privicore.ErrInvalidInput},
		{"wrong version tag", flip(1), privicore.ErrInvalidInput},
		{"key byte altered so the hash no longer matches", flip(20), privicore.ErrIntegrity},
		{"hash byte altered", flip(199), privicore.ErrIntegrity},
	}
	for _, c := range cases {
		if _, err := privicore.ParseSignedPublicKey(c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.why, err, c.want)
		}
	}
}

// A known vector: the all-zero key, hashed independently of this package's
// encoder by the reference's formula (BLAKE2b-512 of tag||key).
func TestSignedKeyOfZeroKeyIsStable(t *testing.T) {
	s := privicore.EncodeSignedPublicKey([32]byte{})
	if _, err := privicore.ParseSignedPublicKey(s); err != nil {
		t.Fatal(err)
	}
	if s[:72] != "31420500"+strings.Repeat("0", 64) {
		t.Fatalf("prefix %q", s[:72])
	}
}

// Issue 13: json.Marshal(privicore.GenerateKeyPair()) printed the private
// key's bytes; a structured logger would too.
func TestAKeyPairAndAnAESKeyMarshalRedacted(t *testing.T) {
	kp, err := privicore.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	key, _ := privicore.NewAESKey()
	out, err := json.Marshal(struct {
		Pair privicore.KeyPair
		Key  privicore.AESKey
	}{kp, key})
	if err != nil {
		t.Fatal(err)
	}
	priv, _ := json.Marshal([32]byte(kp.Private)) // the bytes as encoding/json prints an array: [12,201,…]
	raw, _ := json.Marshal([32]byte(key))
	if strings.Contains(string(out), strings.Trim(string(priv), "[]")) || strings.Contains(string(out), strings.Trim(string(raw), "[]")) ||
		strings.Count(string(out), "[redacted]") != 2 {
		t.Fatalf("JSON of a key pair and a key: %s", out)
	}
}
