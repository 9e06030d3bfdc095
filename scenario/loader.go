package scenario

import (
	"os"
	"path/filepath"
	"strings"
)

// Options tells LoadFile and Parse what it needs beyond the file.
type Options struct {
	// Catalogue is the set of step kinds (steps.Builtin()).
	Catalogue Catalogue
	// Env is the process environment as NAME=VALUE pairs, for env.NAME;
	// nil means none.
	Env []string
}

// Problem is one mistake in a scenario, at its place.
type Problem struct {
	Pos     Pos
	Message string
	Hint    string // e.g. "did you mean `steps`?"; "" when none helps
}

func (p Problem) Error() string {
	if p.Hint != "" {
		return p.Pos.String() + ": " + p.Message + " (" + p.Hint + ")"
	}
	return p.Pos.String() + ": " + p.Message
}

// Problems is every mistake found in one or more files, sorted by
// position. LoadFile and Parse return it as its error when there is any.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// maxScenarioBytes bounds what LoadFile reads: a scenario is hand-written
// text, and a device or a huge file must not stall validation.
const maxScenarioBytes = 16 << 20

// LoadFile reads, parses and validates the scenario file at path,
// reporting every problem at once as Problems. Feeder paths are resolved
// against the file's directory.
func LoadFile(path string, opts Options) (*Scenario, error) {
	if info, err := os.Stat(path); err == nil {
		switch {
		case info.IsDir():
			return nil, Problems{{Pos: Pos{path, 1, 1}, Message: "a directory, not a scenario file"}}
		case !info.Mode().IsRegular() || info.Size() > maxScenarioBytes:
			return nil, Problems{{Pos: Pos{path, 1, 1}, Message: "not a scenario file: a scenario is a regular file of at most 16 MiB"}}
		}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, Problems{{Pos: Pos{path, 1, 1}, Message: "cannot read the scenario: " + strings.TrimPrefix(err.Error(), "open "+path+": ")}}
	}
	return Parse(path, filepath.Dir(path), src, opts)
}

// Parse is LoadFile for a file already read: name is used in positions
// and dir resolves feeder paths. The fuzz targets and tests call it.
func Parse(name, dir string, src []byte, opts Options) (*Scenario, error) {
	cat := opts.Catalogue
	if cat == nil {
		cat = emptyCatalogue{}
	}
	p := &parser{file: name, dir: dir, src: src, cat: cat, env: envMap(opts.Env), isVar: map[string]bool{}}
	root, probs := readDocument(name, src)
	if probs != nil {
		return nil, Problems(probs)
	}
	s := p.parseFile(root)
	p.hintLater()
	if len(p.probs) > 0 {
		sortProblems(p.probs)
		return nil, Problems(p.probs)
	}
	return s, nil
}

// envMap turns NAME=VALUE pairs into env's map; a later pair wins, as in
// the process environment.
func envMap(pairs []string) map[string]any {
	m := make(map[string]any, len(pairs))
	for _, kv := range pairs {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			m[k] = v
		}
	}
	return m
}

// emptyCatalogue knows no kind: a Parse without a catalogue reports every
// step kind as unknown instead of crashing.
type emptyCatalogue struct{}

func (emptyCatalogue) Kind(string) (*KindSpec, bool) { return nil, false }
func (emptyCatalogue) Kinds() []string               { return nil }
