package scenario_test

// brokenFileCases are the broken cases about feeders, YAML, the file's
// bytes and shape, and steps and workloads missing (see brokenStepCases).
var brokenFileCases = []brokenCase{
	{
		name: "csv-missing", why: "a feeder whose file does not exist",
		src: `data:
  accounts: {csv: nope.csv}
steps:
  - sleep: 1s
`,
		want: `case.yaml:2:19: feeder accounts: file nope.csv does not exist (paths are relative to the scenario file)`,
	},
	{
		name: "csv-empty", why: "a feeder whose file is empty",
		src: `data:
  accounts: {csv: a.csv}
steps:
  - sleep: 1s
`,
		files: map[string]string{"a.csv": ``},
		want:  `case.yaml:2:19: feeder accounts: a.csv is empty`,
	},
	{
		name: "csv-no-header", why: "a feeder whose first row is data",
		src: `data:
  accounts: {csv: a.csv}
steps:
  - sleep: 1s
`,
		files: map[string]string{"a.csv": `alice@x.test,pw
bob@x.test,pw
`},
		want: `case.yaml:2:19: feeder accounts: a.csv: the first row must be a header of column names (letters, digits, _), but its column 1 is not a name`,
	},
	{
		name: "csv-no-rows", why: "a feeder with a header and no rows",
		src: `data:
  accounts: {csv: a.csv}
steps:
  - sleep: 1s
`,
		files: map[string]string{"a.csv": `username,password
`},
		want: `case.yaml:2:19: feeder accounts: a.csv has a header but no rows`,
	},
	{
		name: "csv-pick", why: "a feeder with an unknown pick",
		src: `data:
  accounts: {csv: a.csv, pick: per-vus}
steps:
  - sleep: 1s
`,
		files: map[string]string{"a.csv": `username
alice
`},
		want: "case.yaml:2:32: unknown pick \"per-vus\" (did you mean `per-vu`?)",
	},
	{
		name: "duplicate-key", why: "a duplicate key is reported at the second one",
		src: `name: a
steps:
  - sleep: 1s
name: b
`,
		want: "case.yaml:4:1: duplicate key `name` in the scenario (first at line 1)",
	},
	{
		name: "duplicate-param", why: "a duplicate parameter inside a flow mapping",
		src: `steps:
  - upload: {size: 1KiB, size: 2KiB}
`,
		want: "case.yaml:2:26: duplicate key `size` in the parameters of upload (first at line 2)",
	},
	{
		name: "tab-indent", why: "a tab in indentation",
		src:  "steps:\n\t- sleep: 1s\n",
		want: `case.yaml:2:1: YAML syntax: a tab in indentation (YAML indents with spaces only)`,
	},
	{
		name: "yaml-syntax", why: "a YAML syntax error is rewritten as FILE:LINE:COL",
		src: `steps:
  - sleep: 1s
  bad: [1, 2
`,
		want: `case.yaml:3:3: YAML syntax: did not find expected '-' indicator`,
	},
	{
		name: "yaml-mapping-values", why: "a colon where YAML does not allow one",
		src: `name: a: b
steps: []
`,
		want: `case.yaml:1:8: YAML syntax: mapping values are not allowed in this context (quote a value that contains ": ")`,
	},
	{
		name: "empty-file", why: "an empty file",
		src:  ``,
		want: `case.yaml:1:1: the file is empty (a scenario is a mapping with at least steps:)`,
	},
	{
		name: "comments-only", why: "a file of only comments is empty too",
		src: `# nothing here
`,
		want: `case.yaml:1:1: the file is empty (a scenario is a mapping with at least steps:)`,
	},
	{
		name: "not-a-mapping", why: "a file that is a list",
		src: `- sleep: 1s
`,
		want: `case.yaml:1:1: a scenario must be a mapping (name:, load:, steps: …), not a list`,
	},
	{
		name: "scalar-file", why: "a file that is one string",
		src: `hello
`,
		want: `case.yaml:1:1: a scenario must be a mapping (name:, load:, steps: …), not a string`,
	},
	{
		name: "nul-byte", why: "a NUL byte",
		src:  "steps:\n  - sleep: 1s\x00\n",
		want: `case.yaml:2:14: a NUL byte: the file is binary, not YAML text`,
	},
	{
		name: "invalid-utf8", why: "invalid UTF-8",
		src:  "name: caf\xe9\nsteps:\n  - sleep: 1s\n",
		want: `case.yaml:1:10: invalid UTF-8: the file must be UTF-8 text`,
	},
	{
		name: "two-documents", why: "a second YAML document",
		src: `steps:
  - sleep: 1s
---
steps: []
`,
		want: `case.yaml:3:1: a second YAML document (---) in the file (a scenario file holds one document)`,
	},
	{
		name: "constant-vus-no-duration", why: "constant-vus needs a duration",
		src: `load: {executor: constant-vus, vus: 3}
steps:
  - sleep: 1s
`,
		want: "case.yaml:1:7: constant-vus needs `duration`",
	},
	{
		name: "stages-empty", why: "a ramping executor with no stages",
		src: `load: {executor: ramping-vus, stages: []}
steps:
  - sleep: 1s
`,
		want: `case.yaml:1:39: stages: is empty; give at least one {duration, target}`,
	},
	{
		name: "stage-no-target", why: "a stage without a target",
		src: `load:
  executor: ramping-vus
  stages:
    - {duration: 10s}
steps:
  - sleep: 1s
`,
		want: "case.yaml:4:7: a stage needs `target`",
	},
	{
		name: "max-below-pre", why: "max-vus below pre-allocated-vus",
		src: `load: {executor: constant-arrival-rate, rate: 5/s, duration: 1m, pre-allocated-vus: 10, max-vus: 5}
steps:
  - sleep: 1s
`,
		want: `case.yaml:1:7: max-vus (5) is below pre-allocated-vus (10)`,
	},
	{
		name: "two-kinds", why: "a step with two kinds",
		src: `steps:
  - upload: {size: 1KiB}
    download: {token: x}
`,
		want: "case.yaml:3:5: a step has one kind; `download` is a second one after `upload` (write each kind as its own list item: - download: …)",
	},
	{
		name: "no-kind", why: "a step with only common fields",
		src: `steps:
  - name: lonely
    timeout: 1s
`,
		want: "case.yaml:2:5: a step has no kind (write `- KIND: {…}`; `pcflow steps` lists the kinds)",
	},
	{
		name: "no-steps", why: "a scenario without steps",
		src: `name: x
`,
		want: `case.yaml:1:1: the scenario has no steps: (add steps: with at least one step, or workloads:)`,
	},
	{
		name: "workloads-and-steps", why: "top-level steps in a file with workloads",
		src: `steps:
  - sleep: 1s
workloads:
  a:
    steps: [{sleep: 1s}]
`,
		want: "case.yaml:1:1: `steps` belongs inside a workload in a file with workloads: (move it into each workload)",
	},
	{
		name: "workload-unknown-key", why: "an unknown key in a workload",
		src: `workloads:
  a:
    step: [{sleep: 1s}]
`,
		want: "case.yaml:2:3: workload a has no steps:\ncase.yaml:3:5: unknown key `step` in workload a (did you mean `steps`?)",
	},
	{
		name: "var-builtin-name", why: "a var cannot take a built-in name",
		src: `vars:
  vu: 3
steps:
  - sleep: 1s
`,
		want: "case.yaml:2:3: a var cannot be called `vu`: that name is built in (choose another name)",
	},
	{
		name: "unterminated-template", why: "an unterminated ${",
		src: `steps:
  - http: {path: "/x/${vu"}
`,
		want: `case.yaml:2:22: unterminated ${ (close it with }, or write $${ for a literal ${)`,
	},
	{
		name: "expr-syntax", why: "an expression syntax error points inside the string",
		src: `steps:
  - sleep: 1s
    if: "vu > "
`,
		want: `case.yaml:3:14: expression: unexpected token EOF`,
	},
	{
		name: "bad-enum", why: "an enum value names the nearest allowed one",
		src: `steps:
  - http: {path: /x, method: PSOT}
`,
		want: "case.yaml:2:30: `method` of http: want one of GET, POST, PUT, DELETE (did you mean `POST`?)",
	},
	{
		name: "check-not-bool", why: "a check whose result cannot be a boolean",
		src: `steps:
  - upload: {size: 1KiB}
    check: ["response.status + 1"]
`,
		want: `case.yaml:3:14: expression: expected bool, but got int`,
	},
	{
		name: "no-shorthand", why: "a kind without a shorthand given a scalar",
		src: `steps:
  - upload: 4KiB
`,
		want: "case.yaml:2:13: `upload` takes a mapping of parameters, not a string (write `upload: {PARAM: VALUE}`)",
	},
	{
		name: "random-unknown", why: "random has only hex, int, uuid and password",
		src: `steps:
  - http: {path: "/x/${random.hexx(4)}"}
`,
		want: "case.yaml:2:31: `random.hexx` does not exist (random has hex(n), int(a, b), uuid() and password())",
	},
	{
		name: "secret-not-printed", why: "a secret parameter's value never appears in a message",
		src: `steps:
  - onboard: {password: [hunter2]}
`,
		want: "case.yaml:2:25: `password` of onboard must be a string, not a list",
	},
	{
		name: "common-twice", why: "a common field beside the kind and inside its parameters",
		src: `steps:
  - upload: {size: 1KiB, timeout: 1s}
    timeout: 2s
`,
		want: "case.yaml:2:26: `timeout` is given twice: here and beside the kind at line 3",
	},
	{
		name: "bad-timeout", why: "a timeout that is not a duration",
		src: `steps:
  - upload: {size: 1KiB}
    timeout: soon
`,
		want: `case.yaml:3:14: timeout: want a duration like 250ms, 30s or 1m30s`,
	},
	{
		name: "expect-status-range", why: "an expected status outside 100..599",
		src: `steps:
  - upload: {size: 1KiB}
    expect: {status: 999}
`,
		want: `case.yaml:3:22: expect status: want a whole number from 100 to 599`,
	},
	{
		name: "nested-capture-scope", why: "a capture inside a group is visible after it, not before",
		src: `steps:
  - download: {token: "${data_token}"}
  - group:
      steps:
        - upload: {size: 1KiB}
`,
		want: "case.yaml:2:26: `data_token` is not defined here (`data_token` is bound later, at line 5: a name can be used only after the step or var that binds it)",
	},
	{
		name: "many-at-once", why: "every problem of the file at once, sorted by position",
		src: `nme: x
load: {executor: constant-vus, vus: 0, duration: 1m}
steps:
  - sleep: 1x
  - uplaod: {}
`,
		want: "case.yaml:1:1: unknown key `nme` in the scenario (did you mean `name`?)\ncase.yaml:2:37: vus: want a whole number from 1 to 1000000\ncase.yaml:4:12: `duration` of sleep: want a duration like 500ms or a range like 200ms..800ms\ncase.yaml:5:5: unknown step kind `uplaod` (did you mean `upload`?)",
	},
	{
		name: "csv-device", why: "a feeder path that is a device, not a file, is refused instead of read forever",
		src: `data:
  accounts: {csv: /dev/null}
steps:
  - sleep: 1s
`,
		want: `case.yaml:2:19: feeder accounts: /dev/null is not a regular file`,
	},
	{
		name: "repeat-builtin", why: "expr-lang's repeat() is not offered: one call could ask for gigabytes",
		src: `steps:
  - http: {path: "/${repeat('a', 3)}"}
`,
		want: "case.yaml:2:22: `repeat` is not defined here",
	},
	{
		name: "alias-of-wrong-shape", why: "an alias is checked where it is used, like the node it names",
		src: `a: &a [1]
steps: *a
`,
		want: "case.yaml:1:1: unknown key `a` in the scenario\ncase.yaml:1:8: a step must be a mapping with its kind as key, not a number (write `- KIND: {PARAM: VALUE}`)",
	},
}
