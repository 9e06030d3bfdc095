package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

func runVersion(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("version", "version", "Prints pcflow's version and the Go version it was built with.", std)
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("version: takes no arguments, got %q", fs.Args())
	}
	version, goVersion := "(devel)", "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		goVersion = info.GoVersion
		if v := info.Main.Version; v != "" {
			version = v
		}
	}
	fmt.Fprintf(std.out, "pcflow %s (%s)\n", version, goVersion)
	return nil
}
