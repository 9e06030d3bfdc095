// Command loadbench measures the privicore client under load, with the
// simulator in another process so that each side's memory and CPU are its
// own (issue 12). It reports, per mode:
//
//   - sessions: client RSS per idle joined session, at 1,000 sessions and
//     at -n (VmRSS after a GC that returns freed memory to the OS, less the
//     RSS before the first session opened);
//   - commands: acked async commands per second with -sessions × -inflight
//     commands in flight, and the client's CPU seconds per 1,000 commands;
//   - http: plain GET /health through the client's HTTP path at a fixed
//     -rate (an open model, as vegeta's), and its CPU seconds per 1,000.
//
// Without -api it starts `-sim` (by default `go run ./cmd/pcflow sim`) on
// free loopback ports and reads the URLs from its first line; with -api
// (and -ws) it uses a simulator already running, which is what a
// comparison under /usr/bin/time -v needs (time counts waited children).
//
//	go run ./internal/loadbench -mode sessions -n 10000
//	go run ./internal/loadbench -mode commands -sessions 100 -inflight 4
//	go run ./internal/loadbench -mode http -api http://127.0.0.1:PORT -rate 5000 -duration 10s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"time"
)

// config is the command line.
type config struct {
	mode               string
	n                  int // sessions mode: sessions to open
	sessions, inflight int
	duration, warmup   time.Duration
	rate               int
	commandRate        int // commands mode: commands per second, 0 = closed loop
	api, ws            string
	simCmd, simFlags   string
	simHost            string // loopback address the started simulator listens on
	openers            int    // sessions opened (or profiles provisioned) at once
	cpuProfile         string
	memProfile         string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	urls, stopSim, err := target(ctx, cfg)
	if err != nil {
		return err
	}
	defer stopSim()
	switch cfg.mode {
	case "sessions":
		return runSessions(ctx, cfg, urls, out)
	case "commands":
		return runCommands(ctx, cfg, urls, out)
	case "http":
		return runHTTP(ctx, cfg, urls, out)
	}
	return fmt.Errorf("unknown -mode %q (sessions, commands, http)", cfg.mode)
}

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("loadbench", flag.ContinueOnError)
	fs.StringVar(&cfg.mode, "mode", "commands", "what to measure: `sessions|commands|http`")
	fs.IntVar(&cfg.n, "n", 10000, "sessions mode: idle joined sessions to open (RSS is also reported at 1,000)")
	fs.IntVar(&cfg.sessions, "sessions", 10, "commands mode: sessions, one profile each")
	fs.IntVar(&cfg.inflight, "inflight", 4, "commands mode: commands in flight per session")
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "measured time (commands, http)")
	fs.DurationVar(&cfg.warmup, "warmup", 2*time.Second, "commands mode: unmeasured time first")
	fs.IntVar(&cfg.rate, "rate", 5000, "http mode: requests per second")
	fs.IntVar(&cfg.commandRate, "command-rate", 0, "commands mode: commands per second (0 = as fast as acks come back); a fixed rate compares CPU per command at equal work")
	fs.StringVar(&cfg.api, "api", "", "API URL of a running simulator (else one is started)")
	fs.StringVar(&cfg.ws, "ws", "", "WebSocket URL of a running simulator")
	fs.StringVar(&cfg.simCmd, "sim", "go run ./cmd/pcflow sim", "command that starts the simulator (loopback port-0 addresses are appended)")
	fs.StringVar(&cfg.simFlags, "sim-flags", "--ack-latency 0s", "further simulator flags")
	fs.StringVar(&cfg.simHost, "sim-host", "127.0.0.1", "loopback `address` for the started simulator (another 127.x.y.z has its own ports when 127.0.0.1's are used up)")
	fs.IntVar(&cfg.openers, "openers", 64, "sessions opened, or profiles provisioned, at once")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write the measured window's CPU profile to `FILE`")
	fs.StringVar(&cfg.memProfile, "memprofile", "", "write an allocation profile to `FILE` at the end (in sessions mode, its inuse_space is what the open sessions hold)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if cfg.n < 1 || cfg.sessions < 1 || cfg.inflight < 1 || cfg.rate < 1 || cfg.openers < 1 || cfg.duration <= 0 || cfg.commandRate < 0 {
		return cfg, errors.New("-n, -sessions, -inflight, -rate, -openers and -duration must be positive, -command-rate not negative")
	}
	if ip := net.ParseIP(cfg.simHost); ip == nil || !ip.IsLoopback() {
		return cfg, errors.New("-sim-host must be a loopback address: load goes to this machine only")
	}
	if (cfg.mode == "sessions" || cfg.mode == "commands") && cfg.api != "" && cfg.ws == "" {
		return cfg, errors.New("-mode " + cfg.mode + " with -api needs -ws too")
	}
	return cfg, nil
}

// target returns the simulator's URLs: the flags', or a started one's.
func target(ctx context.Context, cfg config) (simURLs, func(), error) {
	if cfg.api != "" {
		return simURLs{API: cfg.api, WS: cfg.ws}, func() {}, nil
	}
	addr := net.JoinHostPort(cfg.simHost, "0")
	argv := append(strings.Fields(cfg.simCmd),
		"--api-addr", addr, "--ws-addr", addr, "--upstream-addr", addr, "--downstream-addr", addr)
	argv = append(argv, strings.Fields(cfg.simFlags)...)
	return startSim(ctx, argv)
}
