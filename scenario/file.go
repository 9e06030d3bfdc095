package scenario

import (
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// topKeys are the keys of a scenario file.
func topKeys() []string {
	return []string{"name", "description", "load", "thresholds", "vars", "data",
		"setup", "vu-setup", "steps", "vu-teardown", "teardown", "workloads"}
}

// workloadKeys are the keys of a workload (and of the single form's top).
func workloadKeys() []string {
	return []string{"load", "vars", "data", "vu-setup", "steps", "vu-teardown"}
}

// parseFile builds the Scenario from the root mapping.
func (p *parser) parseFile(root *yaml.Node) *Scenario {
	fields := map[string]entry{}
	for _, e := range p.strictEntries(root, "the scenario", topKeys()) {
		fields[e.key] = e
	}
	for i := 0; i < len(root.Content); i += 2 {
		k := root.Content[i].Value
		p.stepsTypo = p.stepsTypo || k != "steps" && Suggest(k, topKeys()) == "steps"
	}
	s := &Scenario{File: p.file, Name: strings.TrimSuffix(filepath.Base(p.file), filepath.Ext(p.file))}
	if e, ok := fields["name"]; ok {
		s.Name = p.name(e.value, "the scenario's name")
	}
	if e, ok := fields["description"]; ok {
		if n, ok := p.scalar(e.value, "description", "a string"); ok {
			s.Description = n.Value
		}
	}
	shared := newScope()
	if e, ok := fields["setup"]; ok {
		s.Setup = p.steps(e.value, "setup", shared)
	}
	if e, ok := fields["workloads"]; ok {
		p.rejectSingleForm(fields)
		s.Workloads = p.workloads(e.value, shared)
	} else {
		wf := map[string]*yaml.Node{}
		for _, k := range workloadKeys() {
			if e, ok := fields[k]; ok {
				wf[k] = e.value
			}
		}
		p.single = true
		s.Workloads = []*Workload{p.workload(s.Name, p.pos(root), root, wf, shared)}
	}
	if e, ok := fields["teardown"]; ok {
		s.Teardown = p.steps(e.value, "teardown", shared.fork())
	}
	if e, ok := fields["thresholds"]; ok {
		s.Thresholds = p.thresholds(e.value, s)
	}
	return s
}

// rejectSingleForm reports the single form's keys in a file that has
// workloads: each workload has its own.
func (p *parser) rejectSingleForm(fields map[string]entry) {
	for _, k := range workloadKeys() {
		if e, ok := fields[k]; ok {
			p.errorf(e.kNode, "move it into each workload", "`%s` belongs inside a workload in a file with workloads:", k)
		}
	}
}

// workloads parses the workloads: mapping, in the file's order.
func (p *parser) workloads(n *yaml.Node, shared *scope) []*Workload {
	var out []*Workload
	es := p.entries(n, "workloads")
	if len(es) == 0 && p.resolve(n).Kind == yaml.MappingNode {
		p.errorf(n, "", "workloads: is empty; name at least one workload")
	}
	for _, e := range es {
		if !validName(e.key) {
			p.errorf(e.kNode, "", "a workload name is letters, digits, - and _, not %q", e.key)
		}
		wf := map[string]*yaml.Node{}
		for _, we := range p.strictEntries(e.value, "workload "+e.key, workloadKeys()) {
			wf[we.key] = we.value
		}
		out = append(out, p.workload(e.key, p.pos(e.kNode), e.kNode, wf, shared))
	}
	return out
}

// workload parses one workload's fields. Scopes: vu-setup and vu-teardown
// see setup's captures and the per-vu and random feeders; vars see those,
// the per-iteration feeders and the vars above them; steps see all that,
// vu-setup's captures, and the captures of the steps before them.
func (p *parser) workload(name string, pos Pos, at *yaml.Node, f map[string]*yaml.Node, shared *scope) *Workload {
	w := &Workload{Name: name, Pos: pos, env: p.env}
	w.Load = p.load(f["load"], pos)
	vuScope := shared.fork()
	if n, ok := f["data"]; ok {
		w.Data = p.feeders(n)
	}
	for _, fd := range w.Data {
		if fd.Pick != PickPerIteration {
			vuScope.feeders[fd.Name] = fd.Columns
		}
	}
	if n, ok := f["vu-setup"]; ok {
		w.VUSetup = p.steps(n, "vu-setup", vuScope)
	}
	iter := vuScope.fork()
	for _, fd := range w.Data {
		iter.feeders[fd.Name] = fd.Columns
	}
	iter.varsOK = true
	if n, ok := f["vars"]; ok {
		w.Vars = p.vars(n, iter)
	}
	if n, ok := f["steps"]; ok {
		w.Steps = p.steps(n, "steps", iter)
		if r := p.resolve(n); r.Kind == yaml.SequenceNode && len(r.Content) == 0 {
			p.errorf(n, "", "steps: is empty; a workload needs at least one step")
		}
	} else if p.single && p.stepsTypo {
		// the misspelt key already has its problem, with `steps` as hint
	} else if p.single {
		p.errorf(at, "add steps: with at least one step, or workloads:", "the scenario has no steps:")
	} else {
		p.errorf(at, "", "workload %s has no steps:", name)
	}
	if n, ok := f["vu-teardown"]; ok {
		w.VUTeardown = p.steps(n, "vu-teardown", vuScope.fork())
	}
	return w
}

// vars parses vars: in order; each var is in scope for the ones after it.
func (p *parser) vars(n *yaml.Node, sc *scope) []*Var {
	var out []*Var
	for _, e := range p.entries(n, "vars") {
		if !p.bindable(e.kNode, e.key, "a var") || !p.notFeeder(e.kNode, e.key, "a var", sc) {
			continue
		}
		v := p.value(TypeAny, nil, e.value, sc, "var `"+e.key+"`")
		out = append(out, &Var{Name: e.key, Pos: p.pos(e.kNode), Value: v})
		p.bind(e.key, p.pos(e.kNode))
		p.isVar[e.key] = true
		sc.vars = append(sc.vars, e.key)
		sc.typ, sc.typResp = nil, nil
	}
	return out
}

// name parses a name: scenario, step or metric label.
func (p *parser) name(n *yaml.Node, what string) string {
	n, ok := p.scalar(n, what, "a name")
	if !ok {
		return ""
	}
	if n.Value == "" || strings.ContainsAny(n.Value, "{}\n\t") {
		p.errorf(n, "", "%s must be a name without braces or line breaks", what)
	}
	return n.Value
}

// bindable checks a name a var, capture or feeder binds: an identifier
// that is not a built-in.
func (p *parser) bindable(at *yaml.Node, name, what string) bool {
	if !isIdent(name) {
		p.errorf(at, "use letters, digits and _, starting with a letter", "%s name must be an identifier, not %q", what, name)
		return false
	}
	if isBuiltin(name) || isKeyword(name) {
		p.errorf(at, "choose another name", "%s cannot be called `%s`: that name is built in", what, name)
		return false
	}
	return true
}

// notFeeder refuses a var or capture named like a feeder: in an
// expression, `accounts.username` must mean one thing.
func (p *parser) notFeeder(at *yaml.Node, name, what string, sc *scope) bool {
	if sc.feeders[name] != nil {
		p.errorf(at, "choose another name", "%s cannot be called `%s`: a feeder has that name", what, name)
		return false
	}
	return true
}

func isIdent(s string) bool {
	path, _, ok := simplePath(s)
	return ok && len(path) == 1
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c == '-' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
