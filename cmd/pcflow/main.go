// Command pcflow runs Privicore workflow scenarios: once as an end-to-end
// test suite, under load with thousands of virtual users, or as a narrated
// demo against its built-in simulator.
//
// main maps subcommand names to one file each; every subcommand builds its
// options from its own flag.FlagSet, calls the packages and returns an
// error. Only main turns errors into exit codes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes, the same for every subcommand.
const (
	exitOK      = 0 // everything held
	exitFailed  = 1 // the run failed: a threshold or check failed, or it was aborted
	exitBadArgs = 2 // the command line or the scenario is wrong
)

// stdio is where a subcommand writes; tests hand it buffers.
type stdio struct {
	out io.Writer
	err io.Writer
}

// command is one subcommand: its name, a one-line summary for the overview,
// and the function that runs it.
type command struct {
	name    string
	usage   string // the synopsis after "pcflow "
	summary string
	run     func(ctx context.Context, args []string, std stdio) error
}

// commands lists the subcommands in the order the overview shows them.
func commands() []command {
	return []command{
		{"run", "run [flags] SCENARIO.yaml", "run a scenario under load and report latencies", runRun},
		{"test", "test [flags] SCENARIO.yaml|DIR...", "run each scenario once as an end-to-end test (JUnit-ready)", runTest},
		{"validate", "validate SCENARIO.yaml...", "parse and check scenarios without running them", runValidate},
		{"schema", "schema", "print the JSON Schema of the scenario format, for editors", runSchema},
		{"steps", "steps [KIND]", "list the step kinds, or one kind's parameters", runSteps},
		{"sim", "sim [flags]", "serve the built-in Privicore simulator standalone", runSim},
		{"report", "report RESULT.json --out KIND=FILE", "re-render a saved result", runReport},
		{"merge", "merge RESULT.json... --out json=FILE", "combine the results of several shards losslessly", runMerge},
		{"compare", "compare BASE.json NEW.json", "compare a run with a baseline; exit 1 on a regression", runCompare},
		{"version", "version", "print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}

// run dispatches args to a subcommand and maps its error to an exit code.
func run(ctx context.Context, args []string, std stdio) int {
	if len(args) == 0 {
		printOverview(std.err)
		return exitBadArgs
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "-help" || name == "help" {
		printOverview(std.out)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			return exitCode(c.run(ctx, args[1:], std), std.err)
		}
	}
	fmt.Fprintf(std.err, "pcflow: unknown command %q; the commands are:\n\n", name)
	printCommandList(std.err)
	fmt.Fprintln(std.err, "\nRun 'pcflow COMMAND --help' for a command's flags.")
	return exitBadArgs
}

// exitCode prints err (if any) and chooses the exit code: 2 for usage and
// scenario errors, 1 for everything else.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, new(*usageError)):
		fmt.Fprintf(stderr, "pcflow: %v\n", err)
		return exitBadArgs
	default:
		fmt.Fprintf(stderr, "pcflow: %v\n", err)
		return exitFailed
	}
}

func printOverview(w io.Writer) {
	fmt.Fprint(w, `pcflow runs Privicore workflow scenarios: YAML files that chain API
operations (register, authenticate, reserve token, upload, vote, download, ...)
and link every command ID to its WebSocket acknowledgement.

Usage:

`)
	printCommandList(w)
	fmt.Fprint(w, `
With no --api/--ws (or PRIVICORE_API_URL/PRIVICORE_WS_URL), run and test start
a built-in simulator on free loopback ports, so nothing needs installing.

Run 'pcflow COMMAND --help' for a command's flags.
Exit codes: 0 ok, 1 the run or a threshold/check failed, 2 bad command line or scenario.
`)
}

func printCommandList(w io.Writer) {
	for _, c := range commands() {
		fmt.Fprintf(w, "  pcflow %-38s %s\n", c.usage, c.summary)
	}
}
