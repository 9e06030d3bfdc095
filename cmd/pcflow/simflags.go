package main

import (
	"errors"
	"strings"

	"github.com/pcflow/pcflow/sim"
)

// simKnobs are the simulator's knobs on a subcommand's flag set. They are
// registered by sim.RegisterFlags, the one source of every knob's name,
// default, usage text and validation: 'pcflow sim' takes them as they are,
// on the real deployment's ports, and 'pcflow run' and 'pcflow test' take
// them with a "sim-" prefix for their embedded simulator on free ports, so
// the two cannot drift apart.
type simKnobs struct {
	flags *sim.Flags
	cmd   string // the subcommand named in error messages
}

// defineSimKnobs registers the knobs on fs: for 'pcflow sim' with no
// prefix and the deployment's listen addresses, for run and test with the
// "sim-" prefix and free loopback ports.
func defineSimKnobs(fs *flagSet, cmd string) *simKnobs {
	if cmd == "sim" {
		return &simKnobs{flags: sim.RegisterFlags(fs.FlagSet, "", sim.ListenDeployment), cmd: cmd}
	}
	return &simKnobs{flags: sim.RegisterFlags(fs.FlagSet, "sim-", sim.ListenFree), cmd: cmd}
}

// options returns the parsed knobs; a bad value is a usage error naming
// the flag as the user typed it (a --user only by its position: its value
// holds a password).
func (k *simKnobs) options() (sim.Options, error) {
	opts, err := k.flags.Options()
	var fe *sim.FlagError
	switch {
	case errors.As(err, &fe):
		return opts, usagef("%s: %s", k.cmd, strings.TrimPrefix(fe.Error(), "sim: "))
	case err != nil:
		return opts, usagef("%v (see 'pcflow sim --help')", err)
	}
	return opts, nil
}
