package scenario

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// atLoad expands a ${…} template in a field whose value the loader needs
// itself — the load: fields (vus, rate, duration, stages …), a step's
// timeout and expect status, a threshold's delay — so that one file can
// take its load from the environment (`vus: ${env.VUS}`, as k6's
// __ENV). It is evaluated once, when the file is loaded, and may read
// only env.NAME, random.* and now(): vu, iteration, vars and captures do
// not exist yet. A scalar without a template is returned as it is; the
// result is a copy holding the expanded text at the original's place, so
// the caller's own parsing names the field; gave is that text in a note
// for the caller's messages (" (the template gave \"many\")"), "" when
// nothing was expanded. ok is false when a problem was recorded.
func (p *parser) atLoad(n *yaml.Node, what string) (out *yaml.Node, gave string, ok bool) {
	r := p.resolve(n)
	if r.Kind != yaml.ScalarNode || !hasTemplate(r.Value) {
		return n, "", true
	}
	t, ok := p.template(r.Value, p.locate(r), newScope(), false)
	if !ok {
		return nil, "", false
	}
	for _, part := range t.parts {
		if part.x == nil {
			continue
		}
		if name := runTimeName(part.x); name != "" {
			p.errorAt(part.x.pos, "only env.NAME, random.* and now() exist when the file is loaded",
				"`%s` in %s: its value is known only while the run goes", name, what)
			return nil, "", false
		}
	}
	env := NewEnv(nil, 0, nil)
	env.vals["env"] = p.env
	text, _, err := t.expandText(env)
	if err != nil {
		var ee *EvalError
		if errors.As(err, &ee) {
			// expr's message may span lines with a caret under the source:
			// its first line is the reason; the position is the problem's.
			msg, _, _ := strings.Cut(ee.Err.Error(), "\n")
			p.errorAt(ee.Pos, "", "%s: `%s` failed at load: %s", what, ee.Source, strings.TrimSpace(msg))
		} else {
			p.errorf(r, "", "%s: %v", what, err)
		}
		return nil, "", false
	}
	c := *r
	c.Value, c.Tag, c.Style = text, "!!str", 0
	return &c, fmt.Sprintf(" (the template gave %q)", text), true
}

// runTimeName is the first name c reads that has no value at load time;
// "" when it reads only env, random and now.
func runTimeName(c *compiled) string {
	if c.path == nil {
		return firstNameOutside(c.prog, loadTimeName)
	}
	if loadTimeName(c.path[0]) {
		return ""
	}
	return c.path[0]
}

func loadTimeName(name string) bool { return name == "env" || name == "random" || name == "now" }
