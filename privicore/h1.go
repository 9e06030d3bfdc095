package privicore

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// h1Pool is the default client's own HTTP/1.1 path to the API host, for
// the small requests that make up a load test (issue 12). net/http spends
// three goroutines on every exchange (the caller, the connection's writer
// and its reader, with four hand-offs between them) and, with the
// http.Request, context and trace it needs, about 60 of a command's 73
// allocations; here the caller writes the request and reads
// the response on a pooled keep-alive connection itself. A Client uses it
// only with its default HTTP client, for an http:// API URL that no proxy
// applies to, and only for requests to that URL with bodies up to
// h1BodyMax (a JSON body is measured once marshalled): everything else (a
// client of the caller's own, https, proxies, the stream URLs, large
// uploads) goes through net/http as before.
//
// What net/http guaranteed still holds: RequestTimeout and ctx bound the
// whole exchange (one connection deadline, moved by ctx's cancellation),
// header values are checked so that a token cannot inject a header, an
// idle connection the server has closed is found before it is reused, a
// GET that met a connection closed under it is retried once on a new one,
// and idle connections close after h1IdleTimeout. It asks for no gzip
// (net/http's transparent compression): the API's answers are short JSON.
type h1Pool struct {
	host     string // Host header: the API URL's host, without an empty port
	addr     string // dial address, host:port
	basePath string // the API URL's escaped path, no trailing slash

	mu     sync.Mutex
	idle   []*h1Conn // most recently used last, so the oldest are reaped first
	reaper *time.Timer
}

const (
	// h1BodyMax is the largest request body sent on the own path: a form
	// or a JSON body is far below it, and a bigger body is an upload that
	// gains nothing here and could block in the write while the server
	// answers early (net/http reads that answer meanwhile).
	h1BodyMax = 16 << 10
	// h1IdleTimeout closes an idle connection (http.DefaultTransport's
	// IdleConnTimeout).
	h1IdleTimeout = 90 * time.Second
	// h1HeaderMax bounds a response's header block.
	h1HeaderMax = 1 << 20
	// h1ReadBuffer is a connection's read buffer; a status or header line
	// longer than it is an error.
	h1ReadBuffer = 4 << 10
	// h1KeptBuffer is the largest request buffer a connection keeps between
	// exchanges.
	h1KeptBuffer = 64 << 10
)

// newH1Pool returns the own path for api, or nil when net/http must serve
// it (see h1Pool).
func newH1Pool(api *url.URL) *h1Pool {
	if api == nil || api.Scheme != "http" || api.Host == "" || api.User != nil || api.Opaque != "" ||
		api.RawQuery != "" || api.ForceQuery || api.Fragment != "" {
		return nil
	}
	for i := 0; i < len(api.Host); i++ {
		if c := api.Host[i]; c <= ' ' || c >= 0x7f {
			return nil // an internationalised name: net/http converts it to ASCII
		}
	}
	if proxy, err := http.ProxyFromEnvironment(&http.Request{URL: api}); err != nil || proxy != nil {
		return nil
	}
	port := api.Port()
	if port == "" {
		port = "80"
	}
	host := api.Host
	if api.Port() == "" && len(host) > 0 && host[len(host)-1] == ':' {
		host = host[:len(host)-1] // net/http sends no empty port either
	}
	return &h1Pool{host: host, addr: net.JoinHostPort(api.Hostname(), port), basePath: api.EscapedPath()}
}

// h1Conn is one keep-alive connection of the pool. One exchange uses it at
// a time; only interrupt runs concurrently with it.
type h1Conn struct {
	nc        net.Conn
	raw       syscall.RawConn // for the liveness probe; nil if the conn has none
	br        *bufio.Reader
	buf       []byte // the request being written
	body      []byte // the request body being encoded
	hdr       []byte // the response's header block being read
	idleSince time.Time
	interrupt func()             // moves the deadline to the past: ctx ended
	probe     func(uintptr) bool // the liveness probe's RawConn callback
	probeOK   bool               // the probe's answer
}

func newH1Conn(nc net.Conn) *h1Conn {
	pc := &h1Conn{nc: nc, br: bufio.NewReaderSize(nc, h1ReadBuffer)}
	// Both callbacks are bound once per connection, not per exchange.
	// A deadline long past ends a blocked read or write at once.
	pc.interrupt = func() { _ = pc.nc.SetDeadline(time.Unix(1, 0)) }
	if sc, ok := nc.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			pc.raw = raw
			pc.probe = pc.probeOnce
		}
	}
	return pc
}

// alive reports whether an idle connection can carry a request: nothing
// unread is buffered and the server has not closed or reset it (net/http
// learns the same from its reader goroutine, which this path does not
// have).
func (pc *h1Conn) alive() bool {
	if pc.br.Buffered() > 0 {
		return false
	}
	if pc.raw == nil {
		return true
	}
	pc.probeOK = false
	if err := pc.raw.Read(pc.probe); err != nil {
		return false
	}
	return pc.probeOK
}

func (pc *h1Conn) close() { _ = pc.nc.Close() }

// uri is the request-target for r on the own path; ok is false when r is
// not for it (an absolute URL, a path that is not below the API URL or
// needs escaping, a large body, a method other than GET or POST).
func (p *h1Pool) uri(r *Request, jsonLen int) (target string, ok bool) {
	if r.Method != "GET" && r.Method != "POST" || r.auth == authQuery || r.Path != "" && r.Path[0] != '/' {
		return "", false
	}
	if len(r.Raw) > h1BodyMax || jsonLen > h1BodyMax || formBound(r.Form) > h1BodyMax {
		return "", false
	}
	if !plainPath(r.Path) {
		return "", false // escapes, a query in the path: net/http decides
	}
	target = p.basePath + r.Path
	if target == "" {
		target = "/"
	}
	if len(r.Query) > 0 {
		target += "?" + r.Query.Encode()
	}
	return target, true
}

// plainPath reports whether path needs no escaping: net/http writes it as
// it is.
func plainPath(path string) bool {
	for i := 0; i < len(path); i++ {
		c := path[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
			return false
		}
	}
	return true
}

// formBound is an upper bound of f's encoded length (every byte escaped).
func formBound(f url.Values) int {
	n := 0
	for k, vs := range f {
		for _, v := range vs {
			n += 3*(len(k)+len(v)) + 2
		}
	}
	return n
}

// h1Error is a failed exchange: phase prefixes the text ("reading
// response: " once the response began), retry marks a connection that
// was closed under a request before any of its answer arrived.
type h1Error struct {
	phase string
	retry bool
	err   error
}

// exchange sends r to target and reads the whole response into res.
func (p *h1Pool) exchange(ctx context.Context, r *Request, res *response, target string, js []byte,
	timeout time.Duration, maxBody int64) *h1Error {
	deadline := res.timing.Start.Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	body, ctype := h1Body(r, js)
	for attempt := 0; ; attempt++ {
		if ctx.Err() != nil {
			return &h1Error{err: context.Cause(ctx)}
		}
		pc, reused, err := p.get(ctx, deadline)
		if err != nil {
			return &h1Error{err: h1Cause(ctx, err)}
		}
		e := p.roundTrip(ctx, pc, r, res, target, body, ctype, deadline, maxBody)
		if e == nil {
			return nil
		}
		// A GET is replayed once, as net/http replays an idempotent
		// request, when a reused connection turned out closed; a POST is
		// not: the server may have acted on it.
		if e.retry && reused && attempt == 0 && r.Method == "GET" {
			continue
		}
		e.err = h1Cause(ctx, e.err)
		return e
	}
}

// h1Cause is the error a caller classifies: ctx's own when it ended, and
// context.DeadlineExceeded when the deadline (RequestTimeout or ctx's)
// cut the exchange, as net/http reports it.
func h1Cause(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	if isTimeout(err) {
		return context.DeadlineExceeded
	}
	return err
}

// h1Body is r's body and content type on the own path, given its
// marshalled JSON body js; a form is encoded into the connection's buffer.
func h1Body(r *Request, js []byte) ([]byte, string) {
	switch {
	case r.Raw != nil:
		return r.Raw, "application/octet-stream"
	case js != nil:
		return js, "application/json"
	}
	return nil, ""
}

// roundTrip is one try on pc; pc goes back to the pool or is closed.
func (p *h1Pool) roundTrip(ctx context.Context, pc *h1Conn, r *Request, res *response, target string,
	body []byte, ctype string, deadline time.Time, maxBody int64) *h1Error {
	var stop func() bool
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, pc.interrupt)
	}
	keep, e := pc.write(p, r, target, body, ctype)
	if e == nil {
		res.timing.Written = time.Now()
		keep, e = pc.read(res, maxBody)
		res.timing.Read = time.Now()
	}
	if stop != nil && !stop() {
		keep = false // the deadline is in the past: the connection is done
	}
	if keep {
		now := res.timing.Read
		if now.IsZero() { // nothing was sent: a header value was refused
			now = time.Now()
		}
		p.put(pc, now)
	} else {
		pc.close()
	}
	return e
}

// write sends the request line, headers and body in one write.
func (pc *h1Conn) write(p *h1Pool, r *Request, target string, body []byte, ctype string) (bool, *h1Error) {
	if r.Form != nil && body == nil && r.Raw == nil && r.JSON == nil {
		pc.body = appendForm(pc.body[:0], r.Form)
		body, ctype = pc.body, "application/x-www-form-urlencoded"
	}
	b := append(pc.buf[:0], r.Method...)
	b = append(b, ' ')
	b = append(b, target...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, p.host...)
	b = append(b, "\r\nUser-Agent: Go-http-client/1.1\r\n"...)
	if body != nil || r.Method == "POST" {
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, int64(len(body)), 10)
		b = append(b, "\r\n"...)
	}
	if ctype != "" {
		b = append(b, "Content-Type: "...)
		b = append(b, ctype...)
		b = append(b, "\r\n"...)
	}
	b, err := appendAuth(b, r)
	if err != nil {
		pc.buf = b[:0]
		return true, &h1Error{err: err}
	}
	b = append(b, "\r\n"...)
	b = append(b, body...)
	_, err = pc.nc.Write(b)
	if cap(b) > h1KeptBuffer {
		b = nil // an unusually large request must not pin its size per connection
	}
	pc.buf = b
	if cap(pc.body) > h1KeptBuffer {
		pc.body = nil
	}
	if err != nil {
		return false, &h1Error{retry: isClosedConn(err), err: err}
	}
	return true, nil
}

// appendAuth writes r's credentials header, refusing a value that would
// end the header (net/http refuses the same).
func appendAuth(b []byte, r *Request) ([]byte, error) {
	var name, value string
	switch r.auth {
	case authToken:
		name = "X-Dpt-Authorization"
		if r.tokenHdr != nil {
			value = r.tokenHdr[0]
		} else {
			value = r.token.Reveal()
		}
	case authBasicClient:
		b = append(b, "Authorization: Basic "...)
		b = base64.StdEncoding.AppendEncode(b, []byte(r.user+":"+r.pass.Reveal()))
		return append(b, "\r\n"...), nil
	case authBasicRaw:
		name, value = "Authorization", "Basic "+r.pass.Reveal()
	default:
		return b, nil
	}
	if !validHeaderValue(value) {
		return b, fmt.Errorf("net/http: invalid header field value for %q", name)
	}
	b = append(b, name...)
	b = append(b, ": "...)
	b = append(b, value...)
	return append(b, "\r\n"...), nil
}

// validHeaderValue is httpguts.ValidHeaderFieldValue: no control byte but
// tab.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// appendForm is url.Values.Encode appended to dst (keys sorted).
func appendForm(dst []byte, f url.Values) []byte {
	var keys [8]string
	if len(f) > len(keys) {
		return append(dst, f.Encode()...)
	}
	n := 0
	for k := range f {
		i := n
		for ; i > 0 && keys[i-1] > k; i-- {
			keys[i] = keys[i-1]
		}
		keys[i] = k
		n++
	}
	first := true
	for _, k := range keys[:n] {
		for _, v := range f[k] {
			if !first {
				dst = append(dst, '&')
			}
			first = false
			dst = appendQueryEscape(dst, k)
			dst = append(dst, '=')
			dst = appendQueryEscape(dst, v)
		}
	}
	return dst
}

// appendQueryEscape is url.QueryEscape appended to dst.
func appendQueryEscape(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~':
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
	}
	return dst
}

// read reads the response into res: status, header block and body. keep
// says whether the connection can carry another request.
func (pc *h1Conn) read(res *response, maxBody int64) (keep bool, _ *h1Error) {
	var h h1Head
	for {
		line, err := pc.line()
		if err != nil {
			return false, &h1Error{retry: h.status == 0 && isClosedConn(err), err: err}
		}
		if h, err = parseStatusLine(line); err != nil {
			return false, &h1Error{phase: "reading response: ", err: err}
		}
		if err := pc.headers(&h); err != nil {
			return false, &h1Error{phase: "reading response: ", err: err}
		}
		if h.status >= 200 || h.status == 101 {
			break
		}
		// 1xx informational answers precede the real one.
	}
	if h.status == 101 {
		return false, &h1Error{phase: "reading response: ", err: errors.New("unexpected 101 Switching Protocols")}
	}
	res.status = h.status
	var err error
	switch {
	case h.status == 204 || h.status == 304:
		res.rawHeader = bytes.Clone(pc.hdr)
	case h.chunked:
		res.rawHeader = bytes.Clone(pc.hdr)
		res.body, err = pc.chunked(maxBody)
		h.close = h.close || h.length >= 0 // both framings: trust neither for reuse
	case h.length >= 0:
		res.rawHeader, res.body, err = pc.sized(h.length, maxBody, res.inline[:])
	default:
		res.rawHeader = bytes.Clone(pc.hdr)
		res.body, err = readLimited(pc.br, maxBody) // the body ends with the connection
		h.close = true
	}
	if err != nil {
		return false, &h1Error{phase: "reading response: ", err: err}
	}
	return !h.close && pc.br.Buffered() == 0, nil
}

// h1Head is what a response's status line and headers say about framing.
type h1Head struct {
	status  int
	length  int64 // Content-Length, -1 if none
	chunked bool
	close   bool // Connection: close, or HTTP/1.0
	http10  bool
}

func parseStatusLine(line []byte) (h1Head, error) {
	h := h1Head{length: -1}
	proto, rest, _ := bytes.Cut(line, []byte{' '})
	switch string(proto) {
	case "HTTP/1.1":
	case "HTTP/1.0":
		h.close, h.http10 = true, true
	default:
		return h, fmt.Errorf("malformed HTTP response %q", truncate(line))
	}
	code, _, _ := bytes.Cut(bytes.TrimLeft(rest, " "), []byte{' '})
	if len(code) != 3 {
		return h, fmt.Errorf("malformed HTTP status code %q", truncate(code))
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return h, fmt.Errorf("malformed HTTP status code %q", truncate(code))
		}
		h.status = 10*h.status + int(c-'0')
	}
	if h.status < 100 {
		return h, fmt.Errorf("malformed HTTP status code %q", code)
	}
	return h, nil
}

func truncate(b []byte) []byte { return b[:min(len(b), 64)] }

// headers reads the header block into pc.hdr ("name:value\n" lines, values
// trimmed) and the framing headers into h, by net/http's rules: differing
// Content-Lengths, and an empty or unreadable one, are errors, and a
// chunked body or a status that has no body ignores it; Transfer-Encoding
// is chunked or an error, and ignored in HTTP/1.0.
func (pc *h1Conn) headers(h *h1Head) error {
	pc.hdr = pc.hdr[:0]
	clStart, clEnd := -1, -1 // the first Content-Length's value in pc.hdr
	for {
		line, err := pc.line()
		if err != nil {
			return err
		}
		if len(line) == 0 {
			break
		}
		if len(pc.hdr)+len(line) > h1HeaderMax {
			return errors.New("response headers exceed 1 MiB")
		}
		name, value, ok := bytes.Cut(line, []byte{':'})
		if !ok || !validHeaderName(name) || !validHeaderBytes(value) {
			return fmt.Errorf("malformed MIME header line: %q", truncate(line))
		}
		value = bytes.Trim(value, " \t")
		switch {
		case asciiEqualFold(name, "Content-Length"):
			if clStart < 0 {
				clStart = len(pc.hdr) + len(name) + 1
				clEnd = clStart + len(value)
			} else if !bytes.Equal(pc.hdr[clStart:clEnd], value) {
				return errors.New("message cannot contain multiple Content-Length headers")
			}
		case asciiEqualFold(name, "Transfer-Encoding") && !h.http10:
			if h.chunked || !asciiEqualFold(value, "chunked") {
				return fmt.Errorf("unsupported transfer encoding %q", truncate(value))
			}
			h.chunked = true
		case asciiEqualFold(name, "Connection"):
			for _, tok := range bytes.Split(value, []byte{','}) {
				if asciiEqualFold(bytes.Trim(tok, " \t"), "close") {
					h.close = true
				}
			}
		}
		pc.hdr = append(pc.hdr, name...)
		pc.hdr = append(pc.hdr, ':')
		pc.hdr = append(pc.hdr, value...)
		pc.hdr = append(pc.hdr, '\n')
	}
	if clStart < 0 {
		return nil
	}
	n, ok := parseLength(pc.hdr[clStart:clEnd])
	if !ok {
		return fmt.Errorf("bad Content-Length %q", truncate(pc.hdr[clStart:clEnd]))
	}
	if !h.chunked && h.status >= 200 && h.status != 204 && h.status != 304 {
		h.length = n
	}
	return nil
}

// parseLength reads a Content-Length: digits only, no sign, no overflow.
func parseLength(b []byte) (int64, bool) {
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' || n > (1<<63-1-9)/10 {
			return 0, false
		}
		n = 10*n + int64(c-'0')
	}
	return n, len(b) > 0
}

// validHeaderName reports whether a response's header name is what
// net/http's reader takes: token bytes, and spaces (not first: a line that
// starts with one folds into the header before, which net/http joins and
// this reader refuses).
func validHeaderName(name []byte) bool {
	if len(name) == 0 || name[0] == ' ' {
		return false
	}
	for _, c := range name {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == ' ':
			// The bytes of every header name in practice, checked first.
		default:
			switch c {
			case '!', '#', '$', '%', '&', '\'', '*', '+', '.', '^', '_', '`', '|', '~':
			default:
				return false
			}
		}
	}
	return true
}

// validHeaderBytes reports whether a response's header value holds no
// control byte but tab (net/http's reader refuses the line otherwise).
func validHeaderBytes(v []byte) bool {
	for _, c := range v {
		if c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func asciiEqualFold[T string | []byte](a T, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(b); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// line is the next CRLF- (or LF-) terminated line without its ending. It is
// valid until the next read.
func (pc *h1Conn) line() ([]byte, error) {
	line, err := pc.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, errors.New("response line longer than 4 KiB")
	}
	if err != nil {
		if err == io.EOF && len(line) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	line = line[:len(line)-1]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, nil
}

// sized reads a Content-Length body. The header block and a small body
// share inline (the response's own array) when they fit, else one
// allocation; a large declared length is read progressively (it could be
// a lie meant to make the client allocate).
func (pc *h1Conn) sized(n, maxBody int64, inline []byte) (hdr, body []byte, err error) {
	if n > maxBody {
		return nil, nil, fmt.Errorf("body exceeds MaxResponseBytes (%d)", maxBody)
	}
	h := len(pc.hdr)
	if n <= exactBodyMax {
		buf := inline
		if h+int(n) <= len(inline) {
			buf = inline[:h+int(n)]
		} else {
			buf = make([]byte, h+int(n))
		}
		copy(buf, pc.hdr)
		if _, err := io.ReadFull(pc.br, buf[h:]); err != nil {
			return nil, nil, unexpectedEOF(err)
		}
		return buf[:h:h], buf[h:], nil
	}
	hdr = bytes.Clone(pc.hdr)
	body, err = io.ReadAll(io.LimitReader(pc.br, n))
	if err == nil && int64(len(body)) < n {
		err = io.ErrUnexpectedEOF
	}
	return hdr, body, err
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// chunked reads a chunked body and its trailer (dropped), as net/http
// does: the trailer ends with CRLF CRLF within the read buffer, and its
// lines are well-formed headers.
func (pc *h1Conn) chunked(maxBody int64) ([]byte, error) {
	body, err := readLimited(httputil.NewChunkedReader(pc.br), maxBody)
	if err != nil {
		return nil, unexpectedEOF(err)
	}
	if b, _ := pc.br.Peek(2); string(b) == "\r\n" {
		_, _ = pc.br.Discard(2)
		return body, nil // no trailer, the common case
	}
	ends := false
	for n := 4; n <= pc.br.Size() && !ends; n++ {
		b, err := pc.br.Peek(n)
		if err != nil {
			break
		}
		ends = bytes.HasSuffix(b, []byte("\r\n\r\n"))
	}
	if !ends {
		return nil, errors.New("malformed trailer after chunked body")
	}
	for {
		line, err := pc.line()
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		if len(line) == 0 {
			return body, nil
		}
		if name, value, ok := bytes.Cut(line, []byte{':'}); !ok || !validHeaderName(name) || !validHeaderBytes(value) {
			return nil, fmt.Errorf("malformed MIME header line: %q", truncate(line))
		}
	}
}

// readLimited reads r to EOF, failing past maxBody bytes.
func readLimited(r io.Reader, maxBody int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err == nil && int64(len(b)) > maxBody {
		err = fmt.Errorf("body exceeds MaxResponseBytes (%d)", maxBody)
	}
	return b, err
}

// isClosedConn reports an error of a connection the server had closed or
// reset: a request met by it got no answer at all.
func isClosedConn(err error) bool {
	return err == io.EOF || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// get pops the most recently used live idle connection, or dials one, and
// sets its deadline (before the probe: an idle connection still carries
// its last exchange's deadline, which may have passed).
func (p *h1Pool) get(ctx context.Context, deadline time.Time) (*h1Conn, bool, error) {
	now := time.Now()
	if !now.Before(deadline) {
		return nil, false, context.DeadlineExceeded
	}
	p.mu.Lock()
	for n := len(p.idle); n > 0; n = len(p.idle) {
		pc := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		if now.Sub(pc.idleSince) < h1IdleTimeout && pc.nc.SetDeadline(deadline) == nil && pc.alive() {
			return pc, true, nil
		}
		pc.close()
		p.mu.Lock()
	}
	p.mu.Unlock()
	// http.DefaultTransport's dialer, bounded by the exchange's deadline.
	d := net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Deadline: deadline}
	nc, err := d.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return nil, false, err
	}
	_ = nc.SetDeadline(deadline)
	return newH1Conn(nc), false, nil
}

// put makes pc idle, or closes it when idleConnsPerHost are idle already.
func (p *h1Pool) put(pc *h1Conn, now time.Time) {
	pc.idleSince = now
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) >= idleConnsPerHost {
		pc.close()
		return
	}
	p.idle = append(p.idle, pc)
	if p.reaper == nil {
		p.reaper = time.AfterFunc(h1IdleTimeout, p.reap)
	}
}

// reap closes the connections idle for h1IdleTimeout, and comes back while
// any is idle.
func (p *h1Pool) reap() {
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for n < len(p.idle) && now.Sub(p.idle[n].idleSince) >= h1IdleTimeout {
		p.idle[n].close()
		n++
	}
	k := copy(p.idle, p.idle[n:])
	clear(p.idle[k:])
	p.idle = p.idle[:k]
	if k == 0 {
		p.idle, p.reaper = nil, nil
		return
	}
	p.reaper.Reset(max(h1IdleTimeout-now.Sub(p.idle[0].idleSince), time.Second))
}

// closeIdle closes every idle connection.
func (p *h1Pool) closeIdle() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pc := range p.idle {
		pc.close()
	}
	p.idle = nil
	if p.reaper != nil {
		p.reaper.Stop()
		p.reaper = nil
	}
}
