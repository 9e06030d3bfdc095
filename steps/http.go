package steps

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// httpKind is any API call the catalogue does not name: method, path,
// query, form or JSON body, headers, how it authenticates and what it
// awaits. A non-2xx answer is a *privicore.APIError like every other
// kind's, so expect: {status: …} and the error kinds work the same.
func httpKind() *Kind {
	return &Kind{
		KindSpec: scenario.KindSpec{
			Name: "http", Summary: "Call any API path; optionally await the command's WebSocket message.",
			Params: []scenario.ParamSpec{
				enum("method", "GET", "the HTTP method", "GET", "POST", "PUT", "PATCH", "DELETE"),
				must("path", scenario.TypeString, "the path below the API URL, e.g. /health"),
				{Name: "query", Type: scenario.TypeMap, Doc: "query parameters"},
				{Name: "form", Type: scenario.TypeMap, Doc: "a form body (application/x-www-form-urlencoded)"},
				{Name: "json", Type: scenario.TypeAny, Doc: "a JSON body"},
				{Name: "headers", Type: scenario.TypeMap, Doc: "extra request headers"},
				enum("auth", "session", "credentials: the session's token, none, or basic (the VU's username:password)", "session", "none", "basic"),
				enum("await", "none", "none; ack: wait for the command's X-DPT-CAB-ID; request: for the data message "+
					"(request-data only); both need auth session", "none", "ack", "request"),
			},
			Metrics: asyncPhases,
			Example: "- http: {method: POST, path: /profile/retrieve-profile-id, auth: session}",
		},
		run: runHTTP,
	}
}

func runHTTP(ctx context.Context, c *call) error {
	r := privicore.Request{Op: "http", Method: c.str("method"), Path: c.str("path"),
		Query: values(c.fields("query")), Form: values(c.fields("form")), JSON: c.get("json")}
	c.method, c.path = r.Method, r.Path
	switch c.str("await") {
	case "ack":
		return c.submit(ctx, r)
	case "request":
		// privicore marks a Request as an async request (awaited by its
		// x-dpt-cab-request-id) only through its own builder, so only
		// request-data can be awaited this way.
		if r.Path != "/data-token/request-data" {
			return failure(metrics.ErrExpression, "http: await request works only for POST /data-token/request-data")
		}
		rd, err := privicore.RequestDataRequest(r.Form.Get("token"))
		if err != nil {
			return err
		}
		return c.submit(ctx, rd)
	}
	return c.plainHTTP(ctx, r)
}

// submit sends r on the VU's session and awaits its message.
func (c *call) submit(ctx context.Context, r privicore.Request) error {
	if c.sess == nil || c.str("auth") != "session" {
		return failure(metrics.ErrExpression, "http: await needs auth session and an open session")
	}
	p, err := c.sess.Submit(ctx, r)
	if err != nil {
		return c.done(privicore.Timing{}, err)
	}
	return c.ack(p.Wait(ctx))
}

// plainHTTP sends r with the program's connection pool and reads the
// answer into response (status, headers, body parsed as JSON if it is).
func (c *call) plainHTTP(ctx context.Context, r privicore.Request) error {
	t := privicore.Timing{Start: time.Now()}
	req, err := c.newRequest(ctx, r)
	if err != nil {
		return failure(metrics.ErrExpression, "http: "+err.Error())
	}
	res, err := c.vu.p.http.Do(req)
	t.Written = t.Start // net/http does not say when the body went out without a trace
	if err != nil {
		c.count[metrics.Requests]++
		return transportFailure(ctx, err)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	res.Body.Close()
	t.Read = time.Now()
	c.count[receivedCounter] += int64(len(body))
	if err != nil {
		return c.done(t, transportFailure(ctx, err))
	}
	if id, e := privicore.ExtractCommandID(body); e == nil && res.StatusCode/100 == 2 {
		c.commandID = id
	}
	if c.st.needsBody {
		c.body = parseBody(body)
	}
	if res.StatusCode/100 != 2 {
		c.done(t, nil)
		c.status = res.StatusCode
		return &privicore.APIError{Op: "http", Status: res.StatusCode, Body: truncate(string(body), 512)}
	}
	c.done(t, nil)
	c.status = res.StatusCode
	return nil
}

func (c *call) newRequest(ctx context.Context, r privicore.Request) (*http.Request, error) {
	u, err := url.Parse(strings.TrimRight(c.vu.p.apiURL, "/") + r.Path)
	if err != nil {
		return nil, err
	}
	if len(r.Query) > 0 {
		u.RawQuery = r.Query.Encode()
	}
	var body io.Reader
	ctype := ""
	switch {
	case r.Form != nil:
		body, ctype = strings.NewReader(r.Form.Encode()), "application/x-www-form-urlencoded"
	case r.JSON != nil:
		b, err := json.Marshal(r.JSON)
		if err != nil {
			return nil, err
		}
		body, ctype = bytes.NewReader(b), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u.String(), body)
	if err != nil {
		return nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range c.fields("headers") {
		req.Header.Set(k, v)
	}
	switch c.str("auth") {
	case "session":
		if c.sess != nil {
			req.Header.Set("X-DPT-AUTHORIZATION", c.sess.Token().Reveal())
		}
	case "basic":
		cred := c.vu.username + ":" + c.vu.password.Reveal()
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(cred)))
	}
	return req, nil
}

func values(m map[string]string) url.Values {
	if m == nil {
		return nil
	}
	v := make(url.Values, len(m))
	for k, x := range m {
		v.Set(k, x)
	}
	return v
}

func parseBody(b []byte) any {
	var x any
	if json.Unmarshal(b, &x) == nil {
		return x
	}
	return string(b)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// transportFailure classifies a failed exchange of the http kind: the
// context's end (the step's timeout, the run's stop) is a timeout,
// anything else below HTTP a connect error. The *url.Error is unwrapped
// because its text carries the URL.
func transportFailure(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return failure(metrics.ErrTimeout, "http: "+ctx.Err().Error())
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() { // the pool's Timeout: the target took the connection and said nothing
			return failure(metrics.ErrTimeout, "http: no answer within the step timeout")
		}
		err = ue.Err
	}
	return failure(metrics.ErrConnect, "http: "+err.Error())
}
