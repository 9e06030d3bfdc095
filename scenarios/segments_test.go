package scenarios_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// simURLs is what `pcflow sim` prints first:
// "pcflow sim: api=URL ws=URL upstream=URL downstream=URL".
type simURLs struct{ api, ws, upstream, downstream string }

// startSim starts one standalone simulator on free loopback ports and
// returns its URLs; it is stopped when the test ends.
func startSim(t *testing.T) simURLs {
	t.Helper()
	cmd := exec.Command(pcflowBin, "sim", "--api-addr", "127.0.0.1:0", "--ws-addr", "127.0.0.1:0",
		"--upstream-addr", "127.0.0.1:0", "--downstream-addr", "127.0.0.1:0", "--ack-latency", "1ms..5ms")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		for sc.Scan() { // keep draining so the simulator never blocks on stdout
		}
	}()
	var first string
	select {
	case first = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatalf("pcflow sim printed nothing within 30 s; stderr:\n%s", stderr.String())
	}
	su, err := sim.ParseURLsLine(first)
	if err != nil {
		t.Fatalf("pcflow sim's first line: %v", err)
	}
	u := simURLs{api: su.API, ws: su.WS, upstream: su.Upstream, downstream: su.Downstream}
	for _, x := range []string{u.api, u.ws, u.upstream, u.downstream} {
		if !strings.Contains(x, "127.0.0.1:") {
			t.Fatalf("pcflow sim listens on %s: want loopback only", x)
		}
	}
	return u
}

// TestSegmentsMergeToUnsegmentedRun: three `pcflow run --segment i/3`
// processes of a shared-iterations scenario against one `pcflow sim`,
// merged with `pcflow merge`, count exactly what one unsegmented run
// counts — iterations, requests, commands, acks and every metric's
// samples.
func TestSegmentsMergeToUnsegmentedRun(t *testing.T) {
	t.Parallel()
	sim := startSim(t)
	dir := t.TempDir()
	const file = "scale-out.yaml"
	target := []string{"--api", sim.api, "--ws", sim.ws, "--upstream", sim.upstream, "--downstream", sim.downstream}
	runArgs := func(extra ...string) []string {
		return append(append(append([]string{"run", "--quiet"}, target...), extra...), file)
	}

	const n = 3
	var wg sync.WaitGroup
	outs, codes, errs := make([]string, n), make([]int, n), make([]error, n)
	shards := make([]string, n)
	for i := range n {
		shards[i] = filepath.Join(dir, fmt.Sprintf("shard-%d.json", i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], codes[i], errs[i] = runPcflow(2*time.Minute, runArgs("--segment", fmt.Sprintf("%d/%d", i, n), "--out", "json="+shards[i])...)
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("shard %d/%d: %v", i, n, errs[i])
		}
		if codes[i] != 0 {
			t.Fatalf("shard %d/%d: exit %d\n%s", i, n, codes[i], outs[i])
		}
	}
	merged := filepath.Join(dir, "merged.json")
	if out, code := pcflow(t, time.Minute, append(append([]string{"merge"}, shards...), "--out", "json="+merged)...); code != 0 {
		t.Fatalf("pcflow merge: exit %d\n%s", code, out)
	}
	whole := filepath.Join(dir, "whole.json")
	if out, code := pcflow(t, 2*time.Minute, runArgs("--out", "json="+whole)...); code != 0 {
		t.Fatalf("unsegmented run: exit %d\n%s", code, out)
	}

	m, w := readResult(t, merged), readResult(t, whole)
	if counter(w, "iterations") != 60 {
		t.Errorf("unsegmented run: %d iterations, want the file's 60", counter(w, "iterations"))
	}
	for i, s := range shards {
		if got := counter(readResult(t, s), "iterations"); got != 20 {
			t.Errorf("shard %d: %d iterations, want 20 (60 shared by 3)", i, got)
		}
	}
	for _, c := range []string{"iterations", "dropped_iterations", "requests", "commands", "acks_ok",
		"acks_rejected", "acks_timeout", "acks_duplicate", "acks_orphan", "checks_passed", "checks_failed",
		"bytes_sent", "bytes_received"} {
		if got, want := counter(m, c), counter(w, c); got != want {
			t.Errorf("counter %s: merged shards %d, unsegmented run %d", c, got, want)
		}
	}
	if counter(w, "commands") == 0 || counter(w, "acks_ok") != counter(w, "commands") {
		t.Errorf("unsegmented run: %d commands, %d acked ok: want every command acked", counter(w, "commands"), counter(w, "acks_ok"))
	}
	steps := 0
	for k, wm := range w.Metrics {
		if k == "schedule_lag" || strings.HasPrefix(k, "schedule_lag{") {
			continue // when iterations started, not how many
		}
		if strings.HasPrefix(k, "step.") {
			steps++
		}
		if mm, ok := m.Metrics[k]; !ok || mm.Count != wm.Count || mm.Errors != wm.Errors {
			t.Errorf("metric %s: merged count %d (errors %d), unsegmented %d (errors %d)", k, mm.Count, mm.Errors, wm.Count, wm.Errors)
		}
	}
	for k := range m.Metrics {
		if _, ok := w.Metrics[k]; !ok && !strings.HasPrefix(k, "schedule_lag") {
			t.Errorf("metric %s is in the merged result only", k)
		}
	}
	if steps < 10 {
		t.Errorf("the unsegmented result has %d step metrics; expected every step and its inner operations", steps)
	}
}
