package steps

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// uploadKind stores a payload the way a Privicore client does: reserve →
// temporary token → AES-256-GCM with the VU's key → exchange inline or
// stream upstream → file meta. Each operation is timed as an inner
// metric. The VU remembers the plaintext's SHA-256 under the data token,
// for download's verify.
func uploadKind() *Kind {
	return &Kind{
		KindSpec: scenario.KindSpec{
			Name: "upload", Summary: "Encrypt and store a payload; captures data_token.",
			Params: []scenario.ParamSpec{
				opt("size", scenario.TypeSize, "1024", "random payload bytes (when neither content nor file is given)"),
				opt("content", scenario.TypeString, "", "the payload as text"),
				opt("file", scenario.TypeString, "", "a file whose bytes are the payload, relative to the scenario"),
				enum("path", "auto", "how the ciphertext travels: auto (by size), inline or stream", "auto", "inline", "stream"),
				opt("context", scenario.TypeString, "pcflow", "the reservation's context label"),
				opt("fileName", scenario.TypeString, "data", "the stored file's name"),
				opt("extension", scenario.TypeString, "bin", "its extension"),
				opt("ttl", scenario.TypeInt, "5", "reservation minutes"),
			},
			Captures: captures("data_token", "the stored payload's data token (dtk-…)"),
			Metrics:  totalPhase,
			Inner: []string{"reserve-token-space", "retrieve-temporary-data-token",
				"exchange-data-for-token", "upstream-file", "configure-file-meta"},
			Example: "- upload: {size: 4KiB}",
		},
		Session: true,
		run:     runUpload,
	}
}

func runUpload(ctx context.Context, c *call) error {
	plain, err := c.payload()
	if err != nil {
		return err
	}
	blob, err := c.vu.key.Seal(plain)
	if err != nil {
		return err
	}
	s := c.sess
	reserve, err := s.ReserveTokenSpace(ctx, privicore.ReserveParams{Context: c.str("context"), TTL: c.int("ttl")})
	c.commandID = reserve.CommandID
	if err = c.innerAck("reserve-token-space", reserve, err); err != nil {
		return err
	}
	tmp, err := s.RetrieveTemporaryDataToken(ctx, reserve.CommandID)
	if err = c.innerOp("retrieve-temporary-data-token", tmp.Timing, err); err != nil {
		return err
	}
	if err = c.send(ctx, tmp, blob); err != nil {
		return err
	}
	meta, err := s.ConfigureFileMeta(ctx, privicore.FileMeta{TemporaryToken: tmp.Token,
		FileName: c.str("fileName"), Extension: c.str("extension"), Context: c.str("context"),
		Size: int64(len(plain))})
	if err = c.innerOp("configure-file-meta", meta.Timing, err); err != nil {
		return err
	}
	c.count[sentCounter] += int64(len(blob))
	c.vu.stored.put(meta.Token, sha256.Sum256(plain))
	c.vu.lastToken = meta.Token
	c.set("data_token", meta.Token)
	return nil
}

// send moves the ciphertext inline (exchange-data-for-token) or to the
// upstream stream URL, as path: says.
func (c *call) send(ctx context.Context, tmp privicore.TemporaryToken, blob []byte) error {
	stream := c.str("path") == "stream" || (c.str("path") == "auto" && len(blob) > c.vu.p.client.InlineLimit())
	if !stream {
		a, err := c.sess.ExchangeDataForToken(ctx, tmp.Token, blob)
		return c.innerAck("exchange-data-for-token", a, err)
	}
	if tmp.Stream == "" {
		return failure(metrics.ErrExpect, "upload: retrieve-temporary-data-token gave no stream URL for an upstream payload")
	}
	r, err := c.vu.p.client.UpstreamFile(ctx, tmp.Stream, blob)
	return c.innerOp("upstream-file", r.Timing, err)
}

// payload is the plaintext to store: content, a file's bytes, or size
// random bytes from the VU's generator (repeatable under a seed).
func (c *call) payload() ([]byte, error) {
	if s := c.str("content"); s != "" {
		return []byte(s), nil
	}
	if f := c.str("file"); f != "" {
		if !filepath.IsAbs(f) {
			f = filepath.Join(c.vu.p.dir, f)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, failure(metrics.ErrExpression, "upload: file: "+err.Error())
		}
		return b, nil
	}
	n := c.num("size")
	if n < 0 || n > 1<<30 {
		return nil, failure(metrics.ErrExpression, "upload: size out of range 0..1GiB")
	}
	// The VU's buffer is reused: the plaintext is sealed and hashed, never
	// kept, and a fresh slice per upload would be GC churn at MiB sizes.
	if int64(cap(c.vu.buf)) < n {
		c.vu.buf = make([]byte, n)
	}
	b := c.vu.buf[:n]
	for i := 0; i < len(b); i += 8 {
		x := c.vu.rng.Uint64()
		for j := 0; j < 8 && i+j < len(b); j++ {
			b[i+j] = byte(x >> (8 * j))
		}
	}
	return b, nil
}
