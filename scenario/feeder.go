package scenario

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"gopkg.in/yaml.v3"
)

// maxFeederBytes bounds a feeder file: it is read whole at load and held
// in memory for the run.
const maxFeederBytes = 256 << 20

// feeders parses data: {NAME: {csv: PATH, pick: …, on-end: …}}.
func (p *parser) feeders(n *yaml.Node) []*Feeder {
	var out []*Feeder
	for _, e := range p.entries(n, "data") {
		if !p.bindable(e.kNode, e.key, "a feeder") {
			continue
		}
		if f := p.feeder(e); f != nil {
			out = append(out, f)
		}
	}
	return out
}

func (p *parser) feeder(e entry) *Feeder {
	f := &Feeder{Name: e.key, Pos: p.pos(e.kNode), Pick: PickPerVU, OnEnd: OnEndWrap, next: new(atomic.Int64)}
	var csvNode *yaml.Node
	for _, fe := range p.strictEntries(e.value, "feeder "+e.key, []string{"csv", "pick", "on-end"}) {
		switch fe.key {
		case "csv":
			csvNode = fe.value
		case "pick":
			f.Pick = Pick(p.enum(fe.value, "pick", []string{string(PickPerVU), string(PickPerIteration), string(PickRandom)}))
		case "on-end":
			f.OnEnd = OnEnd(p.enum(fe.value, "on-end", []string{string(OnEndWrap), string(OnEndStop)}))
		}
	}
	if csvNode == nil {
		if p.resolve(e.value).Kind == yaml.MappingNode {
			p.errorf(e.value, "write {csv: FILE.csv}; the path is relative to the scenario", "feeder %s needs `csv`", e.key)
		}
		return nil
	}
	s, ok := p.scalar(csvNode, "csv", "a file path")
	if !ok {
		return nil
	}
	f.Path = s.Value
	if !filepath.IsAbs(f.Path) {
		f.Path = filepath.Join(p.dir, f.Path)
	}
	if msg := f.read(s.Value); msg != "" {
		p.errorf(s, "", "feeder %s: %s", e.key, msg)
		return nil
	}
	return f
}

// enum parses a scalar that must be one of allowed; "" when it is not.
func (p *parser) enum(n *yaml.Node, what string, allowed []string) string {
	s, ok := p.scalar(n, what, "one of "+strings.Join(allowed, ", "))
	if !ok {
		return allowed[0]
	}
	if !slices.Contains(allowed, s.Value) {
		p.errorf(s, hintOr(didYouMean(s.Value, allowed), "one of "+strings.Join(allowed, ", ")), "unknown %s %q", what, s.Value)
		return allowed[0]
	}
	return s.Value
}

// read loads the CSV file: a header of column names, then at least one
// row. It returns what is wrong, or "", naming the file as the scenario
// wrote it (shown).
func (f *Feeder) read(shown string) string {
	info, err := os.Stat(f.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "file " + shown + " does not exist (paths are relative to the scenario file)"
	case err != nil:
		return "cannot read " + shown + ": " + err.Error()
	case info.IsDir():
		return shown + " is a directory, not a CSV file"
	case !info.Mode().IsRegular():
		// A device or a FIFO could block the load forever, or never end.
		return shown + " is not a regular file"
	case info.Size() > maxFeederBytes:
		return shown + " is larger than 256 MiB"
	}
	src, err := os.ReadFile(f.Path)
	if err != nil {
		return "cannot read " + shown + ": " + err.Error()
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return shown + " is empty"
	}
	r := csv.NewReader(bytes.NewReader(src))
	header, err := r.Read()
	if err != nil {
		return shown + ": " + err.Error()
	}
	if msg := checkHeader(header); msg != "" {
		return shown + ": " + msg
	}
	f.Columns = header
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return shown + ": " + err.Error()
		}
		f.Rows = append(f.Rows, rec)
	}
	if len(f.Rows) == 0 {
		return shown + " has a header but no rows"
	}
	f.rows = make([]map[string]any, len(f.Rows))
	for i, rec := range f.Rows {
		m := make(map[string]any, len(header))
		for j, c := range header {
			m[c] = rec[j]
		}
		f.rows[i] = m
	}
	return ""
}

// checkHeader insists that the first row names the columns: a first row
// of data (an e-mail address, a number) would silently become names.
func checkHeader(header []string) string {
	seen := map[string]bool{}
	for i, c := range header {
		if !isIdent(c) {
			// The cell is not quoted back: a file without a header starts
			// with data, and data may be a password.
			return "the first row must be a header of column names (letters, digits, _), but its column " + strconv.Itoa(i+1) + " is not a name"
		}
		if seen[c] {
			return "column " + c + " appears twice in the header"
		}
		seen[c] = true
	}
	return ""
}
