package main

import "context"

func runSim(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("sim", "sim [flags]", `Serves the built-in Privicore simulator standalone.

Not built yet in this version.`, std)
	if err := fs.parse(args); err != nil {
		return err
	}
	return notBuilt("sim")
}
