package steps

import (
	"context"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// dataTokenKinds are D1–D4 and D7–D11: reservations, payload exchange and
// data-token records. Payload parameters are plaintext: the kinds encrypt
// them with the VU's AES key before they leave the process, as upload does.
func dataTokenKinds() []*Kind {
	token := must("token", scenario.TypeString, "the data token (dtk-…)")
	return []*Kind{
		op(opDecl{
			name: "reserve-token-space", summary: "Reserve a temporary token space (D1).",
			method: "POST", path: "/data-token/reserve-token-space", async: true,
			params: []scenario.ParamSpec{
				opt("context", scenario.TypeString, "pcflow", "free-form grouping label"),
				opt("ttl", scenario.TypeInt, "5", "reservation lifetime in minutes (1–60)"),
				opt("meta", scenario.TypeString, "", "optional metadata"),
			},
			captures: captures("reservation_id", "the reservation's command id, for retrieve-temporary-data-token"),
			example:  "- reserve-token-space: {context: reports, ttl: 5}",
			run: func(ctx context.Context, c *call) error {
				a, err := c.sess.ReserveTokenSpace(ctx, privicore.ReserveParams{
					Context: c.str("context"), TTL: c.int("ttl"), Meta: c.str("meta")})
				if err == nil {
					c.set("reservation_id", a.CommandID)
				}
				return c.ack(a, err)
			},
		}),
		op(opDecl{
			name: "retrieve-temporary-data-token", summary: "Retrieve a reservation's temporary token and stream URL (D2).",
			method: "GET", path: "/data-token/retrieve-temporary-data-token/{commandId}",
			params:   []scenario.ParamSpec{must("commandId", scenario.TypeString, "reserve-token-space's command id")},
			captures: captures("temporary_token", "the temporary token (tmp-…)", "stream_url", "the upstream URL with its single-use auth (secret)"),
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.RetrieveTemporaryDataToken(ctx, c.str("commandId"))
				if err == nil {
					c.set("temporary_token", r.Token)
					c.setSecret("stream_url", r.Stream)
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "exchange-data-for-token", summary: "Encrypt data with the VU's key and store it inline in a reservation (D3).",
			method: "POST", path: "/data-token/exchange-data-for-token", async: true,
			params: []scenario.ParamSpec{
				must("temporaryTokenSpace", scenario.TypeString, "the temporary token (tmp-…)"),
				opt("data", scenario.TypeString, "pcflow", "the plaintext to encrypt and store"),
			},
			run: func(ctx context.Context, c *call) error {
				blob, err := c.vu.key.Seal([]byte(c.str("data")))
				if err != nil {
					return err
				}
				c.count[sentCounter] += int64(len(blob))
				return c.ack(c.sess.ExchangeDataForToken(ctx, c.str("temporaryTokenSpace"), blob))
			},
		}),
		op(opDecl{
			name: "upstream-file", summary: "Encrypt data with the VU's key and POST it to a stream URL (D4).",
			method: "POST", path: "{upstream}/?auth=…", public: true,
			params: []scenario.ParamSpec{
				hidden(opt("stream", scenario.TypeString, "", "the stream URL; default: the one this VU's last retrieve-temporary-data-token gave")),
				opt("data", scenario.TypeString, "pcflow", "the plaintext to encrypt and upload"),
			},
			run: func(ctx context.Context, c *call) error {
				blob, err := c.vu.key.Seal([]byte(c.str("data")))
				if err != nil {
					return err
				}
				c.count[sentCounter] += int64(len(blob))
				return c.doneStatus(c.vu.p.client.UpstreamFile(ctx, c.secretOr("stream", "stream_url"), blob))
			},
		}),
		op(opDecl{
			name: "configure-information-security-risk-meta", summary: "Attach risk metadata fields to a data token (D7).",
			method: "POST", path: "/data-token/configure-information-security-risk-meta", async: true,
			params: []scenario.ParamSpec{token, {Name: "fields", Type: scenario.TypeMap, Doc: "the metadata fields, sent as form fields"}},
			run: func(ctx context.Context, c *call) error {
				return c.ack(c.sess.ConfigureInformationSecurityRiskMeta(ctx, c.str("token"), c.fields("fields")))
			},
		}),
		op(opDecl{
			name: "configure-file-meta", summary: "Describe a filled reservation's file; turns tmp-… into dtk-… (D8).",
			method: "POST", path: "/data-token/configure-file-meta",
			params: []scenario.ParamSpec{
				must("token", scenario.TypeString, "the temporary token (tmp-…)"),
				opt("fileName", scenario.TypeString, "data", "file name"),
				opt("extension", scenario.TypeString, "bin", "extension without the dot"),
				opt("context", scenario.TypeString, "pcflow", "should match the reservation's"),
				opt("size", scenario.TypeSize, "0", "plaintext bytes"),
				opt("path", scenario.TypeString, "/", "virtual path"),
			},
			captures: captures("data_token", "the permanent data token (dtk-…)"),
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.ConfigureFileMeta(ctx, privicore.FileMeta{
					TemporaryToken: c.str("token"), FileName: c.str("fileName"), Extension: c.str("extension"),
					Context: c.str("context"), Size: c.num("size"), Path: c.str("path")})
				if err == nil {
					c.set("data_token", r.Token)
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "list-data-tokens", summary: "List the profile's data tokens (D9).",
			method: "GET", path: "/data-token/list-data-tokens",
			params: []scenario.ParamSpec{
				opt("page", scenario.TypeInt, "0", "page number; 0 leaves it to the server"),
				opt("perPage", scenario.TypeInt, "0", "page size; 0 leaves it to the server"),
			},
			captures: captures("data_token_count", "how many tokens the profile has"),
			example:  "- list-data-tokens: {}",
			run: func(ctx context.Context, c *call) error {
				r, err := c.sess.ListDataTokens(ctx, c.int("page"), c.int("perPage"))
				keep(c, r.Items)
				if err == nil {
					c.set("data_token_count", int64(r.Count))
				}
				return c.done(r.Timing, err)
			},
		}),
		op(opDecl{
			name: "update-data-token", summary: "Update a data token's metadata (D10).",
			method: "POST", path: "/data-token/update-data-token", async: true,
			params: []scenario.ParamSpec{token,
				opt("fileName", scenario.TypeString, "", "new file name"),
				opt("extension", scenario.TypeString, "", "new extension"),
				opt("context", scenario.TypeString, "", "new context"),
			},
			run: func(ctx context.Context, c *call) error {
				return c.ack(c.sess.UpdateDataToken(ctx, privicore.UpdateDataTokenParams{
					Token: c.str("token"), FileName: c.str("fileName"), Extension: c.str("extension"), Context: c.str("context")}))
			},
		}),
		op(opDecl{
			name: "delete-data", summary: "Delete a data token and its data (D11).",
			method: "POST", path: "/data-token/delete-data", async: true,
			params: []scenario.ParamSpec{token},
			run: func(ctx context.Context, c *call) error {
				tok := c.str("token")
				err := c.ack(c.sess.DeleteData(ctx, tok))
				if err == nil {
					c.vu.stored.forget(tok)
				}
				return err
			},
		}),
	}
}
