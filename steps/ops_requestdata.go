package steps

import (
	"context"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

// sentCounter and receivedCounter are the byte counters kinds add to.
const (
	sentCounter     = metrics.BytesSent
	receivedCounter = metrics.BytesReceived
)

// requestDataKinds are D5–D6: asking for stored data and fetching a
// streamed payload. download composes them with decryption.
func requestDataKinds() []*Kind {
	return []*Kind{
		op(opDecl{
			name: "request-data", summary: "Request a data token's payload; ends when X-DPT-CAB-REQUEST-ID (and STREAM-READY) arrived (D5).",
			method: "POST", path: "/data-token/request-data", async: true,
			params:   []scenario.ParamSpec{must("token", scenario.TypeString, "the data token (dtk-…)")},
			captures: captures("download", "where to fetch a streamed payload (secret); empty when it came inline"),
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.RequestData(ctx, c.str("token"))
				c.count[receivedCounter] += int64(len(r.Inline))
				if err == nil {
					c.setSecret("download", r.Download)
				}
				return c.ack(r.Ack, err)
			},
		}),
		op(opDecl{
			name: "download-data", summary: "Fetch a streamed payload from the downstream service (D6).",
			method: "GET", path: "{downstream}/?auth=…", public: true,
			params: []scenario.ParamSpec{hidden(opt("download", scenario.TypeString, "", "where to fetch; default: this VU's last request-data download"))},
			run: func(ctx context.Context, c *call) error {
				blob, r, err := c.vu.p.client.DownloadData(ctx, c.secretOr("download", "download"))
				c.count[receivedCounter] += int64(len(blob))
				return c.doneStatus(r, err)
			},
		}),
	}
}
