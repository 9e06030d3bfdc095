package scenario

import "errors"

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
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += "\n"
		}
		s += p.Error()
	}
	return s
}

// LoadFile reads, parses and validates the scenario file at path,
// reporting every problem at once as Problems. Feeder paths are resolved
// against the file's directory.
func LoadFile(path string, opts Options) (*Scenario, error) {
	return nil, errors.New("scenario: LoadFile is not built yet")
}

// Parse is LoadFile for a file already read: name is used in positions
// and dir resolves feeder paths. The fuzz targets and tests call it.
func Parse(name, dir string, src []byte, opts Options) (*Scenario, error) {
	return nil, errors.New("scenario: Parse is not built yet")
}
