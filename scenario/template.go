package scenario

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// template is a string with ${…} parts, compiled at load. `$${` writes a
// literal "${".
type template struct {
	parts []tpart
	// whole is set when the string is exactly one ${…}: the value keeps
	// the expression's type instead of becoming a string.
	whole *compiled
}

// tpart is a literal run of text or one compiled expression.
type tpart struct {
	lit string
	x   *compiled
}

// hasTemplate reports whether s needs compiling at all.
func hasTemplate(s string) bool { return strings.Contains(s, "${") }

// contentPos is where a scalar's text starts: after the quote of a quoted
// scalar, on the next line of a block scalar.
func contentPos(p *parser, n *yaml.Node) Pos {
	pos := p.pos(n)
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		pos.Col++
	case yaml.LiteralStyle, yaml.FoldedStyle:
		pos.Line++
		pos.Col = n.Column + 2
	}
	return pos
}

// template compiles s, located by loc, into literal and expression
// parts. ok is false when a problem was recorded.
func (p *parser) template(s string, loc locator, sc *scope, withResponse bool) (*template, bool) {
	t := &template{}
	var lit strings.Builder
	ok := true
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "$${") {
			lit.WriteString("${")
			i += 3
			continue
		}
		if !strings.HasPrefix(s[i:], "${") {
			lit.WriteByte(s[i])
			i++
			continue
		}
		end := exprEnd(s, i+2)
		at := loc.at(utf8.RuneCountInString(s[:i]))
		if end < 0 {
			p.errorAt(at, "close it with }, or write $${ for a literal ${", "unterminated ${")
			return nil, false
		}
		if lit.Len() > 0 {
			t.parts = append(t.parts, tpart{lit: lit.String()})
			lit.Reset()
		}
		src := s[i+2 : end]
		c, good := p.compile(src, loc.from(utf8.RuneCountInString(s[:i+2])), sc, withResponse, false)
		ok = ok && good
		t.parts = append(t.parts, tpart{x: c})
		i = end + 1
	}
	if lit.Len() > 0 {
		t.parts = append(t.parts, tpart{lit: lit.String()})
	}
	if len(t.parts) == 1 && t.parts[0].x != nil {
		t.whole = t.parts[0].x
	}
	return t, ok
}

// exprEnd returns the index of the } that closes the expression starting
// at i, skipping nested braces (maps, closures) and quoted strings; -1
// when there is none.
func exprEnd(s string, i int) int {
	depth := 0
	for ; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\'', '`':
			j := i + 1
			for j < len(s) && s[j] != c {
				if s[j] == '\\' && c != '`' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return -1
			}
			i = j
		case '{':
			depth++
		case '}':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// expand evaluates the template: the expression's own value when the
// string is exactly one ${…}, else the string.
func (t *template) expand(env *Env) (any, error) {
	if t.whole != nil {
		return t.whole.run(env)
	}
	s, secret, err := t.expandText(env)
	if secret {
		return SecretText(s), err
	}
	return s, err
}

// expandString evaluates the template into a string. A secret part is
// revealed into it: callers that may print the result use expand, which
// keeps such a string marked as SecretText.
func (t *template) expandString(env *Env) (string, error) {
	s, _, err := t.expandText(env)
	return s, err
}

// expandText evaluates the template into a string and says whether a part
// of it was a secret. It writes into the Env's buffer, so the result
// string is its only allocation.
func (t *template) expandText(env *Env) (text string, secret bool, err error) {
	buf := env.buf[:0]
	for _, part := range t.parts {
		if part.x == nil {
			buf = append(buf, part.lit...)
			continue
		}
		if part.x.prog == nil && len(part.x.path) == 1 {
			switch part.x.path[0] { // no boxing of the hot built-ins
			case "vu":
				buf = strconv.AppendInt(buf, int64(env.vu), 10)
				continue
			case "iteration":
				buf = strconv.AppendInt(buf, env.iteration, 10)
				continue
			}
		}
		v, err := part.x.run(env)
		if err != nil {
			return "", false, err
		}
		if r, ok := v.(revealer); ok {
			secret = true
			buf = append(buf, r.Reveal()...)
			continue
		}
		buf = appendValue(buf, v)
	}
	env.buf = buf
	return string(buf), secret, nil
}

// appendValue writes v as text: numbers in decimal, nil as nothing.
func appendValue(buf []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return buf
	case string:
		return append(buf, x...)
	case int:
		return strconv.AppendInt(buf, int64(x), 10)
	case int64:
		return strconv.AppendInt(buf, x, 10)
	case float64:
		return strconv.AppendFloat(buf, x, 'f', -1, 64)
	case bool:
		return strconv.AppendBool(buf, x)
	case time.Duration:
		return append(buf, x.String()...)
	}
	return fmt.Append(buf, v)
}
