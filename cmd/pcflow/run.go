package main

import "context"

func runRun(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("run", "run [flags] SCENARIO.yaml", `Runs a scenario under its load model (or --vus/--duration/--iterations/--rate)
against --api/--ws, or against a built-in simulator when no target is given,
and reports latency histograms per step and phase.

Not built yet in this version.`, std)
	if err := fs.parse(args); err != nil {
		return err
	}
	return notBuilt("run")
}
