package scenario

import (
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// locator maps an offset in a scalar's decoded text (in runes) to its
// place in the file, so that a problem inside a ${…} points at the exact
// column even when escapes (\" or ”) make the text shorter than the
// source.
type locator struct {
	base Pos
	text string // the decoded text, for offsets past a line break
	cols []int  // cols[i]: the file column of rune i; nil when the text is contiguous from base
}

// at returns the position of the rune at offset off.
func (l locator) at(off int) Pos {
	if l.cols != nil && off >= 0 && off < len(l.cols) {
		return Pos{l.base.File, l.base.Line, l.cols[off]}
	}
	return shift(l.base, l.text, off)
}

// from returns the locator of the text starting at rune offset off.
func (l locator) from(off int) locator {
	out := locator{base: l.at(off), text: skipRunes(l.text, off)}
	if l.cols != nil && off <= len(l.cols) {
		out.cols = l.cols[off:]
	}
	return out
}

func skipRunes(s string, n int) string {
	for ; n > 0 && s != ""; n-- {
		_, size := utf8.DecodeRuneInString(s)
		s = s[size:]
	}
	return s
}

// locate returns the locator of a scalar node's text. A quoted scalar on
// one line is mapped rune by rune from the source; anything else counts
// from where its text starts.
func (p *parser) locate(n *yaml.Node) locator {
	l := locator{base: contentPos(p, n), text: n.Value}
	if n.Style != yaml.DoubleQuotedStyle && n.Style != yaml.SingleQuotedStyle {
		return l
	}
	line := p.line(n.Line)
	col := n.Column // of the opening quote
	rest := skipRunes(line, col-1)
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return l
	}
	cols := quotedCols(rest, col)
	if len(cols) == utf8.RuneCountInString(n.Value) {
		l.cols = cols
	}
	return l
}

// line returns the 1-based line of the source; the line index is built
// once, so that locating every quoted scalar stays linear in the file.
func (p *parser) line(n int) string {
	if p.lineStarts == nil {
		p.lineStarts = []int{0}
		for i, c := range p.src {
			if c == '\n' {
				p.lineStarts = append(p.lineStarts, i+1)
			}
		}
	}
	if n < 1 || n > len(p.lineStarts) {
		return ""
	}
	end := len(p.src)
	if n < len(p.lineStarts) {
		end = p.lineStarts[n] - 1
	}
	return string(p.src[p.lineStarts[n-1]:end])
}

// quotedCols walks a quoted scalar's source (from its opening quote, at
// column col) and returns the column of each rune its value decodes to.
// It stops at the closing quote; a value that continues on the next line
// gives a count that does not match, and the caller falls back.
func quotedCols(src string, col int) []int {
	quote := src[0]
	var cols []int
	runes := []rune(src[1:])
	col++
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		width := 1
		switch {
		case quote == '\'' && r == '\'':
			if i+1 < len(runes) && runes[i+1] == '\'' {
				width = 2 // '' is one quote
			} else {
				return cols
			}
		case quote == '"' && r == '"':
			return cols
		case quote == '"' && r == '\\' && i+1 < len(runes):
			switch runes[i+1] {
			case 'x':
				width = 4
			case 'u':
				width = 6
			case 'U':
				width = 10
			default:
				width = 2
			}
		}
		cols = append(cols, col)
		col += width
		i += width - 1
	}
	return cols
}
