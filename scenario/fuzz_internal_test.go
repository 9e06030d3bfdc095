package scenario

import (
	"testing"
)

// FuzzTemplate: compiling and expanding any string as a ${…} template —
// against a scope with vars, a feeder and captures — never panics and
// never hangs; a template that compiles also expands (with a result or
// an error).
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		"load-${vu}-${iteration}-${random.hex(6)}@pcflow.test", "${random.int(1, 64)}KiB", "${accounts.username}",
		"${vars.size}", "${size * 2}", "${upper(user)}", "$${literal}", "${", "${}", "${'}'}", "${ {a: 1}.a }",
		"${let x = 1; x + vu}", "${now().Unix()}", "${env.HOME}", "${random.uuid()} ${random.password()}",
		"${1..3 | map(# * 2)}", "${data_token ?? 'none'}", "${len(accounts)}", "${vu > 1 ? 'a' : 'b'}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := &parser{file: "fuzz.yaml", isVar: map[string]bool{}}
		sc := newScope()
		sc.varsOK = true
		sc.vars = []string{"size", "user"}
		sc.feeders["accounts"] = []string{"username", "password"}
		sc.capture("data_token", Pos{})
		tm, ok := p.template(s, locator{base: Pos{"fuzz.yaml", 1, 1}, text: s}, sc, false)
		if !ok {
			if len(p.probs) == 0 {
				t.Fatal("a template that failed recorded no problem")
			}
			return
		}
		w := &Workload{Name: "w", env: map[string]any{"HOME": "/root"},
			Vars: []*Var{{Name: "size", Value: StaticValue(Pos{}, TypeAny, int64(3))}, {Name: "user", Value: StaticValue(Pos{}, TypeAny, "u")}}}
		env := NewEnv(w, 1, nil)
		env.Seed(1)
		env.vals["accounts"] = map[string]any{"username": "alice", "password": "pw"}
		env.Set("data_token", "tok")
		if err := env.BeginIteration(0); err != nil {
			t.Fatal(err)
		}
		_, _ = tm.expand(env)
	})
}
