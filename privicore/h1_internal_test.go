package privicore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rawServer accepts loopback connections and hands each to serve with a
// reader positioned at the first request; it counts connections.
func rawServer(t *testing.T, serve func(n int, c net.Conn, br *bufio.Reader)) (url string, conns *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conns = new(atomic.Int64)
	var wg sync.WaitGroup
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n := int(conns.Add(1))
			wg.Go(func() {
				defer c.Close()
				serve(n, c, bufio.NewReader(c))
			})
		}
	})
	return "http://" + ln.Addr().String(), conns
}

// readRequest reads one request's head and body (Content-Length only).
func readRequest(br *bufio.Reader) (*http.Request, string, error) {
	req, err := http.ReadRequest(br)
	if err != nil {
		return nil, "", err
	}
	b, err := io.ReadAll(req.Body)
	return req, string(b), err
}

func TestTheOwnPathServesOnlyTheDefaultClientOverPlainHTTP(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		own  bool
	}{
		{Options{APIURL: "http://127.0.0.1:8009"}, true},
		{Options{APIURL: "http://127.0.0.1:8009/base/"}, true},
		{Options{APIURL: "https://127.0.0.1:8009"}, false},
		{Options{APIURL: "http://u:p@127.0.0.1:8009"}, false},
		{Options{APIURL: "http://bücher.example:8009"}, false},
		{Options{APIURL: "http://127.0.0.1:8009", HTTPClient: &http.Client{}}, false},
	} {
		if got := New(tc.opts).h1 != nil; got != tc.own {
			t.Errorf("%+v: own path %v, want %v", tc.opts, got, tc.own)
		}
	}
	p := New(Options{APIURL: "http://127.0.0.1:8009/base/"}).h1
	for _, tc := range []struct {
		r    Request
		want string
	}{
		{Request{Method: "POST", Path: "/a/b", Form: url.Values{}}, "/base/a/b"},
		{Request{Method: "GET", Path: "/a", Query: url.Values{"x": {"1 2"}}}, "/base/a?x=1+2"},
		{Request{Method: "GET", Path: "/a%2Fb"}, ""},                              // escapes: net/http
		{Request{Method: "GET", Path: "http://other/x", auth: authQuery}, ""},     // absolute: net/http
		{Request{Method: "PUT", Path: "/a"}, ""},                                  // other methods: net/http
		{Request{Method: "POST", Path: "/a", Raw: make([]byte, h1BodyMax+1)}, ""}, // uploads: net/http
		{Request{Method: "POST", Path: "/a", Form: url.Values{"data": {strings.Repeat("x", h1BodyMax)}}}, ""},
	} {
		got, ok := p.uri(&tc.r, 0)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%s %s: target %q %v, want %q", tc.r.Method, tc.r.Path, got, ok, tc.want)
		}
	}
}

func TestAppendFormIsValuesEncode(t *testing.T) {
	many := url.Values{}
	for _, k := range strings.Split("j i h g f e d c b a", " ") {
		many.Set(k, k+"="+k)
	}
	for _, f := range []url.Values{
		{},
		{"quorumSize": {"3"}},
		{"b": {"2"}, "a": {"1", "x y"}, "c": {""}},
		{"pässword": {"a&b=c+d%/?#~._-"}, "data": {"\x00\xff\n"}},
		many,
	} {
		if got, want := string(appendForm([]byte("keep:"), f)), "keep:"+f.Encode(); got != want {
			t.Errorf("appendForm %v = %q, want %q", f, got, want)
		}
	}
}

// A response's header name is token bytes and inner spaces, as net/http's
// reader takes it.
func TestValidHeaderName(t *testing.T) {
	const token = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for c := range 256 {
		if got, want := validHeaderName([]byte{'a', byte(c)}), c == ' ' || strings.IndexByte(token, byte(c)) >= 0; got != want {
			t.Errorf("byte %#x: %v, want %v", c, got, want)
		}
	}
	for _, name := range []string{"", " folded", "\tfolded"} {
		if validHeaderName([]byte(name)) {
			t.Errorf("%q is taken", name)
		}
	}
}

// Chunked bodies with a trailer, 1xx answers, lower-case header names and
// a body that ends with the connection are all read as net/http reads
// them; a connection is reused only when its framing allows.
func TestTheOwnPathReadsEveryResponseFraming(t *testing.T) {
	answers := []string{
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n\"cmd\r\n3\r\n-1\"\r\n0\r\nX-Trailer: t\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nx-dpt-cab-id: cmd-2\r\ncontent-length: 2\r\n\r\n{}",
		"HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 7\r\n\r\n\"cmd-3\"",
		"HTTP/1.0 202 Accepted\r\n\r\n\"cmd-4\"",
	}
	var next atomic.Int64
	api, conns := rawServer(t, func(_ int, c net.Conn, br *bufio.Reader) {
		for {
			if _, _, err := readRequest(br); err != nil {
				return
			}
			a := answers[next.Add(1)-1]
			_, _ = io.WriteString(c, a)
			if !strings.Contains(a, "chunked") && !strings.Contains(a, "100 Continue") {
				return // close and HTTP/1.0 answers end with the connection
			}
		}
	})
	c := New(Options{APIURL: api})
	s := c.PollingSession("T", SessionOptions{})
	for i, want := range []string{"cmd-1", "cmd-2", "cmd-3", "cmd-4"} {
		res, err := s.c.do(context.Background(), &Request{Op: "op", Method: "POST", Path: "/x", Form: url.Values{}, auth: authToken, token: "T"})
		if err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		p := &Pending{}
		if err := p.identify(&Request{}, res); err != nil || p.ack.CommandID != want {
			t.Errorf("answer %d: id %q (%v), want %q", i, p.ack.CommandID, err, want)
		}
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (chunked and 1xx answers keep theirs, close and HTTP/1.0 do not)", n)
	}
}

// An idle connection the server closed is found before it is reused: the
// next command goes out on a new connection instead of failing.
func TestAnIdleConnectionClosedByTheServerIsNotReused(t *testing.T) {
	api, conns := rawServer(t, func(_ int, c net.Conn, br *bufio.Reader) {
		if _, _, err := readRequest(br); err == nil {
			_, _ = io.WriteString(c, "HTTP/1.1 202 Accepted\r\nContent-Length: 7\r\n\r\n\"cmd-1\"")
		}
		// Keep-alive said nothing, yet the server closes (its idle timeout).
	})
	c := New(Options{APIURL: api})
	for i := range 3 {
		if _, err := c.do(context.Background(), &Request{Op: "op", Method: "POST", Path: "/x", Form: url.Values{}}); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		time.Sleep(20 * time.Millisecond) // let the close arrive
	}
	if n := conns.Load(); n != 3 {
		t.Errorf("%d connections, want 3", n)
	}
}

// An idle connection outlives its last exchange's deadline: the next
// request reuses it instead of dialling (a redial per pause longer than a
// step timeout would fill TIME_WAIT).
func TestAConnectionIdlePastItsLastDeadlineIsReused(t *testing.T) {
	api, conns := rawServer(t, func(_ int, c net.Conn, br *bufio.Reader) {
		for {
			if _, _, err := readRequest(br); err != nil {
				return
			}
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
		}
	})
	c := New(Options{APIURL: api, RequestTimeout: 20 * time.Millisecond})
	t.Cleanup(c.CloseIdleConnections)
	for i := range 2 {
		if _, err := c.do(context.Background(), &Request{Op: "op", Method: "GET", Path: "/x"}); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		time.Sleep(60 * time.Millisecond)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

// A reused connection that the server closes under a request, without a
// byte of answer, is retried once on a new connection for a GET; a POST is
// not retried (the server may have acted on it) and fails as a transport
// error.
func TestOnlyAGetIsRetriedWhenItsConnectionClosesUnderIt(t *testing.T) {
	api, _ := rawServer(t, func(n int, c net.Conn, br *bufio.Reader) {
		for i := 0; ; i++ {
			if _, _, err := readRequest(br); err != nil || i == 1 {
				return // the second request on a connection meets its close
			}
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
		}
	})
	c := New(Options{APIURL: api})
	t.Cleanup(c.CloseIdleConnections) // the server's goroutines end with them
	do := func(method string) error {
		_, err := c.do(context.Background(), &Request{Op: "op", Method: method, Path: "/x"})
		return err
	}
	if err := do("GET"); err != nil {
		t.Fatal(err)
	}
	if err := do("GET"); err != nil {
		t.Errorf("GET on a connection closed under it: %v, want a retry on a new one", err)
	}
	var te *TransportError
	if err := do("POST"); !errors.As(err, &te) {
		t.Errorf("POST on a connection closed under it: %v, want a *TransportError", err)
	}
}

// RequestTimeout bounds an exchange whose server never answers, and a
// cancelled ctx ends one at once; both are typed like net/http's.
func TestTheOwnPathHonoursRequestTimeoutAndCancellation(t *testing.T) {
	api, _ := rawServer(t, func(_ int, c net.Conn, br *bufio.Reader) {
		_, _, _ = readRequest(br)
		_, _ = io.Copy(io.Discard, br) // never answer
	})
	c := New(Options{APIURL: api, RequestTimeout: 100 * time.Millisecond})
	t0 := time.Now()
	_, err := c.do(context.Background(), &Request{Op: "op", Method: "GET", Path: "/x"})
	var te *TransportError
	if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) > 5*time.Second {
		t.Errorf("hung server: %v after %v, want a *TransportError of context.DeadlineExceeded after 100ms", err, time.Since(t0))
	}
	c = New(Options{APIURL: api})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	t0 = time.Now()
	_, err = c.do(ctx, &Request{Op: "op", Method: "POST", Path: "/x", Form: url.Values{"a": {"b"}}})
	if !errors.As(err, &te) || !errors.Is(err, context.Canceled) || time.Since(t0) > 5*time.Second {
		t.Errorf("cancelled: %v after %v, want a *TransportError of context.Canceled", err, time.Since(t0))
	}
}

// A token holding a line break never reaches the wire as a second header.
func TestATokenCannotInjectAHeader(t *testing.T) {
	sent := make(chan string, 1)
	api, _ := rawServer(t, func(_ int, c net.Conn, br *bufio.Reader) {
		b, _ := br.Peek(1)
		sent <- string(b)
	})
	c := New(Options{APIURL: api})
	s := c.PollingSession("T\r\nX-Evil: 1", SessionOptions{})
	_, err := s.call(context.Background(), post("op", "/x", nil))
	if err == nil || strings.Contains(err.Error(), "X-Evil") {
		t.Fatalf("injected token: %v", err)
	}
	c.CloseIdleConnections() // the server then reads the end of the connection
	select {
	case b := <-sent:
		if b != "" {
			t.Errorf("the request was sent: %q", b)
		}
	case <-time.After(5 * time.Second):
		t.Error("the connection was neither used nor closed")
	}
}

// A body over MaxResponseBytes is an error, whatever its framing.
func TestTheOwnPathCapsTheResponseBody(t *testing.T) {
	api, _ := rawServer(t, func(n int, c net.Conn, br *bufio.Reader) {
		if _, _, err := readRequest(br); err != nil {
			return
		}
		if n == 1 {
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n01234567890123456789")
		} else {
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\n\r\n01234567890123456789")
		}
	})
	c := New(Options{APIURL: api, MaxResponseBytes: 10})
	for _, framing := range []string{"Content-Length", "until close"} {
		if _, err := c.do(context.Background(), &Request{Op: "op", Method: "GET", Path: "/x"}); err == nil || !strings.Contains(err.Error(), "MaxResponseBytes") {
			t.Errorf("%s: %v, want MaxResponseBytes exceeded", framing, err)
		}
	}
}

// The own response reader agrees with net/http's on status, body and
// headers, and on which responses are malformed. (It is stricter in two
// ways: a protocol other than HTTP/1.0 or HTTP/1.1, and a folded header
// line, are errors.)
func TestTheOwnResponseReaderAgreesWithNetHTTP(t *testing.T) {
	for _, raw := range agreementCases {
		if msg := compareWithNetHTTP(raw); msg != "" {
			t.Error(msg)
		}
	}
}

func FuzzTheOwnResponseReaderAgreesWithNetHTTP(f *testing.F) {
	for _, raw := range agreementCases {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		protos := strings.Count(raw, "HTTP/1.0 ") + strings.Count(raw, "HTTP/1.1 ")
		if strings.Contains(raw, "\n ") || strings.Contains(raw, "\n\t") || strings.Count(raw, "HTTP/") != protos {
			t.Skip("the documented differences")
		}
		if msg := compareWithNetHTTP(raw); msg != "" {
			t.Error(msg)
		}
	})
}

var agreementCases = []string{
	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Dpt-Cab-Id: c-1\r\n\r\nhello",
	"HTTP/1.1 202 Accepted\r\nx-dpt-cab-id:   c-2  \r\ncontent-length:2\r\n\r\n{}",
	"HTTP/1.1 200 OK\nContent-Length: 2\n\nhi",
	"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nhi",
	"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi",
	"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi!",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-T: 1\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhi\r\n0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nhi",
	"HTTP/1.0 200 OK\r\n\r\nuntil the end",
	"HTTP/1.1 204 No Content\r\nX-Dpt-Cab-Id: c-3\r\n\r\n",
	"HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhi",
	"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
	"HTTP/1.1 200 OK\r\nBad Header: 1\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nNoColon\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
}

// compareWithNetHTTP reads raw with both readers; "" means they agree.
func compareWithNetHTTP(raw string) string {
	pc := &h1Conn{br: bufio.NewReaderSize(strings.NewReader(raw), h1ReadBuffer)}
	res := &response{}
	_, e := pc.read(res, 1<<20)
	br := bufio.NewReader(strings.NewReader(raw))
	want, err := http.ReadResponse(br, &http.Request{Method: "GET"})
	for err == nil && want.StatusCode >= 100 && want.StatusCode < 200 { // the Transport skips 1xx answers
		want, err = http.ReadResponse(br, &http.Request{Method: "GET"})
	}
	var body []byte
	if err == nil {
		body, err = io.ReadAll(want.Body)
	}
	if err == nil && want.StatusCode < 100 {
		return "" // net/http takes "+12" or "012" as a status; this reader wants 100-999
	}
	if (e != nil) != (err != nil) {
		return fmt.Sprintf("%q: own error %v, net/http error %v", raw, e, err)
	}
	if err == nil && (res.status != want.StatusCode || string(res.body) != string(body) || res.headerGet("x-dpt-cab-id") != want.Header.Get("X-Dpt-Cab-Id")) {
		return fmt.Sprintf("%q: own %d %q %q, net/http %d %q %q", raw, res.status, res.body, res.headerGet("x-dpt-cab-id"),
			want.StatusCode, body, want.Header.Get("X-Dpt-Cab-Id"))
	}
	return ""
}
