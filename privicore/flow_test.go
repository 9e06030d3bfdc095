package privicore_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

func TestStoreAndRetrieveInlineAndStreamed(t *testing.T) {
	e := start(t, sim.Options{InlineThreshold: 1024})
	s := e.session(t, privicore.SessionOptions{})
	ctx := ctxT(t)
	key, _ := privicore.NewAESKey()
	for _, size := range []int{13, 900, 200_000} {
		pt := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		st, err := s.Store(ctx, privicore.StoreParams{Key: key, Plaintext: pt, Context: "invoices/2026-Q1", FileName: "f", Extension: "txt"})
		if err != nil {
			t.Fatalf("store %d bytes: %v", size, err)
		}
		wantVia := privicore.PathInline
		if size+privicore.Overhead > 50*1024 {
			wantVia = privicore.PathStream
		}
		if st.Via != wantVia || st.DataToken == "" {
			t.Fatalf("store %d: via %v token %q", size, st.Via, st.DataToken)
		}
		got, err := s.Retrieve(ctx, st.DataToken, key)
		if err != nil {
			t.Fatalf("retrieve %d bytes: %v", size, err)
		}
		if !bytes.Equal(got.Plaintext, pt) {
			t.Fatalf("retrieve %d bytes: payload differs", size)
		}
		if streamed := size+privicore.Overhead > 1024; got.Request.Streamed() != streamed {
			t.Fatalf("size %d: streamed=%v, want %v (sim inline threshold 1024)", size, got.Request.Streamed(), streamed)
		}
		a := st.Reserve
		if a.Acked.IsZero() || a.Written.IsZero() || a.Read.Before(a.Written) || a.Total() <= 0 {
			t.Fatalf("reserve timing incomplete: %+v", a.Timing)
		}
	}
}

func TestForcedPathsOverrideTheSizeRule(t *testing.T) {
	e := start(t, sim.Options{})
	s := e.session(t, privicore.SessionOptions{})
	ctx := ctxT(t)
	key, _ := privicore.NewAESKey()
	st, err := s.Store(ctx, privicore.StoreParams{Key: key, Plaintext: []byte("tiny"), Context: "c", Via: privicore.PathStream})
	if err != nil || st.Via != privicore.PathStream || st.Upstream.HTTPStatus/100 != 2 {
		t.Fatalf("forced stream: %v %+v", err, st.Via)
	}
	got, err := s.Retrieve(ctx, st.DataToken, key)
	if err != nil || string(got.Plaintext) != "tiny" {
		t.Fatalf("retrieve after streamed upload: %v %q", err, got.Plaintext)
	}
	if _, err := s.Store(ctx, privicore.StoreParams{Key: key, Plaintext: []byte("x"), Via: privicore.PathInline}); !errors.Is(err, privicore.ErrInvalidInput) {
		t.Fatalf("store without context: %v, want ErrInvalidInput", err)
	}
}
