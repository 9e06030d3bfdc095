package main

import (
	"flag"
	"fmt"
	"io"
)

// flagSet is a subcommand's flag.FlagSet together with the text of its
// --help: the synopsis, a description that teaches, and the flags.
type flagSet struct {
	*flag.FlagSet
	synopsis    string
	description string
	std         stdio
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name, synopsis, description string, std stdio) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// The flag package's own messages are discarded (it would print the
	// usage on every error): parse reports an error once, in pcflow's words.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, synopsis: synopsis, description: description, std: std}
}

// parse parses args. --help prints the help to stdout and returns
// flag.ErrHelp (exit 0); a bad flag returns a usageError (exit 2).
func (fs *flagSet) parse(args []string) error {
	err := fs.Parse(args)
	if err == flag.ErrHelp {
		fs.printHelp(fs.std.out)
		return flag.ErrHelp
	}
	if err != nil {
		return usagef("%s: %v (see 'pcflow %s --help')", fs.Name(), err, fs.Name())
	}
	return nil
}

func (fs *flagSet) printHelp(w io.Writer) {
	fmt.Fprintf(w, "Usage: pcflow %s\n\n%s\n", fs.synopsis, fs.description)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}
