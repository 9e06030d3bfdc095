package privicore

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Options configure a Client. Every zero value is a usable default.
type Options struct {
	// APIURL is the CAB HTTP API base URL; "" means http://localhost:8009.
	APIURL string
	// WSURL is the WebSocket proxy URL; "" means ws://localhost:8083.
	WSURL string
	// DownstreamURL resolves a bare downstream token (output_type 1 without
	// a STREAM-READY URL); "" means http://localhost:8011.
	DownstreamURL string
	// HTTPClient sends every request; nil means the package's own: requests
	// to an http:// API URL (that no proxy variable applies to) with bodies
	// up to 16 KiB — every command and query — go over the package's own
	// HTTP/1.1 keep-alive connections (up to 1024 idle, closed after 90 s
	// idle; see the package doc), and everything else (https, proxies, the
	// stream hosts, uploads) through a clone of http.DefaultTransport sized
	// for load: MaxIdleConnsPerHost 1024 and no overall idle cap
	// (MaxIdleConns 0), and no Client.Timeout (each call is bounded by its
	// context and RequestTimeout).
	//
	// A client of your own should do the same: keep-alives on;
	// MaxIdleConnsPerHost at least the requests you keep in flight (the
	// default of 2 closes and redials all the others, each leaving a socket
	// in TIME_WAIT); MaxIdleConns 0 or at least MaxIdleConnsPerHost times
	// the hosts (API, upstream, downstream) — http.DefaultTransport's 100
	// caps the whole pool below the per-host figure; no Client.Timeout,
	// which would also cut a large streamed upload or download.
	//
	// The API answers no redirect, and one would carry the token header
	// to wherever it points (net/http forwards custom headers), so a
	// client with no Jar, CheckRedirect or Timeout of its own — the
	// default one included — sends through its Transport directly and
	// follows none: a 3xx is an *APIError. That also saves the http.Client
	// layer's header copy and timer per request.
	HTTPClient *http.Client
	// RequestTimeout bounds one HTTP exchange, from the call's start; 0
	// means 30 s. On the own path (see HTTPClient) it and ctx's deadline,
	// whichever is sooner, are the connection's deadline, and ctx's
	// cancellation moves that deadline to the past, so a call costs no
	// timer or derived context. Through net/http, a call whose ctx already
	// has a sooner deadline (a load test's step timeout) costs no timer of
	// its own; one without pays a context.WithTimeout.
	RequestTimeout time.Duration
	// InlineLimit is the largest ciphertext sent through
	// exchange-data-for-token; bigger payloads go to the upstream stream URL.
	// 0 means 50 KiB (the reference's "~50 KB").
	InlineLimit int
	// MaxResponseBytes caps a response body read and a WebSocket frame (a
	// bigger frame drops the socket, which then reconnects); 0 means 256 MiB.
	MaxResponseBytes int64
}

// Client talks to one Privicore deployment. It is safe for concurrent use;
// it holds no per-profile state (that lives in Session).
type Client struct {
	api  string // absolute API base URL without a trailing slash; "" if unusable
	ws   string
	http *http.Client
	// send is http.Do, or the Transport's RoundTrip when the client adds
	// nothing to it (see Options.HTTPClient).
	send       func(*http.Request) (*http.Response, error)
	h1         *h1Pool // the default client's own path to the API; nil: net/http only
	timeout    time.Duration
	inline     int
	maxBody    int64
	downstream string

	dialer *websocket.Dialer

	joinedMu sync.Mutex
	joined   map[Secret]bool // tokens with a socket session open (one each)
}

// wsReadBuffer is a socket's read buffer: acks are ~200 bytes, and a
// frame bigger than the buffer is read past it into the frame's own
// buffer, so 4 KiB (gorilla's default) per idle session buys nothing.
const wsReadBuffer = 1024

// newDialer is websocket.DefaultDialer with a smaller read buffer and a
// write buffer borrowed from a pool only while a frame is written: a
// session writes its join and leave, so keeping gorilla's own 4 KiB write
// buffer per socket was a third of an idle session's heap.
func newDialer() *websocket.Dialer {
	return &websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: 45 * time.Second,
		ReadBufferSize: wsReadBuffer, WriteBufferPool: &sync.Pool{}}
}

// New returns a Client; bad URLs are reported by the first call that uses them.
func New(opts Options) *Client {
	c := &Client{ws: opts.WSURL, http: opts.HTTPClient, timeout: opts.RequestTimeout,
		inline: opts.InlineLimit, maxBody: opts.MaxResponseBytes, dialer: newDialer(), joined: make(map[Secret]bool)}
	c.downstream = opts.DownstreamURL
	if c.downstream == "" {
		c.downstream = "http://localhost:8011"
	}
	if c.ws == "" {
		c.ws = "ws://localhost:8083"
	}
	own := c.http == nil
	if own {
		c.http = &http.Client{Transport: loadTransport()}
	}
	c.send = c.http.Do
	if h := c.http; h.Jar == nil && h.CheckRedirect == nil && h.Timeout == 0 {
		rt := h.Transport
		if rt == nil {
			rt = http.DefaultTransport
		}
		c.send = rt.RoundTrip
	}
	if c.timeout <= 0 {
		c.timeout = 30 * time.Second
	}
	if c.inline <= 0 {
		c.inline = 50 * 1024
	}
	if c.maxBody <= 0 {
		c.maxBody = 256 << 20
	}
	raw := opts.APIURL
	if raw == "" {
		raw = "http://localhost:8009"
	}
	if u, err := url.Parse(strings.TrimRight(raw, "/")); err == nil && u.Scheme != "" {
		c.api = u.String()
		if own {
			c.h1 = newH1Pool(u)
		}
	}
	return c
}

// idleConnsPerHost is how many keep-alive connections to one host the
// default transport keeps: at least the requests a load test keeps in
// flight, so that none is closed after use and redialled (with 400 in
// flight and the old global cap of 100, 6,147 sockets sat in TIME_WAIT
// after 10 s, and acked commands/s fell from 21.0k to 16.3k). Idle ones
// beyond what the load needs close after IdleConnTimeout (90 s).
const idleConnsPerHost = 1024

// loadTransport is http.DefaultTransport's settings (proxy from the
// environment, dial and TLS timeouts, HTTP/2 attempt) with a pool sized for
// load: MaxIdleConns 0 lifts the global idle cap (100) that otherwise sits
// below the per-host one.
func loadTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 0
	tr.MaxIdleConnsPerHost = idleConnsPerHost
	return tr
}

// authKind is how a request proves who it is (reference §1.2).
type authKind uint8

const (
	authPublic      authKind = iota
	authToken                // X-DPT-AUTHORIZATION: <token>
	authBasicClient          // Authorization: Basic base64(id:secret)
	authBasicRaw             // Authorization: Basic <access token>, not encoded
	authQuery                // ?auth=… already inside the URL
)

// Request describes one HTTP operation. Builders such as
// ReserveTokenSpaceRequest fill it; Session.Submit sends it.
type Request struct {
	Op     string     // operation name used in errors, e.g. "reserve-token-space"
	Method string     // GET or POST
	Path   string     // path below the API URL; Session.Submit refuses an absolute URL (it would carry the token)
	Query  url.Values // query string
	Form   url.Values // form body (application/x-www-form-urlencoded)
	JSON   any        // JSON body; nil with Form nil and Raw nil means no body
	Raw    []byte     // raw body (application/octet-stream)

	auth     authKind
	token    Secret
	tokenHdr []string // the session's [token], shared: no header slice per call
	user     string
	pass     Secret
	request  bool // async request: correlate by x-dpt-cab-request-id
}

// String names the operation only: forms can hold passwords and ciphertext.
func (r Request) String() string {
	return "privicore.Request{" + r.Op + " " + r.Method + " " + redactQuery(r.Path) + "}"
}

// GoString is String, so %#v does not print the form or the token either.
func (r Request) GoString() string { return r.String() }

// MarshalText is String, for encoding/json and other text encoders.
func (r Request) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// secretFields are form fields whose values never appear in errors.
var secretFields = [...]string{"password", "currentPassword", "newPassword", "refresh_token", "authorization_code", "data"}

// scrub removes every secret the request carries from text.
func (r *Request) scrub(text string) string {
	secrets := []Secret{r.token, r.pass}
	for _, f := range secretFields {
		if v := r.Form.Get(f); v != "" {
			secrets = append(secrets, Secret(v))
		}
	}
	return scrub(text, secrets...)
}

// response is a completed HTTP exchange.
type response struct {
	status int
	header http.Header // from net/http; the own path keeps rawHeader instead
	body   []byte
	timing Timing
	// rawHeader is the own path's header block, "name:value\n" lines with
	// trimmed values, read by headerGet only when a header is asked for.
	rawHeader []byte
	// inline holds the own path's header block and body when they fit,
	// which a 202's (173 bytes from the simulator) do: one allocation per
	// call fewer.
	inline [256]byte
}

// netResponse is a response with what an exchange through net/http needs
// besides, in one allocation; the own path allocates only the response.
type netResponse struct {
	response
	// wroteMu guards wrote: the transport's writer goroutine stamps it, and
	// a server that answers before reading the whole body (a 401 on an
	// upload) makes Do return while that goroutine is still writing.
	wroteMu sync.Mutex
	wrote   time.Time
	// The body's reader lives here to save an allocation per call. It must
	// stay a *strings.Reader or *bytes.Reader: for any other type net/http
	// flushes the headers before the body, one more write (and TCP segment)
	// per request, which cost more than the four allocations a reader of
	// our own that stamps the write time would save (measured: 2.5 instead
	// of 1.2 write calls per command).
	sr    strings.Reader
	br    bytes.Reader
	trace httptrace.ClientTrace // lives here to save an allocation per call
}

// headerGet is http.Header.Get for either path: the first value of the
// header name, matched without regard to case.
func (res *response) headerGet(name string) string {
	if res.header != nil {
		return res.header.Get(name)
	}
	for b := res.rawHeader; len(b) > 0; {
		line, rest, _ := bytes.Cut(b, []byte{'\n'})
		b = rest
		if k, v, _ := bytes.Cut(line, []byte{':'}); asciiEqualFold(k, name) {
			return string(v)
		}
	}
	return ""
}

func (res *netResponse) stampWritten() {
	res.wroteMu.Lock()
	res.wrote = time.Now()
	res.wroteMu.Unlock()
}

// written is when the request was fully written, else when the call began.
func (res *netResponse) written() time.Time {
	res.wroteMu.Lock()
	defer res.wroteMu.Unlock()
	if res.wrote.IsZero() {
		return res.timing.Start
	}
	return res.wrote
}

// do sends r and reads the whole response. Non-2xx answers become *APIError.
func (c *Client) do(ctx context.Context, r *Request) (*response, error) {
	start := time.Now()
	if c.h1 != nil {
		js, err := marshalJSON(r)
		if err != nil {
			return nil, err
		}
		if target, ok := c.h1.uri(r, len(js)); ok {
			return c.doH1(ctx, r, &response{timing: Timing{Start: start}}, target, js)
		}
	}
	nr := &netResponse{response: response{timing: Timing{Start: start}}}
	res := &nr.response
	if d, ok := ctx.Deadline(); !ok || d.Sub(res.timing.Start) > c.timeout {
		var cancel context.CancelFunc // a sooner deadline of the caller's needs no timer of ours
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	req, err := c.build(ctx, r, nr)
	if err != nil {
		return nil, err
	}
	hr, err := c.send(req)
	if err != nil {
		return nil, &TransportError{Op: r.Op, Err: urlCause(err), text: r.scrub(redactErr(err))}
	}
	defer hr.Body.Close()
	res.body, err = c.readBody(hr)
	res.timing.Read = time.Now()
	res.timing.Written = nr.written()
	if err != nil {
		return nil, &TransportError{Op: r.Op, Err: err, text: "reading response: " + redactErr(err)}
	}
	res.status, res.header = hr.StatusCode, hr.Header
	if hr.StatusCode < 200 || hr.StatusCode > 299 {
		return res, c.apiError(r, res)
	}
	return res, nil
}

// doH1 is do on the own HTTP/1.1 path (see h1Pool).
func (c *Client) doH1(ctx context.Context, r *Request, res *response, target string, js []byte) (*response, error) {
	if e := c.h1.exchange(ctx, r, res, target, js, c.timeout, c.maxBody); e != nil {
		return nil, &TransportError{Op: r.Op, Err: e.err, text: e.phase + r.scrub(redactErr(e.err))}
	}
	if res.status < 200 || res.status > 299 {
		return res, c.apiError(r, res)
	}
	return res, nil
}

// exactBodyMax is the largest declared Content-Length read into a buffer
// allocated up front; a bigger one could be a lie meant to make the client
// allocate, so it is read progressively.
const exactBodyMax = 64 << 10

// readBody reads a whole response body up to MaxResponseBytes. A small
// declared length is read into a buffer of exactly that size (the common
// answer, without io.ReadAll's growth); otherwise the body is read to EOF.
func (c *Client) readBody(hr *http.Response) ([]byte, error) {
	if n := hr.ContentLength; n >= 0 && n <= min(c.maxBody, exactBodyMax) {
		b := make([]byte, n)
		if _, err := io.ReadFull(hr.Body, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	b, err := io.ReadAll(io.LimitReader(hr.Body, c.maxBody+1))
	if err == nil && int64(len(b)) > c.maxBody {
		err = fmt.Errorf("body exceeds MaxResponseBytes (%d)", c.maxBody)
	}
	return b, err
}

func (c *Client) apiError(r *Request, res *response) *APIError {
	body := string(res.body)
	if len(body) > maxBodyInError {
		body = body[:maxBodyInError] + "…"
	}
	return &APIError{Op: r.Op, Status: res.status, Body: r.scrub(strings.TrimSpace(body))}
}

// build turns r into an *http.Request with its body, auth and write trace.
func (c *Client) build(ctx context.Context, r *Request, res *netResponse) (*http.Request, error) {
	target, err := c.target(r)
	if err != nil {
		return nil, err
	}
	body, ctype, err := encodeBody(r, res)
	if err != nil {
		return nil, err
	}
	res.trace.WroteRequest = func(httptrace.WroteRequestInfo) { res.stampWritten() }
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, &res.trace), r.Method, target, body)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %s", ErrInvalidInput, r.Op, redactErr(err))
	}
	if ctype != "" {
		req.Header["Content-Type"] = []string{ctype}
	}
	setAuth(req.Header, r)
	return req, nil
}

func (c *Client) target(r *Request) (string, error) {
	target := r.Path
	absolute := strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://")
	if absolute && r.auth != authPublic && r.auth != authQuery {
		return "", invalid(r.Op, "an absolute path gets no credentials: tokens and secrets go to the API URL only")
	}
	if !absolute {
		if c.api == "" {
			return "", invalid(r.Op, "API URL is not an absolute URL")
		}
		target = c.api + target
	}
	if len(r.Query) > 0 {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + r.Query.Encode()
	}
	return target, nil
}

// marshalJSON is r's JSON body, nil when r has none or a Raw body
// (which takes precedence).
func marshalJSON(r *Request) ([]byte, error) {
	if r.Raw != nil || r.JSON == nil {
		return nil, nil
	}
	b, err := json.Marshal(r.JSON)
	if err != nil {
		return nil, invalid(r.Op, "JSON body: %v", err)
	}
	return b, nil
}

// encodeBody returns r's body as a reader held by res, and its content
// type ("" and a nil reader for no body).
func encodeBody(r *Request, res *netResponse) (io.Reader, string, error) {
	switch {
	case r.Raw != nil:
		res.br.Reset(r.Raw)
		return &res.br, "application/octet-stream", nil
	case r.JSON != nil:
		b, err := marshalJSON(r)
		if err != nil {
			return nil, "", err
		}
		res.br.Reset(b)
		return &res.br, "application/json", nil
	case r.Form != nil:
		res.sr.Reset(r.Form.Encode())
		return &res.sr, "application/x-www-form-urlencoded", nil
	}
	return nil, "", nil
}

func setAuth(h http.Header, r *Request) {
	switch r.auth {
	case authToken:
		if r.tokenHdr != nil {
			h["X-Dpt-Authorization"] = r.tokenHdr
		} else {
			h["X-Dpt-Authorization"] = []string{r.token.Reveal()}
		}
	case authBasicClient:
		cred := base64.StdEncoding.EncodeToString([]byte(r.user + ":" + r.pass.Reveal()))
		h.Set("Authorization", "Basic "+cred)
	case authBasicRaw:
		h.Set("Authorization", "Basic "+r.pass.Reveal())
	}
}

// decodeJSON unmarshals a success body into v, naming op on failure.
func decodeJSON(op string, body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return &DecodeError{Op: op, Err: err}
	}
	return nil
}

// parseTime reads RFC 3339 in either offset form ("+00:00" or "Z"); an
// empty or unreadable value gives the zero time.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// CloseIdleConnections closes pooled keep-alive connections (before a
// server shuts down, or when a client is done).
func (c *Client) CloseIdleConnections() {
	c.http.CloseIdleConnections()
	if c.h1 != nil {
		c.h1.closeIdle()
	}
}

// InlineLimit is the largest ciphertext Store sends inline through
// exchange-data-for-token; larger ones travel the upstream stream
// (Options.InlineLimit, 50 KiB when zero). Callers that choose the path
// themselves read it here rather than assume the default.
func (c *Client) InlineLimit() int { return c.inline }

// urlCause strips *url.Error (whose text holds the URL and its auth query)
// down to the cause a caller classifies.
func urlCause(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
