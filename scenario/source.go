package scenario

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// readDocument turns a file's bytes into its root mapping node, or into
// problems: yaml.v3's own errors carry only a line, in their own words, so
// they are rewritten into FILE:LINE:COL form; the byte-level mistakes
// yaml.v3 would report confusingly (or not at all) are caught first.
func readDocument(file string, src []byte) (*yaml.Node, []Problem) {
	if p, bad := checkBytes(file, src); bad {
		return nil, []Problem{p}
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, []Problem{{Pos: Pos{file, 1, 1}, Message: "the file is empty", Hint: "a scenario is a mapping with at least steps:"}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := decodeSafely(dec, &doc); errors.Is(err, io.EOF) {
		return nil, []Problem{{Pos: Pos{file, 1, 1}, Message: "the file is empty", Hint: "a scenario is a mapping with at least steps:"}}
	} else if err != nil {
		return nil, []Problem{yamlProblem(file, src, err)}
	}
	var extra yaml.Node
	if err := decodeSafely(dec, &extra); err == nil {
		return nil, []Problem{{Pos: Pos{file, extra.Line, extra.Column}, Message: "a second YAML document (---) in the file", Hint: "a scenario file holds one document"}}
	} else if !errors.Is(err, io.EOF) {
		return nil, []Problem{yamlProblem(file, src, err)}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, []Problem{{Pos: Pos{file, 1, 1}, Message: "the file is empty", Hint: "a scenario is a mapping with at least steps:"}}
	}
	if root.Kind != yaml.MappingNode {
		return nil, []Problem{{Pos: Pos{file, root.Line, root.Column}, Message: "a scenario must be a mapping (name:, load:, steps: …), not " + describe(root)}}
	}
	return root, nil
}

// decodeSafely is Decode with a recover: yaml.v3 has panicked on hostile
// input in the past, and bad input must never crash pcflow.
func decodeSafely(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("yaml: the YAML parser failed on this input")
		}
	}()
	return dec.Decode(n)
}

// checkBytes reports NUL bytes and invalid UTF-8, which yaml.v3 rejects
// without a position.
func checkBytes(file string, src []byte) (Problem, bool) {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return Problem{Pos: offsetPos(file, src, i), Message: "a NUL byte: the file is binary, not YAML text"}, true
	}
	if !utf8.Valid(src) {
		i := 0
		for i < len(src) {
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return Problem{Pos: offsetPos(file, src, i), Message: "invalid UTF-8: the file must be UTF-8 text"}, true
	}
	return Problem{}, false
}

// offsetPos converts a byte offset into a 1-based line and column counted
// in characters, as yaml.v3 counts them.
func offsetPos(file string, src []byte, off int) Pos {
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return Pos{file, line, 1 + utf8.RuneCount(src[start:off])}
}

// yamlProblem rewrites a yaml.v3 error ("yaml: line 3: did not find
// expected key") into a Problem. yaml.v3 gives no column, and for parser
// errors its line is where the enclosing construct starts (off by one,
// and often lines before the mistake), so the line is found again: the
// shortest prefix of the file that fails the same way ends at the
// mistake. The column is the line's first tab when the message is about
// one, the stray colon of "mapping values are not allowed", else the
// line's first non-blank character.
func yamlProblem(file string, src []byte, err error) Problem {
	text, ok := strings.CutPrefix(err.Error(), "yaml: ")
	if !ok {
		return Problem{Pos: Pos{file, 1, 1}, Message: "YAML: " + text}
	}
	if strings.HasPrefix(text, "line ") {
		if _, rest, found := strings.Cut(text, ": "); found {
			text = rest // the line is found again below
		}
	}
	line := failingLine(src, isEndOfStream(text))
	pos := Pos{file, line, lineStartCol(src, line)}
	hint := ""
	switch {
	case strings.Contains(text, "tab") || strings.Contains(text, "cannot start any token"):
		if col, ok := tabCol(src, line); ok {
			pos.Col = col
			text = "a tab in indentation"
			hint = "YAML indents with spaces only"
		}
	case strings.Contains(text, "mapping values are not allowed"):
		if col, ok := strayColon(lineText(src, line)); ok {
			pos.Col = col
			hint = "quote a value that contains \": \""
		}
	case strings.Contains(text, "',' or '}'") && strings.Contains(lineText(src, line), "${"):
		hint = "inside {…} a value with ${…} must be quoted: \"${…}\""
	case strings.HasPrefix(text, "unknown anchor"):
		hint = "define it with &NAME before using it as *NAME"
	}
	return Problem{Pos: pos, Message: "YAML syntax: " + text, Hint: hint}
}

func isEndOfStream(text string) bool { return strings.Contains(text, "end of stream") }

// failingLine returns the 1-based line where the YAML of src first fails
// the way the whole file does (eof: by running off its end, as an
// unclosed quote does; else by a mistake on that line), by bisecting
// over prefixes of whole lines: a prefix that fails keeps failing when
// lines are added.
func failingLine(src []byte, eof bool) int {
	ends := lineEnds(src)
	lo, hi := 1, len(ends)
	for lo < hi {
		mid := (lo + hi) / 2
		if failsLike(src[:ends[mid-1]], eof) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// lineEnds returns the offset just past each line of src.
func lineEnds(src []byte) []int {
	var ends []int
	for i, c := range src {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(src) > 0 && src[len(src)-1] != '\n' {
		ends = append(ends, len(src))
	}
	if len(ends) == 0 {
		ends = append(ends, 0)
	}
	return ends
}

// failsLike reports whether prefix fails to parse, in the eof way or not.
func failsLike(prefix []byte, eof bool) bool {
	dec := yaml.NewDecoder(bytes.NewReader(prefix))
	for {
		var n yaml.Node
		err := decodeSafely(dec, &n)
		if errors.Is(err, io.EOF) {
			return false
		}
		if err != nil {
			return !eof || isEndOfStream(err.Error())
		}
	}
}

// strayColon returns the column of the second ": " of a line, the one
// YAML cannot take as a key's colon.
func strayColon(t string) (int, bool) {
	first := strings.Index(t, ": ")
	if first < 0 {
		return 0, false
	}
	rest := t[first+2:]
	j := strings.Index(rest+" ", ": ")
	if j < 0 {
		if strings.HasSuffix(rest, ":") {
			j = len(rest) - 1
		} else {
			return 0, false
		}
	}
	return 1 + utf8.RuneCountInString(t[:first+2+j]), true
}

// lineText returns the 1-based line of src, "" when there is none.
func lineText(src []byte, line int) string {
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return string(src)
}

func lineStartCol(src []byte, line int) int {
	t := lineText(src, line)
	return 1 + utf8.RuneCountInString(t) - utf8.RuneCountInString(strings.TrimLeft(t, " "))
}

func tabCol(src []byte, line int) (int, bool) {
	t := lineText(src, line)
	i := strings.IndexByte(t, '\t')
	if i < 0 {
		return 0, false
	}
	return 1 + utf8.RuneCountInString(t[:i]), true
}

// describe names a node's shape for messages: "a list", "a mapping", "the
// number 3", …
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!null":
		return "nothing (null)"
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	}
	return "a string"
}
