package main

import (
	"context"

	"github.com/pcflow/pcflow/scenario"
)

func runSchema(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("schema", "schema", `Prints the JSON Schema (draft 2020-12) of the scenario format, with every step
kind and its parameters, for editors and CI:

  pcflow schema > pcflow.schema.json
  # then, in VS Code with the YAML extension, at the top of a scenario:
  # yaml-language-server: $schema=./pcflow.schema.json

The schema checks the file's structure; 'pcflow validate' also checks names in
scope, feeder files and the metrics thresholds name.`, std)
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("schema: takes no arguments")
	}
	b, err := scenario.Schema(catalogue())
	if err != nil {
		return err
	}
	_, err = std.out.Write(append(b, '\n'))
	return err
}
