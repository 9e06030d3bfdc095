package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// simURLs are the addresses a simulator announced.
type simURLs struct {
	API, WS, Downstream string
	pgid                int // the started simulator's process group; 0 for one given by flags
}

// simLinePrefix starts the first stdout line of `pcflow sim`.
const simLinePrefix = "pcflow sim: "

// parseSimLine reads `pcflow sim: api=URL ws=URL upstream=URL downstream=URL`.
func parseSimLine(line string) (simURLs, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), simLinePrefix)
	if !ok {
		return simURLs{}, fmt.Errorf("simulator's first line %q does not start with %q", line, simLinePrefix)
	}
	var u simURLs
	for _, field := range strings.Fields(rest) {
		key, value, _ := strings.Cut(field, "=")
		switch key {
		case "api":
			u.API = value
		case "ws":
			u.WS = value
		case "downstream":
			u.Downstream = value
		}
	}
	if u.API == "" || u.WS == "" {
		return simURLs{}, fmt.Errorf("simulator's first line %q names no api= or ws=", line)
	}
	return u, nil
}

// startSim runs argv in its own process group (`go run` puts the simulator
// in a grandchild: stopping the group stops both) and waits for its URLs.
func startSim(ctx context.Context, argv []string) (simURLs, func(), error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return simURLs{}, nil, err
	}
	if err := cmd.Start(); err != nil {
		return simURLs{}, nil, fmt.Errorf("starting the simulator: %w", err)
	}
	stop := func() { stopGroup(cmd) }
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, r) // keep the pipe drained until it closes
	}()
	select {
	case line := <-lines:
		u, err := parseSimLine(line)
		if err != nil {
			stop()
			return simURLs{}, nil, err
		}
		u.pgid = cmd.Process.Pid
		return u, stop, nil
	case <-time.After(2 * time.Minute): // the first `go run` compiles
		stop()
		return simURLs{}, nil, errors.New("the simulator announced no URLs within 2 minutes")
	case <-ctx.Done():
		stop()
		return simURLs{}, nil, ctx.Err()
	}
}

// stopGroup interrupts the simulator's process group, then kills it if it
// has not exited within 5 s.
func stopGroup(cmd *exec.Cmd) {
	pgid := cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGINT)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
}
