package main

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/report"
)

// TestInterruptWritesThePartialResult runs pcflow as a subprocess (the
// test binary acting as main), sends it SIGINT mid-run and checks that it
// stops gracefully: exit 1, the result written with stop_reason
// interrupted and the iterations done so far.
func TestInterruptWritesThePartialResult(t *testing.T) {
	rr := interrupt(t, "name: long\nload: {executor: constant-vus, vus: 2, duration: 10m, graceful-stop: 5s}\n"+healthStep+"  - sleep: 20ms\n", 1)
	if rr.StopReason != metrics.StopInterrupted || rr.Counters.Get(metrics.Iterations) == 0 {
		t.Fatalf("stop_reason %q with %d iterations; want interrupted and the iterations done so far",
			rr.StopReason, rr.Counters.Get(metrics.Iterations))
	}
}

// TestASecondInterruptAborts: with iterations that would outlast a long
// graceful-stop, a second SIGINT cancels them at once; the result is
// still written.
func TestASecondInterruptAborts(t *testing.T) {
	rr := interrupt(t, "name: stuck\nload: {executor: constant-vus, vus: 2, duration: 10m, graceful-stop: 10m}\nsteps:\n  - sleep: 10m\n", 2)
	if rr.StopReason != metrics.StopInterrupted {
		t.Fatalf("stop_reason %q; want interrupted", rr.StopReason)
	}
}

// interrupt runs the scenario in a pcflow subprocess, sends it SIGINT
// `signals` times once it runs, and returns the result it wrote; it fails
// unless pcflow exits with code 1 before the test's deadline.
func interrupt(t *testing.T, yaml string, signals int) *report.Result {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	path := writeFile(t, dir, "s.yaml", yaml)
	out := filepath.Join(dir, "r.json")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "run", "--out", "json="+out, "--sim-ack-latency", "0s", path)
	cmd.Env = append(os.Environ(), "PCFLOW_TEST_AS_MAIN=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	for lines.Scan() && !strings.Contains(lines.Text(), "built-in simulator at") {
	}
	go func() {
		for lines.Scan() {
		}
	}()
	time.Sleep(500 * time.Millisecond) // let some iterations run; the assertions do not depend on how many
	for i := 0; i < signals; i++ {
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // two distinct signals, not one coalesced
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitFailed {
		t.Fatalf("pcflow run after %d SIGINT: %v; want exit code 1", signals, err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatalf("no result written after SIGINT: %v", err)
	}
	defer f.Close()
	rr, err := report.DecodeJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return rr
}

// silentTarget accepts TCP connections on loopback and never answers:
// the server that hangs every client without timeouts.
func silentTarget(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// TestASilentTargetCannotHangTheRun: against a target that accepts and
// never answers, the run ends by its timeouts — whether the VUs hang in
// vu-setup (the step timeout ends it; the run fails: no VU could set up)
// or in their iterations (the step timeout, or at the latest the end of
// graceful-stop, cancels them: the run ends on time with nothing done).
func TestASilentTargetCannotHangTheRun(t *testing.T) {
	addr := silentTarget(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name, yaml string
		code       int
	}{
		{"vu-setup", "name: hang-setup\nload: {executor: per-vu-iterations, vus: 2, iterations: 1}\nvu-setup:\n  - onboard: {}\n" + healthStep, exitFailed},
		{"iterations", "name: hang-steps\nload: {executor: constant-vus, vus: 2, duration: 1s, graceful-stop: 1s}\n" + healthStep, exitOK},
	} {
		path := writeFile(t, dir, tc.name+".yaml", tc.yaml)
		code, _, errOut, rr := runResult(t, "--api", "http://"+addr, "--ws", "ws://"+addr, "--step-timeout", "300ms", path)
		if code != tc.code || rr == nil {
			t.Errorf("%s: exit %d, want %d\n%s", tc.name, code, tc.code, errOut)
			continue
		}
		if rr.StopReason == metrics.StopInterrupted || rr.Counters.ErrorCount(metrics.ErrTimeout)+rr.Counters.ErrorCount(metrics.ErrConnect) == 0 {
			t.Errorf("%s: stop %s, errors %v; want the run to end on its own, with timed-out steps", tc.name, rr.StopReason, rr.Counters.Errors)
		}
	}
}
