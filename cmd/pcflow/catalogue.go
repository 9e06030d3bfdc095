package main

import (
	"github.com/pcflow/pcflow/scenario"
	"github.com/pcflow/pcflow/steps"
)

// catalogue is the set of step kinds every subcommand loads scenarios
// against: the one place cmd/pcflow wires package steps into scenario.
func catalogue() scenario.Catalogue { return steps.Builtin() }
