package privicore

import (
	"context"
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"time"
)

// Retrieval of stored data: D5 request-data, an async request whose
// payload arrives inline on the socket or behind a download URL, and D6
// download-data, which fetches the latter.

// RequestDataRequest builds D5: POST /data-token/request-data (async
// request: correlated by the x-dpt-cab-request-id header).
func RequestDataRequest(dataToken string) (Request, error) {
	const op = "request-data"
	if err := required(op, "token", dataToken); err != nil {
		return Request{}, err
	}
	r := post(op, "/data-token/request-data", form("token", dataToken))
	r.request = true
	return r, nil
}

// RequestedData is D5's outcome.
type RequestedData struct {
	Ack
	// Inline is the stored blob when it came inline (output_type 0).
	Inline []byte
	// Download is where to fetch a streamed blob: the STREAM-READY's
	// streamUrl, else the downstream token or URL the REQUEST-ID carried.
	Download Secret
	Context  string // data_context, when sent
}

// String prints the correlation facts and the payload's size, never the
// stored ciphertext or the download token.
func (d RequestedData) String() string {
	how := "streamed"
	if !d.Streamed() {
		how = strconv.Itoa(len(d.Inline)) + " bytes inline"
	}
	return "privicore.RequestedData{request " + d.RequestID + ", " + how + "}"
}

// GoString is String.
func (d RequestedData) GoString() string { return d.String() }

// MarshalText is String, for encoding/json and other text encoders.
func (d RequestedData) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Streamed reports whether the payload must be fetched with DownloadData.
func (d RequestedData) Streamed() bool { return d.Inline == nil }

// RequestData is D5. Its message can be lost for good — an ack the proxy
// dropped, or one sent while the socket was down: request-status carries
// no payload, so it cannot be reconciled like a command — so RequestData
// re-issues request-data after every ack timeout, and after a 5xx answer or
// a transport failure (with a pause from 10 ms doubling to 500 ms), for as
// long as ctx allows: until its deadline, or for at most
// requestDataTriesWithoutDeadline tries when ctx has none. Any other error
// (a 404 for a deleted token, a rejection, a lost session) ends it at once.
func (s *Session) RequestData(ctx context.Context, dataToken string) (RequestedData, error) {
	r, err := RequestDataRequest(dataToken)
	if err != nil {
		return RequestedData{}, err
	}
	_, bounded := ctx.Deadline()
	var pause time.Duration
	for try := 1; ; try++ {
		d, err := s.requestDataOnce(ctx, r)
		if err == nil || !worthRequestingAgain(err) || ctx.Err() != nil ||
			(!bounded && try >= requestDataTriesWithoutDeadline) {
			return d, err
		}
		if errors.Is(err, ErrAckTimeout) {
			continue // the wait was the pause
		}
		pause = min(max(2*pause, 10*time.Millisecond), 500*time.Millisecond)
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return d, err
		}
	}
}

// requestDataTriesWithoutDeadline bounds RequestData when ctx has no
// deadline, so that an endless fault cannot make it loop for ever: with
// 30 % of messages lost, four tries fail 0.8 % of the time (one re-issue,
// the old rule, failed 9 %).
const requestDataTriesWithoutDeadline = 4

func (s *Session) requestDataOnce(ctx context.Context, r Request) (RequestedData, error) {
	p, err := s.Submit(ctx, r)
	if err != nil {
		return RequestedData{}, err
	}
	ack, err := p.Wait(ctx)
	if err != nil {
		return RequestedData{Ack: ack}, err
	}
	return RequestedDataFrom(ack)
}

// worthRequestingAgain reports the failures a new request-data may not
// meet: its message lost (ack timeout), server trouble (5xx) and transport
// trouble.
func worthRequestingAgain(err error) bool {
	var te *TransportError
	return errors.Is(err, ErrAckTimeout) || StatusOf(err) >= 500 || errors.As(err, &te)
}

// RequestedDataFrom reads request-data's outcome from its Ack, for callers
// that sent RequestDataRequest through Submit and waited themselves.
func RequestedDataFrom(ack Ack) (RequestedData, error) {
	m := ack.Message
	d := RequestedData{Ack: ack, Context: m.DataContext}
	switch {
	case m.Type == TypeStreamReady:
		d.Download = Secret(firstNonEmpty(m.StreamURL, m.Stream, m.Body))
	case m.OutputType == OutputStreamed:
		d.Download = Secret(m.Body)
	default:
		blob, err := base64.StdEncoding.DecodeString(m.Body)
		if err != nil {
			return d, &DecodeError{Op: "request-data", Err: err} // the body is stored ciphertext: not shown
		}
		d.Inline = blob
	}
	return d, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// DownloadData is D6: GET the downstream URL (query auth) and return the
// stored blob. download is RequestedData.Download: a full URL, or a bare
// downstream token resolved against Options.DownstreamURL.
func (c *Client) DownloadData(ctx context.Context, download Secret) ([]byte, Result, error) {
	const op = "download-data"
	target, err := downloadURL(download.Reveal(), c.downstream)
	if err != nil {
		return nil, Result{}, err
	}
	res, err := c.do(ctx, &Request{Op: op, Method: "GET", Path: target, auth: authQuery, pass: download})
	if err != nil {
		return nil, Result{}, err
	}
	return res.body, Result{HTTPStatus: res.status, Timing: res.timing}, nil
}

func downloadURL(download, base string) (string, error) {
	if u, err := url.Parse(download); err == nil && u.Scheme != "" && u.Host != "" {
		return download, nil
	}
	if download == "" || base == "" {
		return "", invalid("download-data", "need a download URL or token")
	}
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" {
		return "", invalid("download-data", "Options.DownstreamURL is not absolute")
	}
	if u.Path == "" {
		u.Path = "/"
	}
	u.RawQuery = url.Values{"auth": {download}}.Encode()
	return u.String(), nil
}
