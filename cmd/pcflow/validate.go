package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/pcflow/pcflow/scenario"
)

func runValidate(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("validate", "validate [--format text|json] SCENARIO.yaml...", `Parses and checks scenarios without running them: YAML syntax, unknown keys and
step kinds, parameter types and values, names used before they are defined,
load models, feeders and thresholds. Every problem of every file is printed at
once as FILE:LINE:COL: message (hint), sorted by position; a good file prints
one "ok FILE" line. The exit code is 2 if there is any problem, 0 otherwise.

--format json prints one JSON array of {file, line, col, message, hint} for
editors and CI instead ([] when every file is good).`, std)
	format := fs.String("format", "text", "output `format`: text or json")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usagef("validate: --format must be text or json, not %q", *format)
	}
	if len(files) == 0 {
		return usagef("validate: name at least one scenario file (see 'pcflow validate --help')")
	}
	opts := scenario.Options{Catalogue: catalogue(), Env: os.Environ()}
	var all scenario.Problems
	var good []string
	for _, path := range files {
		ps := validateFile(path, opts)
		if len(ps) == 0 {
			good = append(good, path)
		}
		all = append(all, ps...)
	}
	if *format == "json" {
		if err := writeProblemsJSON(std, all); err != nil {
			return err
		}
	} else {
		for _, p := range all {
			fmt.Fprintln(std.out, p.Error())
		}
		for _, path := range good {
			fmt.Fprintf(std.out, "ok %s\n", path)
		}
	}
	if len(all) > 0 {
		return usagef("validate: %s in %s", plural(len(all), "problem"), plural(len(files)-len(good), "file"))
	}
	return nil
}

// parseInterspersed parses flags wherever they are among the file names
// (`pcflow validate *.yaml --format json` is how people type it) and
// returns the file names.
func parseInterspersed(fs *flagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return files, nil
		}
		files, args = append(files, args[0]), args[1:]
	}
}

// validateFile loads one file and returns its problems; an error that is
// not a list of problems (it cannot happen today) becomes one at 1:1.
func validateFile(path string, opts scenario.Options) scenario.Problems {
	_, err := scenario.LoadFile(path, opts)
	if err == nil {
		return nil
	}
	var ps scenario.Problems
	if errors.As(err, &ps) {
		return ps
	}
	return scenario.Problems{{Pos: scenario.Pos{File: path, Line: 1, Col: 1}, Message: err.Error()}}
}

// jsonProblem is one problem as `--format json` prints it; the keys are
// stable for editors and CI.
type jsonProblem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
}

func writeProblemsJSON(std stdio, ps scenario.Problems) error {
	out := make([]jsonProblem, len(ps))
	for i, p := range ps {
		out[i] = jsonProblem{File: p.Pos.File, Line: p.Pos.Line, Col: p.Pos.Col, Message: p.Message, Hint: p.Hint}
	}
	enc := json.NewEncoder(std.out)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
