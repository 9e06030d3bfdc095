package main

import "context"

func runTest(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("test", "test [flags] SCENARIO.yaml|DIR...", `Runs each scenario once with one virtual user, stops at the first failing
step with a precise diagnosis, and can write JUnit XML for CI.

Not built yet in this version.`, std)
	if err := fs.parse(args); err != nil {
		return err
	}
	return notBuilt("test")
}
