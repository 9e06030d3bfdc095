package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// TestSimServesUntilCancelled runs 'pcflow sim' in-process on free ports:
// the first stdout line gives the URLs, /health answers, and cancelling
// the context stops it with exit 0.
func TestSimServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	var errOut strings.Builder // read only after done
	go func() {
		done <- run(ctx, []string{"sim", "--api-addr", "127.0.0.1:0", "--ws-addr", "127.0.0.1:0",
			"--upstream-addr", "127.0.0.1:0", "--downstream-addr", "127.0.0.1:0", "--user", "alice:secret"},
			stdio{out: outW, err: &errOut})
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the first line: %v", err)
	}
	go io.Copy(io.Discard, outR)
	re := regexp.MustCompile(`^pcflow sim: api=(http://127\.0\.0\.1:\d+) ws=ws://127\.0\.0\.1:\d+ upstream=http://127\.0\.0\.1:\d+ downstream=http://127\.0\.0\.1:\d+\n$`)
	m := re.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line %q does not match %v", line, re)
	}
	cl := http.Client{Timeout: 5 * time.Second}
	resp, err := cl.Get(m[1] + "/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/health: %d", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("exit code %d, want 0", code)
		}
		if !strings.HasSuffix(errOut.String(), "pcflow sim: stopped; 0 commands, 0 acks, 0 faults injected\n") {
			t.Fatalf("stderr %q does not end with the stopped line", errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("pcflow sim did not stop after cancel")
	}
}

func TestSimBadFlagsAreUsageErrors(t *testing.T) {
	for _, tc := range []struct{ flag, value, mention string }{
		{"--ack-latency", "fast", "--ack-latency"},
		{"--stall", "3/2", "--stall"},
		{"--reject-rate", "1.5", "--reject-rate"},
		{"--command-id-shape", "xml", "command id shape"},
		{"--user", "nopassword", "NAME:PASSWORD"},
		{"--vote", "maybe", "vote"},
		{"--vote-latency", "soon", "--vote-latency"},
		{"--fanout", "broadcast", "fanout"},
		{"--output-type-mode", "web", "output type mode"},
		{"--max-stored-bytes", "lots", "--max-stored-bytes"},
		{"--max-profiles", "many", "max-profiles"},
	} {
		code, _, errOut := runCLI(t, "sim", tc.flag, tc.value)
		if code != exitBadArgs || !strings.Contains(errOut, tc.mention) {
			t.Errorf("sim %s %s: exit %d, stderr %q; want 2 mentioning %q", tc.flag, tc.value, code, errOut, tc.mention)
		}
	}
}

func TestSimHelpTeaches(t *testing.T) {
	code, out, _ := runCLI(t, "sim", "--help")
	if code != exitOK || !strings.Contains(out, "register-profile") || !strings.Contains(out, "request-status") {
		t.Fatalf("sim --help: exit %d\n%s", code, out)
	}
}

func TestSimStoppedLineCounts(t *testing.T) {
	for _, tc := range []struct {
		st   sim.Stats
		want string
	}{
		{sim.Stats{}, "pcflow sim: stopped; 0 commands, 0 acks, 0 faults injected"},
		{sim.Stats{Commands: 1, Acks: 1, Faults: sim.FaultStats{StalledAcks: 1}}, "pcflow sim: stopped; 1 command, 1 ack, 1 fault injected"},
		{sim.Stats{Commands: 2, Acks: 3, Faults: sim.FaultStats{WSDrops: 1, HTTPErrors: 1}}, "pcflow sim: stopped; 2 commands, 3 acks, 2 faults injected"},
	} {
		if got := stoppedLine(tc.st); got != tc.want {
			t.Errorf("stoppedLine(%+v) = %q, want %q", tc.st, got, tc.want)
		}
	}
}

// TestSimBadUserHidesPassword: a malformed --user is a usage error that
// never echoes the value, which may hold a password.
func TestSimBadUserHidesPassword(t *testing.T) {
	for _, v := range []string{"alice=hunter2", ":hunter2", "alice:"} {
		code, out, errOut := runCLI(t, "sim", "--user", "bob:ok", "--user", v)
		if code != exitBadArgs || !strings.Contains(errOut, "--user #2") || strings.Contains(out+errOut, "hunter2") {
			t.Errorf("--user %q: exit %d, stderr %q; want 2 naming --user #2 without the value", v, code, errOut)
		}
	}
}
