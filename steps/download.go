package steps

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// downloadKind reads a payload back: request-data → inline, or streamed
// from the downstream service → decrypt with the VU's key → optionally
// compare with what this VU stored under the token. A tag that does not
// verify is a decrypt error; a plaintext that differs is a verify error.
func downloadKind() *Kind {
	return &Kind{
		KindSpec: scenario.KindSpec{
			Name: "download", Summary: "Fetch and decrypt a stored payload; verify: true compares it with what this VU stored.",
			Params: []scenario.ParamSpec{
				opt("token", scenario.TypeString, "", "the data token; default: the one this VU's last upload stored"),
				opt("verify", scenario.TypeBool, "false", "compare the plaintext's SHA-256 with the upload's"),
			},
			Metrics: totalPhase,
			Inner:   []string{"request-data", "download-data"},
			Example: "- download: {token: \"${data_token}\", verify: true}",
		},
		Session: true,
		run:     runDownload,
	}
}

func runDownload(ctx context.Context, c *call) error {
	tok := c.str("token")
	if tok == "" {
		tok = c.vu.lastToken
	}
	if tok == "" {
		return failure(metrics.ErrExpression, "download: no token given and this VU has uploaded nothing")
	}
	r, err := c.sess.RequestData(ctx, tok)
	c.commandID = r.CommandID
	if err = c.innerAck("request-data", r.Ack, err); err != nil {
		return err
	}
	blob := r.Inline
	if r.Streamed() {
		var res privicore.Result
		blob, res, err = c.vu.p.client.DownloadData(ctx, r.Download)
		if err = c.innerOp("download-data", res.Timing, err); err != nil {
			return err
		}
	}
	c.count[receivedCounter] += int64(len(blob))
	plain, err := c.vu.key.Open(blob)
	if err != nil {
		if errors.Is(err, privicore.ErrIntegrity) {
			return failure(metrics.ErrDecrypt, "download: the payload of "+tok+" does not decrypt with this VU's key")
		}
		return err
	}
	if !c.flag("verify") {
		return nil
	}
	want, ok := c.vu.stored.get(tok)
	if !ok {
		return failure(metrics.ErrVerify, "download: verify: this VU stored nothing under "+tok+" (or more than 4096 uploads ago)")
	}
	if got := sha256.Sum256(plain); !bytes.Equal(got[:], want[:]) {
		return failure(metrics.ErrVerify, "download: verify: the payload of "+tok+" differs from what was stored")
	}
	return nil
}
