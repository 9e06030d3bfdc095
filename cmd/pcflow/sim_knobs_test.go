package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// TestSimKnobFlagsSetOptions: each fidelity and bound flag lands in its
// sim.Options field, and the defaults are today's behaviour.
func TestSimKnobFlagsSetOptions(t *testing.T) {
	parse := func(args ...string) sim.Options {
		t.Helper()
		fs := newFlagSet("sim", "sim [flags]", simDescription, stdio{out: io.Discard, err: io.Discard})
		knobs := defineSimKnobs(fs, "sim")
		if err := fs.parse(args); err != nil {
			t.Fatal(err)
		}
		o, err := knobs.options()
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	def := parse()
	if def.EmitPendingStatus || def.RequireStorageDevice || def.Fanout != sim.FanoutAll ||
		def.OutputTypeMode != sim.OutputTypeGuide || def.MaxStoredBytes != 1<<30 || def.MaxProfiles != 1_000_000 {
		t.Fatalf("defaults %+v", def)
	}
	o := parse("--emit-pending", "--fanout", "roundrobin", "--output-type-mode", "site", "--require-storage-device",
		"--max-stored-bytes", "512MiB", "--max-profiles", "7")
	if !o.EmitPendingStatus || !o.RequireStorageDevice || o.Fanout != sim.FanoutRoundRobin ||
		o.OutputTypeMode != sim.OutputTypeSite || o.MaxStoredBytes != 512<<20 || o.MaxProfiles != 7 {
		t.Fatalf("flags not applied: %+v", o)
	}
	if o := parse("--max-stored-bytes", "-1", "--max-profiles", "-1"); o.MaxStoredBytes != -1 || o.MaxProfiles != -1 {
		t.Fatalf("unlimited: %+v", o)
	}
}

func TestSimHelpListsKnobs(t *testing.T) {
	_, out, _ := runCLI(t, "sim", "--help")
	for _, f := range []string{"-emit-pending\n", "-fanout all|roundrobin", "-output-type-mode guide|site",
		"-require-storage-device\n", "-max-stored-bytes SIZE", "-max-profiles N"} {
		if !strings.Contains(out, "  "+f) {
			t.Errorf("sim --help lacks %s", f)
		}
	}
}

// TestSimMaxProfilesOverLoopback runs 'pcflow sim --max-profiles 1' with
// every new knob set: a registration beyond the bound is rejected with
// profile.limit_reached.
func TestSimMaxProfilesOverLoopback(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sim", "--api-addr", "127.0.0.1:0", "--ws-addr", "127.0.0.1:0",
			"--upstream-addr", "127.0.0.1:0", "--downstream-addr", "127.0.0.1:0", "--user", "alice:secret",
			"--max-profiles", "1", "--max-stored-bytes", "2GiB", "--emit-pending", "--fanout", "roundrobin",
			"--output-type-mode", "site", "--require-storage-device"}, stdio{out: outW, err: io.Discard})
		outW.Close()
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("pcflow sim did not stop after cancel")
		}
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the first line: %v", err)
	}
	go io.Copy(io.Discard, outR)
	m := regexp.MustCompile(`api=(http://\S+)`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line %q has no api URL", line)
	}
	cl := http.Client{Timeout: 5 * time.Second}
	resp, err := cl.PostForm(m[1]+"/profile/register-profile", url.Values{"username": {"bob"}, "password": {"pw"}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	json.NewDecoder(resp.Body).Decode(&ids)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || len(ids) != 1 {
		t.Fatalf("register-profile: %d %v", resp.StatusCode, ids)
	}
	var st struct {
		CommandStatus int `json:"command_status"`
		Body          string
	}
	for end := time.Now().Add(5 * time.Second); st.CommandStatus < 2 && time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		resp, err := cl.Get(m[1] + "/utility/request-command-id-status/" + ids[0])
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
	}
	if st.CommandStatus != 3 || st.Body != "profile.limit_reached" {
		t.Fatalf("registration beyond --max-profiles: %+v; want 3 profile.limit_reached", st)
	}
}
