package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/report"
	"github.com/pcflow/pcflow/sim"
	"github.com/pcflow/pcflow/steps"
)

// commonFlags are the flags 'pcflow run' and 'pcflow test' share: the
// target (or the embedded simulator's knobs), narration and seeds.
type commonFlags struct {
	cmd                           string
	api, ws, upstream, downstream string
	trace, quiet                  bool
	seed                          int64
	stepTimeout                   time.Duration
	simOpts                       sim.Options
	sim                           *simKnobs
	simFlagsSet                   []string // --sim-… flags given, refused with a real target
}

func (c *commonFlags) define(fs *flagSet, cmd string) {
	c.cmd = cmd
	fs.StringVar(&c.api, "api", "", "the Privicore API `URL` (else $PRIVICORE_API_URL; neither: the built-in simulator)")
	fs.StringVar(&c.ws, "ws", "", "the WebSocket `URL` (else $PRIVICORE_WS_URL)")
	fs.StringVar(&c.upstream, "upstream", "", "the upstream (streamed upload) `URL` (else $PRIVICORE_UPSTREAM_URL); today's client takes upload URLs from the API's answers and does not use it")
	fs.StringVar(&c.downstream, "downstream", "", "the downstream (download) `URL` (else $PRIVICORE_DOWNSTREAM_URL)")
	fs.BoolVar(&c.trace, "trace", false, "narrate every step: the HTTP call, the command id, the awaited message, the latencies (redacted)")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress line")
	fs.Int64Var(&c.seed, "seed", 0, "make generated names, passwords and payloads repeatable, `N` (0 = a fixed default)")
	fs.DurationVar(&c.stepTimeout, "step-timeout", 0, "bound every HTTP exchange and ack wait of a step without its own timeout:, `D` (0 = 30s)")
	c.sim = defineSimKnobs(fs, cmd)
}

// finish checks the flags that need it after parsing: the simulator's
// knobs, and that they are not given with a real target.
func (c *commonFlags) finish(fs *flagSet) error {
	fs.Visit(func(f *flag.Flag) {
		if strings.HasPrefix(f.Name, "sim-") {
			c.simFlagsSet = append(c.simFlagsSet, "--"+f.Name)
		}
	})
	opts, err := c.sim.options()
	if err != nil {
		return err
	}
	c.simOpts = opts
	if c.stepTimeout < 0 {
		return usagef("%s: --step-timeout must not be negative", c.cmd)
	}
	return nil
}

// target is where steps send their requests, and the embedded simulator
// behind it when there is one.
type target struct {
	api, ws, upstream, downstream string
	srv                           *sim.Server
}

// startTarget resolves --api/--ws and the environment; with neither it
// starts the embedded simulator on free loopback ports.
func (c *commonFlags) startTarget(std stdio) (*target, error) {
	env := func(flagV, name string) string {
		if flagV != "" {
			return flagV
		}
		return os.Getenv(name)
	}
	t := &target{api: env(c.api, "PRIVICORE_API_URL"), ws: env(c.ws, "PRIVICORE_WS_URL"),
		upstream: env(c.upstream, "PRIVICORE_UPSTREAM_URL"), downstream: env(c.downstream, "PRIVICORE_DOWNSTREAM_URL")}
	switch {
	case t.api != "" && t.ws != "":
		if len(c.simFlagsSet) > 0 {
			return nil, usagef("%s: %s configure the built-in simulator, which does not run with a target (--api/--ws)", c.cmd, strings.Join(c.simFlagsSet, ", "))
		}
		return t, nil
	case t.api != "" || t.ws != "":
		return nil, usagef("%s: give both the API and the WebSocket URL (--api and --ws, or PRIVICORE_API_URL and PRIVICORE_WS_URL), or neither for the built-in simulator", c.cmd)
	}
	srv, err := sim.Start(c.simOpts)
	if err != nil {
		return nil, fmt.Errorf("%s: the built-in simulator: %w", c.cmd, err)
	}
	u := srv.URLs()
	t.api, t.ws, t.upstream, t.downstream, t.srv = u.API, u.WS, u.Upstream, u.Downstream, srv
	if !c.quiet {
		fmt.Fprintf(std.err, "pcflow %s: built-in simulator at api=%s ws=%s\n", c.cmd, u.API, u.WS)
	}
	return t, nil
}

func (t *target) close() {
	if t.srv != nil {
		t.srv.Close()
	}
}

// stepsOptions is how steps reach the target and where they report.
func (c *commonFlags) stepsOptions(t *target, sink metrics.Sink, std stdio) steps.Options {
	o := steps.Options{APIURL: t.api, WSURL: t.ws, DownstreamURL: t.downstream, Sink: sink, Seed: c.seed, StepTimeout: c.stepTimeout}
	if c.trace {
		o.Trace = std.out
	}
	return o
}

// progressWriter is the live line on stderr: rewritten in place on a
// terminal, a plain line now and then otherwise, none with --quiet.
func progressWriter(std stdio, quiet bool) *report.ProgressWriter {
	if quiet {
		return nil
	}
	mode := report.ProgressPlain
	if f, ok := std.err.(*os.File); ok {
		mode = report.ProgressModeFor(f, quiet)
	}
	return report.NewProgressWriter(std.err, mode)
}

func useColor(std stdio) bool {
	f, ok := std.out.(*os.File)
	return ok && report.UseColor(f, os.Getenv)
}
