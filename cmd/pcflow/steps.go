package main

import "context"

func runSteps(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("steps", "steps [KIND]", `Lists the step kinds a scenario can use, or the parameters of one kind.

Not built yet in this version.`, std)
	if err := fs.parse(args); err != nil {
		return err
	}
	return notBuilt("steps")
}
