package main

import (
	"context"

	"github.com/pcflow/pcflow/steps"
)

func runSteps(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("steps", "steps [KIND]", `Lists the step kinds a scenario can use, or one kind's reference:
its parameters (type, required, default, meaning), what it captures for
later steps, the metrics it emits and an example.`, std)
	markdown := fs.Bool("markdown", false, "print the README's step table (Markdown) instead")
	if err := fs.parse(args); err != nil {
		return err
	}
	cat := steps.Builtin()
	switch {
	case fs.NArg() > 1:
		return usagef("steps: want at most one KIND, got %d (see 'pcflow steps --help')", fs.NArg())
	case *markdown:
		return cat.WriteMarkdownTable(std.out)
	case fs.NArg() == 1:
		if err := cat.WriteKind(std.out, fs.Arg(0)); err != nil {
			return usagef("steps: %v", err)
		}
		return nil
	}
	return cat.WriteList(std.out)
}
