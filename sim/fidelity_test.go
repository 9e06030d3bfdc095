package sim_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// TestEmitPendingStatus: one status 1 with a null body precedes the
// terminal ack; a dropped ack still sends its status 1, a duplicated one
// sends it once.
func TestEmitPendingStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		opts      sim.Options
		terminals int
	}{
		{"plain", sim.Options{}, 1},
		{"dropped", sim.Options{DropAckRate: 1}, 0},
		{"duplicated", sim.Options{DuplicateAckRate: 1}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.EmitPendingStatus = true
			f := newFixture(t, tc.opts)
			id := f.command(t)
			if st, body := f.ws.ack(id); st != 1 || body != nil {
				t.Fatalf("first message %d %v; want status 1, body null", st, body)
			}
			for range tc.terminals {
				if st, body := f.ws.ack(id); st != 2 || body == nil {
					t.Fatalf("terminal ack %d %v; want 2", st, body)
				}
			}
			f.ws.quiet(100 * time.Millisecond)
		})
	}
}

// TestEmitPendingStatusOnRequestData: request-data's command id gets its
// status 1 too, and the payload still arrives.
func TestEmitPendingStatusOnRequestData(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sim.Options{EmitPendingStatus: true})
	blob := sealed(t, make([]byte, 32), []byte("pending first"))
	cmd := commandID(t, f.a.post("/data-token/reserve-token-space", f.token, url.Values{"context": {"c"}}))
	for want := 1; want <= 2; want++ {
		if st, _ := f.ws.ack(cmd); st != want {
			t.Fatalf("reserve: message %d has status %d", want, st)
		}
	}
	var v struct{ Token string }
	f.a.get("/data-token/retrieve-temporary-data-token/"+cmd, f.token).json(t, &v)
	tmp := v.Token
	id := commandID(t, f.a.post("/data-token/exchange-data-for-token", f.token, url.Values{"temporaryTokenSpace": {tmp},
		"data": {base64.StdEncoding.EncodeToString(blob)}}))
	f.ws.ack(id)
	f.ws.ack(id)
	dtk := configure(t, f.a, f.token, tmp, 13)
	r := f.a.post("/data-token/request-data", f.token, url.Values{"token": {dtk}})
	want(t, r, http.StatusAccepted)
	if st, body := f.ws.ack(r.header.Get("x-dpt-cab-id")); st != 1 || body != nil {
		t.Fatalf("request-data status message %d %v; want 1 null", st, body)
	}
	d := f.ws.event("X-DPT-CAB-REQUEST-ID", r.header.Get("x-dpt-cab-request-id"))
	if d["body"] != base64.StdEncoding.EncodeToString(blob) {
		t.Fatalf("request-data message %v", d)
	}
}

// collectAcks reads X-DPT-CAB-ID messages from socks until n arrived in
// all, and returns, per socket, the command ids it got.
func collectAcks(t *testing.T, n int, socks ...*socket) [][]string {
	t.Helper()
	got := make([][]string, len(socks))
	deadline := time.After(waitLimit)
	for total := 0; total < n; {
		for i, s := range socks {
			select {
			case m := <-s.msgs:
				if d, ok := m["data"].(map[string]any); ok && d["type"] == "X-DPT-CAB-ID" {
					got[i] = append(got[i], d["id"].(string))
					total++
				}
			case <-deadline:
				t.Fatalf("%d of %d acks after %v: %v", total, n, waitLimit, got)
			case <-time.After(time.Millisecond):
			}
		}
	}
	return got
}

// TestFanoutRoundRobin: with two sockets on one profile, each ack goes to
// exactly one of them, in turn; with the default, to both.
func TestFanoutRoundRobin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fanout string
		each   int // acks per socket out of 4 commands
	}{{sim.FanoutRoundRobin, 2}, {"", 4}, {sim.FanoutAll, 4}} {
		t.Run("fanout="+tc.fanout, func(t *testing.T) {
			f := newFixture(t, sim.Options{Fanout: tc.fanout})
			other := dial(t, f.srv)
			other.join(f.token)
			var ids []string
			for range 4 {
				ids = append(ids, f.command(t))
			}
			got := collectAcks(t, 2*tc.each, f.ws, other)
			for i, g := range got {
				if len(g) != tc.each {
					t.Fatalf("socket %d got %d acks %v; want %d", i, len(g), g, tc.each)
				}
			}
			seen := map[string]int{}
			for _, id := range append(got[0], got[1]...) {
				seen[id]++
			}
			for _, id := range ids {
				if seen[id] != tc.each/2 {
					t.Fatalf("command %s acked %d times; want %d (all acks: %v)", id, seen[id], tc.each/2, got)
				}
			}
			f.ws.quiet(50 * time.Millisecond)
			other.quiet(50 * time.Millisecond)
		})
	}
}

// TestOutputTypeModeSite: a streamed payload's body is the full download
// URL and no STREAM-READY follows; an inline one is unchanged.
func TestOutputTypeModeSite(t *testing.T) {
	t.Parallel()
	f := newFixture(t, sim.Options{OutputTypeMode: sim.OutputTypeSite, InlineThreshold: 1024})
	small := sealed(t, make([]byte, 32), []byte("inline as ever"))
	if got := retrieve(t, f.a, f.ws, f.token, store(t, f.a, f.ws, f.token, small)); !bytes.Equal(got, small) {
		t.Fatalf("inline payload %x, want %x", got, small)
	}
	big := make([]byte, 4<<10)
	rand.Read(big)
	tmp, stream, _ := reserve(t, f.a, f.ws, f.token)
	resp, err := http.Post(stream, "application/octet-stream", bytes.NewReader(big))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("upload: %v %v", resp, err)
	}
	resp.Body.Close()
	dtk := configure(t, f.a, f.token, tmp, len(big))
	r := f.a.post("/data-token/request-data", f.token, url.Values{"token": {dtk}})
	want(t, r, http.StatusAccepted)
	d := f.ws.event("X-DPT-CAB-REQUEST-ID", r.header.Get("x-dpt-cab-request-id"))
	body, _ := d["body"].(string)
	if d["output_type"] != float64(1) || !strings.HasPrefix(body, f.srv.URLs().Downstream+"/?auth=") {
		t.Fatalf("site-mode message %v; want output_type 1 and the download URL as body", d)
	}
	f.ws.quiet(100 * time.Millisecond) // no STREAM-READY
	resp, err = http.Get(body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, big) {
		t.Fatalf("download %d, %d bytes; want 200 and the stored %d", resp.StatusCode, len(got), len(big))
	}
}

// TestRequireStorageDevice: exchange acks 3 storage.no_device until the
// profile has a storage device, then stores as usual.
func TestRequireStorageDevice(t *testing.T) {
	t.Parallel()
	o := newOwner(t, start(t, sim.Options{RequireStorageDevice: true}), "alice")
	tmp, r := o.exchange()
	o.refused(r, "storage.no_device")
	dev := o.device("nas")
	o.ok(o.post("/device/approve-device", url.Values{"deviceIdentifier": {dev}}))
	o.ok(o.post("/storage/register", url.Values{"deviceIdentifier": {dev}}))
	blob := sealed(t, make([]byte, 32), []byte("now stored"))
	o.ok(o.post("/data-token/exchange-data-for-token", url.Values{"temporaryTokenSpace": {tmp},
		"data": {base64.StdEncoding.EncodeToString(blob)}}))
	configure(t, o.a, o.token, tmp, 10)
}
