package sim_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// TestMaxStoredBytes: with room for one 60-byte blob, a second exchange
// acks 3 storage.quota_exceeded, an upload answers 507, a growing
// update-data acks 3; deleting the first frees its bytes.
func TestMaxStoredBytes(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{MaxStoredBytes: 100})
	o := newOwner(t, srv, "alice")
	blob := sealed(t, make([]byte, 32), bytes.Repeat([]byte("x"), 32)) // 60 bytes
	dtk := store(t, o.a, o.ws, o.token, blob)
	if got := srv.Stats().StoredBytes; got != 60 {
		t.Fatalf("StoredBytes %d after one 60-byte store", got)
	}
	tmp, stream, _ := reserve(t, o.a, o.ws, o.token)
	exchange := func() reply {
		return o.post("/data-token/exchange-data-for-token", url.Values{"temporaryTokenSpace": {tmp},
			"data": {base64.StdEncoding.EncodeToString(blob)}})
	}
	o.refused(exchange(), "storage.quota_exceeded")
	resp, err := http.Post(stream, "application/octet-stream", bytes.NewReader(blob))
	if err != nil {
		t.Fatal(err)
	}
	var e struct{ Message string }
	json.NewDecoder(resp.Body).Decode(&e)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInsufficientStorage || e.Message != "storage.quota_exceeded" {
		t.Fatalf("upload beyond the quota: %d %+v; want 507 storage.quota_exceeded", resp.StatusCode, e)
	}
	bigger := sealed(t, make([]byte, 32), bytes.Repeat([]byte("y"), 80))
	o.refused(o.postJSON("/data-token/update-data", map[string]any{"dataToken": dtk,
		"data": base64.StdEncoding.EncodeToString(bigger)}), "storage.quota_exceeded")
	o.ok(o.post("/data-token/delete-data", url.Values{"token": {dtk}}))
	if got := srv.Stats().StoredBytes; got != 0 {
		t.Fatalf("StoredBytes %d after deleting the only data", got)
	}
	o.ok(exchange()) // the refused reservation stayed empty: it takes the bytes now
}

// TestMaxProfiles: beyond the bound register-profile answers 202 and acks
// 3 profile.limit_reached; the refused name stays free, nothing is evicted.
func TestMaxProfiles(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{MaxProfiles: 2, Users: []sim.User{{Name: "alice", Password: "pw"}}})
	a := newAPI(t, srv)
	a.register("bob", "pw")
	id := commandID(t, a.registerRawNamed("carol"))
	if got := a.pollStatus(id, ""); got != "rejected" {
		t.Fatalf("register beyond MaxProfiles: %s; want rejected", got)
	}
	var legacy struct{ Body string }
	a.get("/utility/request-command-id-status/"+id, "").json(t, &legacy)
	if legacy.Body != "profile.limit_reached" {
		t.Fatalf("reason %q; want profile.limit_reached", legacy.Body)
	}
	wantKey(t, a.registerRawNamed("bob"), http.StatusConflict, "profile.username_taken") // a taken name is still a 409
	if st := srv.Stats(); st.Profiles != 2 {
		t.Fatalf("Profiles %d; want 2", st.Profiles)
	}
	a.login("alice", "pw")
	a.login("bob", "pw")
}

func TestBoundsValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opts    sim.Options
		mention string
	}{
		{sim.Options{Fanout: "broadcast"}, "fanout"},
		{sim.Options{OutputTypeMode: "web"}, "output type mode"},
		{sim.Options{MaxProfiles: 1, Users: []sim.User{{Name: "a", Password: "p"}, {Name: "b", Password: "p"}}}, "max profiles"},
	} {
		if err := tc.opts.Validate(); err == nil || !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("Validate(%+v) = %v; want an error mentioning %q", tc.opts, err, tc.mention)
		}
	}
	if err := (sim.Options{MaxProfiles: -1, MaxStoredBytes: -1}).Validate(); err != nil {
		t.Errorf("negative bounds (unlimited) refused: %v", err)
	}
}

func TestParseSize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{"1048576": 1 << 20, "512MiB": 512 << 20, "2GiB": 2 << 30,
		"10 KiB": 10 << 10, "3MB": 3e6, "1TiB": 1 << 40, "100B": 100, "-1": -1, "0": 0} {
		if got, err := sim.ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "lots", "2gib", "1.5GiB", "MiB", "9999999TiB"} {
		if _, err := sim.ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}

// TestMetaAndConfigurationAreCharged: an update-data meta object and a
// policy's configuration are stored too, so they count against
// MaxStoredBytes like data, and are given back with their record (issue 13).
func TestMetaAndConfigurationAreCharged(t *testing.T) {
	t.Parallel()
	srv := start(t, sim.Options{MaxStoredBytes: 1000})
	o := newOwner(t, srv, "alice")
	blob := sealed(t, make([]byte, 32), bytes.Repeat([]byte("x"), 32)) // 60 bytes
	dtk := store(t, o.a, o.ws, o.token, blob)
	update := func(meta map[string]any) reply {
		return o.postJSON("/data-token/update-data", map[string]any{"dataToken": dtk,
			"data": base64.StdEncoding.EncodeToString(blob), "meta": meta})
	}
	o.refused(update(map[string]any{"note": strings.Repeat("m", 2000)}), "storage.quota_exceeded")
	if got := srv.Stats().StoredBytes; got != 60 {
		t.Fatalf("StoredBytes %d after a refused meta; want 60", got)
	}
	o.ok(update(map[string]any{"note": "small"}))
	withMeta := srv.Stats().StoredBytes
	if withMeta <= 60 {
		t.Fatalf("StoredBytes %d: the meta object is not charged", withMeta)
	}
	policy := func(name, value string) reply {
		return o.postJSON("/policy/register", map[string]any{"name": name, "policyTemplateId": "tpl-data-exchange",
			"applyingEventIds": []string{"11"}, "configuration": map[string]any{"classification": value}})
	}
	o.refused(policy("big", strings.Repeat("c", 2000)), "storage.quota_exceeded")
	id := o.ok(policy("small", "internal"))
	if got := srv.Stats().StoredBytes; got <= withMeta {
		t.Fatalf("StoredBytes %d: the policy configuration is not charged", got)
	}
	o.ok(o.post("/policy/delete", url.Values{"policyId": {id}}))
	o.ok(o.post("/data-token/delete-data", url.Values{"token": {dtk}}))
	if got := srv.Stats().StoredBytes; got != 0 {
		t.Fatalf("StoredBytes %d after deleting everything; want 0", got)
	}
}

// TestDeclaredBodiesAreNotAllocated: fifty clients that declare a 4 MB
// body and send one byte cost what they sent, not what they declared
// (issue 13: 250 such connections grew the simulator by 1 GiB). Not
// parallel: it reads the process's heap.
func TestDeclaredBodiesAreNotAllocated(t *testing.T) {
	srv := start(t, sim.Options{})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const clients, declared = 50, 4_000_000
	for range clients {
		rawConn(t, srv, formPost("/profile/authenticate", "Content-Length: "+strconv.Itoa(declared))+"u")
	}
	for i := 0; srv.Stats().Operations["authenticate"].Requests < clients && i < 1_000_000; i++ {
		runtime.Gosched() // every handler is reading its body
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapInuse) - int64(before.HeapInuse); grown > clients*declared/10 {
		t.Fatalf("heap grew %d bytes for %d bodies of one byte; the declared %d were allocated", grown, clients, clients*declared)
	}
}

// TestUnjoinedSocketsAreCheap: WebSockets that upgrade and never join cost
// the simulator a few KiB of heap each, not a message queue sized for its
// bound (issue 13: each allocated a 4,096-slot queue, ~105 KiB, and
// ~20,000 of them took 2.1 GiB). Not parallel: it reads the process's heap.
func TestUnjoinedSocketsAreCheap(t *testing.T) {
	srv := start(t, sim.Options{})
	const sockets, perSocket = 300, 32 << 10
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range sockets {
		conn := dialRaw(t, srv.URLs().WS, wsUpgrade)
		_ = conn.SetReadDeadline(time.Now().Add(waitLimit))
		head := make([]byte, 12)
		if _, err := io.ReadFull(conn, head); err != nil || string(head[9:12]) != "101" {
			t.Fatalf("upgrade answered %q, %v; want 101", head, err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapInuse) - int64(before.HeapInuse); grown > sockets*perSocket {
		t.Fatalf("heap grew %d bytes (%d per socket) for %d unjoined sockets; want under %d each",
			grown, grown/sockets, sockets, perSocket)
	} else {
		t.Logf("heap grew %d bytes, %d per unjoined socket", grown, grown/sockets)
	}
}
