package scenario_test

import (
	"fmt"

	"github.com/pcflow/pcflow/scenario"
)

// Every problem of a file comes at once, sorted, at its FILE:LINE:COL,
// with a hint where one helps.
func ExampleParse_problems() {
	src := `name: demo
steps:
  - download: {token: "${data_token}"}
  - upload: {size: 4KB2}
  - slep: 1s
`
	_, err := scenario.Parse("demo.yaml", ".", []byte(src), scenario.Options{Catalogue: newTestCatalogue()})
	fmt.Println(err)
	// Output:
	// demo.yaml:3:26: `data_token` is not defined here (`data_token` is bound later, at line 4: a name can be used only after the step or var that binds it)
	// demo.yaml:4:20: `size` of upload: want a size like 512, 1KiB, 1.5MB or 3MiB
	// demo.yaml:5:5: unknown step kind `slep` (did you mean `sleep`?)
}

// A VU's Env evaluates the templates compiled at load: a string with
// ${…} parts is a string, one that is exactly one ${…} keeps its type.
func ExampleEnv() {
	src := `vars:
  n: "${vu * 10}"
steps:
  - http: {path: "/users/${vu}/items/${n}", ttl: "${n + 1}"}
`
	s, err := scenario.Parse("demo.yaml", ".", []byte(src), scenario.Options{Catalogue: newTestCatalogue()})
	if err != nil {
		fmt.Println(err)
		return
	}
	env := scenario.NewEnv(s.Workloads[0], 4, nil)
	if err := env.BeginIteration(0); err != nil {
		fmt.Println(err)
		return
	}
	step := s.Workloads[0].Steps[0]
	path, _ := step.Param("path").String(env)
	ttl, _ := step.Param("ttl").Int(env)
	fmt.Println(path, ttl)
	// Output: /users/4/items/40 41
}
