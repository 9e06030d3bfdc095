package main

import "context"

func runReport(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("report", "report RESULT.json --out KIND=FILE", `Re-renders a saved JSON result as another format (html, junit, csv, json).

Not built yet in this version.`, std)
	if err := fs.parse(args); err != nil {
		return err
	}
	return notBuilt("report")
}
