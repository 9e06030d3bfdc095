package main

import "context"

func runMerge(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("merge", "merge RESULT.json... --out json=FILE", `Combines the JSON results of several shards (--segment i/n) losslessly into one.

Not built yet in this version.`, std)
	if err := fs.parse(args); err != nil {
		return err
	}
	return notBuilt("merge")
}
