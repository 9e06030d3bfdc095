package privicore

import (
	"context"
	"encoding/base64"
	"net/url"
	"strconv"
	"time"
)

// ReserveParams are D1's inputs.
type ReserveParams struct {
	Context string // required: free-form grouping label
	// TTL in minutes (the site's reading; ttl=300 was rejected on the wire,
	// 5 accepted). 0 means 5.
	TTL  int
	Meta string // optional
}

// ReserveTokenSpaceRequest builds D1: POST /data-token/reserve-token-space.
func ReserveTokenSpaceRequest(p ReserveParams) (Request, error) {
	const op = "reserve-token-space"
	if err := required(op, "context", p.Context); err != nil {
		return Request{}, err
	}
	if p.TTL < 0 {
		return Request{}, invalid(op, "ttl must not be negative, got %d", p.TTL)
	}
	if p.TTL == 0 {
		p.TTL = 5
	}
	f := form("context", p.Context, "ttl", strconv.Itoa(p.TTL))
	if p.Meta != "" {
		f.Set("meta", p.Meta)
	}
	return post(op, "/data-token/reserve-token-space", f), nil
}

// ReserveTokenSpace is D1 (async command). The Ack's CommandID is the
// reservation id for RetrieveTemporaryDataToken.
func (s *Session) ReserveTokenSpace(ctx context.Context, p ReserveParams) (Ack, error) {
	r, err := ReserveTokenSpaceRequest(p)
	if err != nil {
		return Ack{}, err
	}
	return s.command(ctx, r)
}

// TemporaryToken is D2's answer.
type TemporaryToken struct {
	Token  string // tmp-…
	Stream Secret // upstream URL with its single-use ?auth=…; "" if absent
	Timing
}

// RetrieveTemporaryDataToken is D2: GET
// /data-token/retrieve-temporary-data-token/{reserveCommandID}; the body may
// be {token, stream} or a bare token string.
func (s *Session) RetrieveTemporaryDataToken(ctx context.Context, reserveCommandID string) (TemporaryToken, error) {
	const op = "retrieve-temporary-data-token"
	if err := required(op, "commandId", reserveCommandID); err != nil {
		return TemporaryToken{}, err
	}
	res, err := s.call(ctx, get(op, "/data-token/retrieve-temporary-data-token/"+url.PathEscape(reserveCommandID)))
	if err != nil {
		return TemporaryToken{}, err
	}
	tok, ok := stringOrField(res.body, "token")
	if !ok {
		return TemporaryToken{}, badBody(op, res.body, "no token")
	}
	stream, _ := stringOrField(res.body, "stream")
	if stream == tok {
		stream = ""
	}
	return TemporaryToken{Token: tok, Stream: Secret(stream), Timing: res.timing}, nil
}

// ExchangeDataForTokenRequest builds D3: POST
// /data-token/exchange-data-for-token with the AES-GCM blob base64-encoded.
func ExchangeDataForTokenRequest(temporaryToken string, blob []byte) (Request, error) {
	const op = "exchange-data-for-token"
	if err := required(op, "temporaryTokenSpace", temporaryToken); err != nil {
		return Request{}, err
	}
	if len(blob) < Overhead {
		return Request{}, invalid(op, "data is %d bytes, shorter than an AES-GCM blob (%d)", len(blob), Overhead)
	}
	f := form("temporaryTokenSpace", temporaryToken, "data", base64.StdEncoding.EncodeToString(blob))
	return post(op, "/data-token/exchange-data-for-token", f), nil
}

// ExchangeDataForToken is D3 (async command).
func (s *Session) ExchangeDataForToken(ctx context.Context, temporaryToken string, blob []byte) (Ack, error) {
	r, err := ExchangeDataForTokenRequest(temporaryToken, blob)
	if err != nil {
		return Ack{}, err
	}
	return s.command(ctx, r)
}

// UpstreamFile is D4: POST the raw blob to the stream URL from D2
// (query auth, application/octet-stream). No ack is documented.
func (c *Client) UpstreamFile(ctx context.Context, streamURL Secret, blob []byte) (Result, error) {
	const op = "upstream-file"
	if err := required(op, "stream URL", streamURL.Reveal()); err != nil {
		return Result{}, err
	}
	if blob == nil {
		blob = []byte{}
	}
	res, err := c.do(ctx, &Request{Op: op, Method: "POST", Path: streamURL.Reveal(), Raw: blob, auth: authQuery, pass: streamURL})
	if err != nil {
		return Result{}, err
	}
	return Result{HTTPStatus: res.status, Timing: res.timing}, nil
}

// ConfigureInformationSecurityRiskMeta is D7: POST
// /data-token/configure-information-security-risk-meta, token plus any fields.
func (s *Session) ConfigureInformationSecurityRiskMeta(ctx context.Context, dataToken string, fields map[string]string) (Ack, error) {
	const op = "configure-information-security-risk-meta"
	if err := required(op, "token", dataToken); err != nil {
		return Ack{}, err
	}
	f := form("token", dataToken)
	for k, v := range fields {
		if k != "token" {
			f.Set(k, v)
		}
	}
	return s.command(ctx, post(op, "/data-token/configure-information-security-risk-meta", f))
}

// FileMeta are D8's inputs (all required by the wire).
type FileMeta struct {
	TemporaryToken string // tmp-…
	FileName       string
	Extension      string // without the dot
	Context        string // should match the reservation
	Size           int64  // plaintext bytes
	Path           string // virtual path; "" means "/"
}

// DataToken is D8's answer: the permanent token.
type DataToken struct {
	Token string // dtk-…
	Timing
}

// ConfigureFileMeta is D8 (synchronous): POST /data-token/configure-file-meta
// turns tmp-… into dtk-…; the body is {token} or a bare string.
func (s *Session) ConfigureFileMeta(ctx context.Context, m FileMeta) (DataToken, error) {
	const op = "configure-file-meta"
	if m.Path == "" {
		m.Path = "/"
	}
	if err := required(op, "token", m.TemporaryToken, "fileName", m.FileName, "extension", m.Extension, "context", m.Context); err != nil {
		return DataToken{}, err
	}
	if m.Size < 0 {
		return DataToken{}, invalid(op, "size must not be negative")
	}
	f := form("token", m.TemporaryToken, "fileName", m.FileName, "extension", m.Extension,
		"context", m.Context, "size", strconv.FormatInt(m.Size, 10), "path", m.Path)
	res, err := s.call(ctx, post(op, "/data-token/configure-file-meta", f))
	if err != nil {
		return DataToken{}, err
	}
	tok, ok := stringOrField(res.body, "token")
	if !ok {
		return DataToken{}, badBody(op, res.body, "no token")
	}
	return DataToken{Token: tok, Timing: res.timing}, nil
}

// DataTokenInfo is one row of D9.
type DataTokenInfo struct {
	Token     string `json:"token"`
	Context   string `json:"context"`
	FileName  string `json:"fileName"`
	Extension string `json:"extension"`
	Size      int64  `json:"size"`
	CreatedAt string `json:"createdAt"`
}

// Created parses CreatedAt (either RFC 3339 offset form).
func (d DataTokenInfo) Created() time.Time { return parseTime(d.CreatedAt) }

// DataTokenList is D9's answer.
type DataTokenList struct {
	Items   []DataTokenInfo
	Count   int
	Page    int
	PerPage int
	Timing
}

// ListDataTokens is D9: GET /data-token/list-data-tokens?page=&perPage=
// (0 leaves a parameter out: the server's default).
func (s *Session) ListDataTokens(ctx context.Context, page, perPage int) (DataTokenList, error) {
	r := get("list-data-tokens", "/data-token/list-data-tokens")
	r.Query = url.Values{}
	if page > 0 {
		r.Query.Set("page", strconv.Itoa(page))
	}
	if perPage > 0 {
		r.Query.Set("perPage", strconv.Itoa(perPage))
	}
	var w struct {
		Items []DataTokenInfo `json:"items"`
		Meta  struct {
			Count   flexInt `json:"count"`
			Page    flexInt `json:"page"`
			PerPage flexInt `json:"perPage"`
		} `json:"meta"`
	}
	t, err := s.decodeInto(ctx, r, &w)
	return DataTokenList{Items: w.Items, Count: int(w.Meta.Count), Page: int(w.Meta.Page),
		PerPage: int(w.Meta.PerPage), Timing: t}, err
}

// UpdateDataTokenParams are D10's inputs; empty optional fields are not sent.
type UpdateDataTokenParams struct {
	Token     string // required, dtk-…
	FileName  string
	Extension string
	Context   string
}

// UpdateDataToken is D10 on the wire-verified path POST
// /data-token/update-data-token (form, metadata only; async command).
func (s *Session) UpdateDataToken(ctx context.Context, p UpdateDataTokenParams) (Ack, error) {
	const op = "update-data-token"
	if err := required(op, "token", p.Token); err != nil {
		return Ack{}, err
	}
	f := form("token", p.Token)
	for _, kv := range [][2]string{{"fileName", p.FileName}, {"extension", p.Extension}, {"context", p.Context}} {
		if kv[1] != "" {
			f.Set(kv[0], kv[1])
		}
	}
	return s.command(ctx, post(op, "/data-token/update-data-token", f))
}

// DeleteData is D11: POST /data-token/delete-data (async command).
func (s *Session) DeleteData(ctx context.Context, dataToken string) (Ack, error) {
	const op = "delete-data"
	if err := required(op, "token", dataToken); err != nil {
		return Ack{}, err
	}
	return s.command(ctx, post(op, "/data-token/delete-data", form("token", dataToken)))
}
