package sim_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// sealed encrypts plaintext as the wire blob of §1.11: IV || ciphertext || tag.
func sealed(t testing.TB, key, plaintext []byte) []byte {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	gcm, _ := cipher.NewGCM(block)
	iv := make([]byte, 12)
	rand.Read(iv)
	return gcm.Seal(iv, iv, plaintext, nil)
}

func opened(t testing.TB, key, blob []byte) []byte {
	t.Helper()
	block, _ := aes.NewCipher(key)
	gcm, _ := cipher.NewGCM(block)
	plain, err := gcm.Open(nil, blob[:12], blob[12:], nil)
	if err != nil {
		t.Fatalf("decrypt: %v", err)
	}
	return plain
}

// reserve reserves token space and returns the tmp token and stream URL.
func reserve(t testing.TB, a *api, ws *socket, token string) (tmp, stream, cmd string) {
	t.Helper()
	cmd = commandID(t, a.post("/data-token/reserve-token-space", token, url.Values{"context": {"invoices/2026-Q1"}, "ttl": {"5"}}))
	if st, body := ws.ack(cmd); st != 2 {
		t.Fatalf("reserve ack %d %v", st, body)
	}
	r := a.get("/data-token/retrieve-temporary-data-token/"+cmd, token)
	want(t, r, http.StatusOK)
	var v struct{ Token, Stream string }
	r.json(t, &v)
	return v.Token, v.Stream, cmd
}

// configure turns a filled tmp token into a dtk token.
func configure(t testing.TB, a *api, token, tmp string, size int) string {
	t.Helper()
	r := a.post("/data-token/configure-file-meta", token, url.Values{"token": {tmp}, "fileName": {"hello"},
		"extension": {"txt"}, "context": {"invoices/2026-Q1"}, "size": {strconv.Itoa(size)}, "path": {"/"}})
	want(t, r, http.StatusOK)
	var v struct{ Token string }
	r.json(t, &v)
	if len(v.Token) < 5 || v.Token[:4] != "dtk-" {
		t.Fatalf("configure-file-meta: %s", r.body)
	}
	return v.Token
}

// store runs the small-payload store flow and returns the dtk token.
func store(t testing.TB, a *api, ws *socket, token string, blob []byte) string {
	t.Helper()
	tmp, _, _ := reserve(t, a, ws, token)
	id := commandID(t, a.post("/data-token/exchange-data-for-token", token, url.Values{"temporaryTokenSpace": {tmp},
		"data": {base64.StdEncoding.EncodeToString(blob)}}))
	if st, body := ws.ack(id); st != 2 {
		t.Fatalf("exchange ack %d %v", st, body)
	}
	return configure(t, a, token, tmp, len(blob)-28)
}

// retrieve runs request-data and returns the bytes, inline or downloaded.
func retrieve(t testing.TB, a *api, ws *socket, token, dtk string) []byte {
	t.Helper()
	r := a.post("/data-token/request-data", token, url.Values{"token": {dtk}})
	want(t, r, http.StatusAccepted)
	reqID := r.header.Get("x-dpt-cab-request-id")
	if reqID == "" || r.header.Get("x-dpt-cab-id") == "" {
		t.Fatalf("request-data headers %v", r.header)
	}
	d := ws.event("X-DPT-CAB-REQUEST-ID", reqID)
	body, _ := d["body"].(string)
	if d["output_type"] == float64(0) {
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ready := ws.event("STREAM-READY", reqID)
	if ready["requestId"] != reqID {
		t.Fatalf("STREAM-READY %v", ready)
	}
	resp, err := http.Get(ready["streamUrl"].(string))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("download %d", resp.StatusCode)
	}
	b, _ := io.ReadAll(resp.Body)
	return b
}

// TestStoreAndRetrieveInline is the walkthrough of the issue: reserve →
// exchange → configure → request-data → decrypt, bytes bit-exact.
func TestStoreAndRetrieveInline(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{AckLatency: sim.Latency{Min: time.Millisecond, Max: 3 * time.Millisecond}})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	ws := dial(t, srv)
	ws.join(token)
	key := make([]byte, 32)
	rand.Read(key)
	blob := sealed(t, key, []byte("hello, privicore"))
	dtk := store(t, a, ws, token, blob)
	got := retrieve(t, a, ws, token, dtk)
	if !bytes.Equal(got, blob) || string(opened(t, key, got)) != "hello, privicore" {
		t.Fatalf("retrieved %x, stored %x", got, blob)
	}
}

// TestStreamedUploadAndDownload stores above the inline threshold through
// the upstream service and gets it back through the downstream one.
func TestStreamedUploadAndDownload(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{InlineThreshold: 1024})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	ws := dial(t, srv)
	ws.join(token)
	blob := make([]byte, 300<<10)
	rand.Read(blob)
	tmp, stream, _ := reserve(t, a, ws, token)
	up := func() int {
		resp, err := http.Post(stream, "application/octet-stream", bytes.NewReader(blob))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := up(); st != http.StatusOK {
		t.Fatalf("upload %d", st)
	}
	if st := up(); st != http.StatusUnauthorized {
		t.Fatalf("second upload with the same stream token: %d, want 401", st)
	}
	dtk := configure(t, a, token, tmp, len(blob))
	if got := retrieve(t, a, ws, token, dtk); !bytes.Equal(got, blob) {
		t.Fatalf("streamed bytes differ (%d vs %d)", len(got), len(blob))
	}
}

func TestReserveValidation(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	for _, tc := range []struct {
		why    string
		form   url.Values
		status int
		field  string
	}{
		{"ttl 300 is out of range (the probe saw 422)", url.Values{"context": {"c"}, "ttl": {"300"}}, 422, "ttl"},
		{"ttl 5 is accepted", url.Values{"context": {"c"}, "ttl": {"5"}}, 202, ""},
		{"ttl is optional", url.Values{"context": {"c"}}, 202, ""},
		{"context is required", url.Values{"ttl": {"5"}}, 422, "context"},
		{"ttl must be an integer", url.Values{"context": {"c"}, "ttl": {"five"}}, 422, "ttl"},
	} {
		r := a.post("/data-token/reserve-token-space", token, tc.form)
		if r.status != tc.status {
			t.Errorf("%s: status %d, want %d (%s)", tc.why, r.status, tc.status, r.body)
			continue
		}
		if tc.field != "" {
			var v struct{ Errors map[string][]string }
			r.json(t, &v)
			if len(v.Errors[tc.field]) == 0 {
				t.Errorf("%s: errors %s do not name %s", tc.why, r.body, tc.field)
			}
		}
	}
}

// TestTemporaryTokenNotBeforeSettled: D2 is a 404 while the reserve
// command is unresolved (held by a stall), a 200 once it resolved.
func TestTemporaryTokenNotBeforeSettled(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{Stall: sim.Stall{Hold: 1, Every: 2}, Users: []sim.User{{Name: "alice", Password: "pw"}}})
	a := newAPI(t, srv)
	token := a.login("alice", "pw")
	ws := dial(t, srv)
	ws.join(token)
	first := commandID(t, a.post("/data-token/reserve-token-space", token, url.Values{"context": {"c"}}))
	second := commandID(t, a.post("/data-token/reserve-token-space", token, url.Values{"context": {"c"}}))
	settled := ws.next()["data"].(map[string]any)["id"] // one of every two is held: the one acked is the other
	held := first
	if settled == first {
		held = second
	}
	want(t, a.get("/data-token/retrieve-temporary-data-token/"+held, token), http.StatusNotFound)
	want(t, a.get("/data-token/retrieve-temporary-data-token/"+settled.(string), token), http.StatusOK)
}

func TestExchangeAndConfigureFailures(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	ws := dial(t, srv)
	ws.join(token)
	tmp, _, _ := reserve(t, a, ws, token)
	ex := func(tmp, data string) reply {
		return a.post("/data-token/exchange-data-for-token", token, url.Values{"temporaryTokenSpace": {tmp}, "data": {data}})
	}
	want(t, ex(tmp, "not base64!"), 422)
	want(t, ex(tmp, base64.StdEncoding.EncodeToString([]byte("short"))), 422)
	want(t, ex("tmp-unknown", base64.StdEncoding.EncodeToString(make([]byte, 40))), 404)
	r := a.post("/data-token/configure-file-meta", token, url.Values{"token": {tmp}, "fileName": {"f"},
		"extension": {"txt"}, "context": {"c"}, "size": {"1"}, "path": {"/"}})
	wantKey(t, r, 422, "data_token.not_filled") // not filled yet
	want(t, a.post("/data-token/configure-file-meta", token, url.Values{"token": {tmp}}), 422)
	id := commandID(t, ex(tmp, base64.StdEncoding.EncodeToString(make([]byte, 40))))
	if st, _ := ws.ack(id); st != 2 {
		t.Fatal("first exchange rejected")
	}
	id = commandID(t, ex(tmp, base64.StdEncoding.EncodeToString(make([]byte, 40))))
	if st, body := ws.ack(id); st != 3 || body != "data_token.reservation_already_filled" {
		t.Fatalf("second exchange: %d %v", st, body)
	}
}

// TestDataTokenLifecycle covers D7, D9, D10 (both shapes) and D11.
func TestDataTokenLifecycle(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	ws := dial(t, srv)
	ws.join(token)
	blob := make([]byte, 64)
	first := store(t, a, ws, token, blob)
	second := store(t, a, ws, token, blob)

	id := commandID(t, a.post("/data-token/configure-information-security-risk-meta", token,
		url.Values{"token": {first}, "classification": {"confidential"}, "retentionDays": {"365"}}))
	if st, _ := ws.ack(id); st != 2 {
		t.Fatal("risk meta rejected")
	}
	id = commandID(t, a.post("/data-token/update-data-token", token, url.Values{"token": {first}, "fileName": {"renamed"}}))
	if st, _ := ws.ack(id); st != 2 {
		t.Fatal("update-data-token rejected")
	}
	var list struct {
		Items []struct{ Token, FileName string }
		Meta  struct{ Count, Page, PerPage int }
	}
	r := a.get("/data-token/list-data-tokens?page=1&perPage=1", token)
	want(t, r, http.StatusOK)
	r.json(t, &list)
	if list.Meta.Count != 2 || len(list.Items) != 1 || list.Items[0].Token != first || list.Items[0].FileName != "renamed" {
		t.Fatalf("list page 1: %s", r.body)
	}
	a.get("/data-token/list-data-tokens?page=2&perPage=1", token).json(t, &list)
	if len(list.Items) != 1 || list.Items[0].Token != second {
		t.Fatalf("list page 2: %+v", list)
	}
	want(t, a.get("/data-token/list-data-tokens?perPage=1000", token), 422)

	replacement := bytes.Repeat([]byte{7}, 48)
	id = commandID(t, a.postJSON("/data-token/update-data", token, map[string]any{"dataToken": second,
		"data": base64.StdEncoding.EncodeToString(replacement), "meta": map[string]any{"file": map[string]any{"name": "x"}}}))
	if st, _ := ws.ack(id); st != 2 {
		t.Fatal("update-data rejected")
	}
	if got := retrieve(t, a, ws, token, second); !bytes.Equal(got, replacement) {
		t.Fatalf("after update-data got %x", got)
	}
	id = commandID(t, a.post("/data-token/delete-data", token, url.Values{"token": {first}}))
	if st, _ := ws.ack(id); st != 2 {
		t.Fatal("delete rejected")
	}
	want(t, a.post("/data-token/request-data", token, url.Values{"token": {first}}), http.StatusNotFound)
	want(t, a.post("/data-token/delete-data", token, url.Values{"token": {first}}), http.StatusNotFound)
}

// TestStreamLimitsAndSingleUse: an upload over MaxUploadBytes is a 413;
// a downstream token works once.
func TestStreamLimitsAndSingleUse(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{InlineThreshold: 16, MaxUploadBytes: 1024})
	a := newAPI(t, srv)
	token := a.newProfile("alice")
	ws := dial(t, srv)
	ws.join(token)
	_, stream, _ := reserve(t, a, ws, token)
	resp, err := http.Post(stream, "application/octet-stream", bytes.NewReader(make([]byte, 2048)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized upload: %d", resp.StatusCode)
	}
	dtk := store(t, a, ws, token, make([]byte, 100))
	r := a.post("/data-token/request-data", token, url.Values{"token": {dtk}})
	ready := ws.event("STREAM-READY", r.header.Get("x-dpt-cab-request-id"))
	for i, wantStatus := range []int{200, 401} {
		resp, err := http.Get(ready["streamUrl"].(string))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != wantStatus {
			t.Fatalf("download %d: %d, want %d", i+1, resp.StatusCode, wantStatus)
		}
	}
}
