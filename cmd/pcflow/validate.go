package main

import "context"

func runValidate(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("validate", "validate SCENARIO.yaml...", `Parses and checks scenarios without running them; every problem is reported
as FILE:LINE:COL and the exit code is 2 if there is any.

Not built yet in this version.`, std)
	if err := fs.parse(args); err != nil {
		return err
	}
	return notBuilt("validate")
}
