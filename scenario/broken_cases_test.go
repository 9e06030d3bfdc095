package scenario_test

// brokenStepCases and brokenFileCases are the broken scenarios of the
// table test: one row per error class of SCENARIO-FORMAT.md (and the YAML
// errors), each with the exact problems it must give, sorted, in
// FILE:LINE:COL: message (hint) form. The file is always case.yaml; files
// are written beside it. These are about keys, steps, names, thresholds,
// values and load models.
var brokenStepCases = []brokenCase{
	{
		name: "unknown-top-key", why: "an unknown top-level key names the nearest valid one",
		src: `name: x
stepz:
  - sleep: 1s
`,
		want: "case.yaml:2:1: unknown key `stepz` in the scenario (did you mean `steps`?)",
	},
	{
		name: "unknown-kind", why: "an unknown step kind names the nearest kind",
		src: `steps:
  - uplod: {size: 1KiB}
`,
		want: "case.yaml:2:5: unknown step kind `uplod` (did you mean `upload`?)",
	},
	{
		name: "unknown-param", why: "an unknown parameter names the nearest parameter",
		src: `steps:
  - upload: {size: 1KiB, sise: 2}
`,
		want: "case.yaml:2:26: unknown parameter `sise` of upload (did you mean `size`?)",
	},
	{
		name: "unknown-param-no-near", why: "an unknown parameter with no near name lists the kind's parameters",
		src: `steps:
  - download: {token: t, colour: red}
`,
		want: "case.yaml:2:26: unknown parameter `colour` of download (download takes token, verify)",
	},
	{
		name: "unknown-expect-key", why: "expect's keys are strict too",
		src: `steps:
  - upload: {size: 1KiB}
    expect: {stauts: 202}
`,
		want: "case.yaml:3:14: unknown key `stauts` in expect (did you mean `status`?)",
	},
	{
		name: "wrong-type-mapping", why: "a scalar parameter given a mapping names the expected form",
		src: `steps:
  - upload: {size: {a: 1}}
`,
		want: "case.yaml:2:20: `size` of upload must be a size like 4KiB, not a mapping",
	},
	{
		name: "wrong-type-bool", why: "a bool parameter rejects yes",
		src: `steps:
  - download: {token: t, verify: yes}
`,
		want: "case.yaml:2:34: `verify` of download: want true or false",
	},
	{
		name: "wrong-type-int", why: "an int parameter rejects a word",
		src: `steps:
  - http: {path: /x, ttl: ten}
`,
		want: "case.yaml:2:27: `ttl` of http: want a whole number",
	},
	{
		name: "wrong-type-list", why: "a list parameter rejects a scalar",
		src: `steps:
  - http: {path: /x, tags: one}
`,
		want: "case.yaml:2:28: `tags` of http must be a list, not a string",
	},
	{
		name: "missing-required", why: "a missing required parameter is reported at the kind",
		src: `steps:
  - upload: {}
`,
		want: "case.yaml:2:5: upload needs `size` (payload size, like 4KiB)",
	},
	{
		name: "capture-later", why: "a capture used before the step that captures it",
		src: `steps:
  - download: {token: "${data_token}"}
  - upload: {size: 1KiB}
`,
		want: "case.yaml:2:26: `data_token` is not defined here (`data_token` is bound later, at line 3: a name can be used only after the step or var that binds it)",
	},
	{
		name: "var-later", why: "a var that uses a var below it",
		src: `vars:
  a: "x-${b}"
  b: "${vu}"
steps:
  - sleep: 1s
`,
		want: "case.yaml:2:11: `b` is not defined here (`b` is bound later, at line 3: a name can be used only after the step or var that binds it)",
	},
	{
		name: "undefined-in-check", why: "a name that is nowhere defined, at its column in the check",
		src: `steps:
  - upload: {size: 1KiB}
    check: ["response.status == 202 && tokn != ''"]
`,
		want: "case.yaml:3:40: `tokn` is not defined here",
	},
	{
		name: "response-outside", why: "response is only in capture, check and expect",
		src: `steps:
  - http: {path: "/x/${response.status}"}
`,
		want: "case.yaml:2:24: `response` is not defined here (response exists only in a step's capture, check and expect)",
	},
	{
		name: "vars-in-vu-setup", why: "vars are not bound in vu-setup",
		src: `vars:
  u: "user-${vu}"
vu-setup:
  - onboard: {username: "${u}"}
steps:
  - sleep: 1s
`,
		want: "case.yaml:4:28: `u` is not defined here (vars are evaluated per iteration: setup, vu-setup, vu-teardown and teardown cannot use them)",
	},
	{
		name: "feeder-column", why: "a feeder column that does not exist",
		src: `data:
  accounts: {csv: a.csv}
steps:
  - onboard: {username: "${accounts.usernme}"}
`,
		files: map[string]string{"a.csv": `username,password
alice,pw
`},
		want: "case.yaml:4:37: feeder `accounts` has no column `usernme` (did you mean `username`?)",
	},
	{
		name: "feeder-column-expr", why: "a missing feeder column inside a larger expression",
		src: `data:
  accounts: {csv: a.csv}
steps:
  - onboard: {username: "${upper(accounts.nme)}"}
`,
		files: map[string]string{"a.csv": `username,password
alice,pw
`},
		want: "case.yaml:4:43: feeder `accounts` has no column `nme` (its columns are username, password)",
	},
	{
		name: "threshold-stat", why: "a threshold with an unknown statistic",
		src: `steps:
  - upload: {size: 1KiB}
thresholds:
  step.upload.total: [p95x < 1s]
`,
		want: `case.yaml:4:23: threshold "p95x < 1s": unknown statistic p95x; the statistics are p50 p90 p95 p99 p99.9 min max mean count rate`,
	},
	{
		name: "threshold-op", why: "a threshold with an unknown comparison",
		src: `steps:
  - upload: {size: 1KiB}
thresholds:
  step.upload.total: [p95 =< 1s]
`,
		want: `case.yaml:4:23: threshold "p95 =< 1s": unknown comparison =<; the comparisons are < <= > >= ==`,
	},
	{
		name: "threshold-shape", why: "a threshold that is not STAT OP VALUE",
		src: `steps:
  - upload: {size: 1KiB}
thresholds:
  iteration: [p95<1s]
`,
		want: `case.yaml:4:15: threshold "p95<1s": want STAT OP VALUE, like p95 < 400ms or rate > 0.99`,
	},
	{
		name: "threshold-metric", why: "a threshold on a metric no step produces",
		src: `steps:
  - upload: {size: 1KiB}
thresholds:
  step.uplaod.total: [p95 < 1s]
`,
		want: "case.yaml:4:3: threshold on unknown metric `step.uplaod.total`: no step of this file produces it (did you mean `step.upload.total`?)",
	},
	{
		name: "threshold-phase", why: "a threshold on a phase the kind does not emit",
		src: `steps:
  - list-data-tokens: {}
thresholds:
  step.list-data-tokens.ack: [p95 < 1s]
`,
		want: "case.yaml:4:3: threshold on unknown metric `step.list-data-tokens.ack`: no step of this file produces it (thresholds name step.NAME.http|ack|total, group.NAME, iteration, schedule_lag, checks, errors or a counter)",
	},
	{
		name: "threshold-unit", why: "a latency threshold needs a duration",
		src: `steps:
  - sleep: 1s
thresholds:
  iteration: [p99 < 3]
`,
		want: `case.yaml:4:15: threshold "p99 < 3": want a duration like 400ms on the right`,
	},
	{
		name: "threshold-counter-stat", why: "a counter takes only count and rate",
		src: `steps:
  - sleep: 1s
thresholds:
  acks_lost: [p99 < 3]
`,
		want: `case.yaml:4:15: threshold "p99 < 3": acks_lost is not a latency: only count and rate apply to it`,
	},
	{
		name: "threshold-tag-workload", why: "a threshold tag naming an unknown workload",
		src: `name: t
steps:
  - upload: {size: 1KiB}
thresholds:
  step.upload.total{workload:writer}: [p95 < 1s]
`,
		want: "case.yaml:5:3: threshold tag names unknown workload `writer` (the workloads are t)",
	},
	{
		name: "threshold-abort-key", why: "the mapping form of a threshold is strict",
		src: `steps:
  - sleep: 1s
thresholds:
  iteration:
    - {expr: p95 < 1s, abort-on-fial: true}
`,
		want: "case.yaml:5:24: unknown key `abort-on-fial` in a threshold (did you mean `abort-on-fail`?)",
	},
	{
		name: "bad-duration", why: "a duration without a unit",
		src: `load: {executor: constant-vus, vus: 2, duration: 30}
steps:
  - sleep: 1s
`,
		want: `case.yaml:1:50: duration: want a duration like 250ms, 30s or 1m30s`,
	},
	{
		name: "bad-size", why: "a size with an unknown unit",
		src: `steps:
  - upload: {size: 4KB2}
`,
		want: "case.yaml:2:20: `size` of upload: want a size like 512, 1KiB, 1.5MB or 3MiB",
	},
	{
		name: "bad-rate", why: "a rate without a period",
		src: `load: {executor: constant-arrival-rate, rate: 50, duration: 1m}
steps:
  - sleep: 1s
`,
		want: `case.yaml:1:47: rate: want a rate like 50/s, 3000/m or 1/h`,
	},
	{
		name: "bad-range", why: "a range whose lower end is above its upper end",
		src: `steps:
  - sleep: 800ms..200ms
`,
		want: "case.yaml:2:12: `duration` of sleep: the range's lower end is above its upper end; write MIN..MAX",
	},
	{
		name: "bad-range-form", why: "a range that is not two durations",
		src: `steps:
  - sleep: 200..800ms
`,
		want: "case.yaml:2:12: `duration` of sleep: want a duration like 500ms or a range like 200ms..800ms",
	},
	{
		name: "executor-foreign-field", why: "an executor with a field of another executor",
		src: `load: {executor: constant-vus, vus: 10, duration: 1m, stages: [{duration: 1m, target: 5}]}
steps:
  - sleep: 1s
`,
		want: "case.yaml:1:55: `stages` is not a field of constant-vus (it belongs to ramping-vus, ramping-arrival-rate)",
	},
	{
		name: "unknown-executor", why: "an unknown executor names the nearest",
		src: `load: {executor: constant-vu, vus: 10}
steps:
  - sleep: 1s
`,
		want: "case.yaml:1:18: unknown executor \"constant-vu\" (did you mean `constant-vus`?)",
	},
	{
		name: "missing-executor", why: "a load without an executor",
		src: `load: {vus: 10, duration: 1m}
steps:
  - sleep: 1s
`,
		want: `case.yaml:1:7: the load has no executor: (one of per-vu-iterations, shared-iterations, constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate)`,
	},
	{
		name: "vus-too-many", why: "a VU count above 1,000,000",
		src: `load: {executor: constant-vus, vus: 2000000, duration: 1m}
steps:
  - sleep: 1s
`,
		want: `case.yaml:1:37: vus: want a whole number from 1 to 1000000`,
	},
	{
		name: "vus-negative", why: "a negative VU count",
		src: `load: {executor: per-vu-iterations, vus: -3}
steps:
  - sleep: 1s
`,
		want: `case.yaml:1:42: vus: want a whole number from 1 to 1000000`,
	},
	{
		name: "vus-overflow", why: "a VU count that overflows int64 is out of range, not wrapped",
		src: `load: {executor: per-vu-iterations, vus: 99999999999999999999}
steps:
  - sleep: 1s
`,
		want: `case.yaml:1:42: vus: want a whole number from 1 to 1000000`,
	},
	{
		name: "rate-too-high", why: "a rate above 1000000/s",
		src: `load: {executor: constant-arrival-rate, rate: 2000000/s, duration: 1m}
steps:
  - sleep: 1s
`,
		want: `case.yaml:1:47: rate: a rate above 1000000/s is out of range`,
	},
	{
		name: "var-named-like-feeder", why: "a var cannot take a feeder's name: accounts.username must mean one thing",
		src: `data:
  accounts: {csv: a.csv}
vars:
  accounts: x
steps:
  - sleep: 1s
`,
		files: map[string]string{"a.csv": "username\nalice\n"},
		want:  "case.yaml:4:3: a var cannot be called `accounts`: a feeder has that name (choose another name)",
	},
	{
		name: "threshold-other-workload", why: "a threshold tagged with a workload whose steps never produce the metric",
		src: `workloads:
  a:
    steps: [{upload: {size: 1KiB}}]
  b:
    steps: [{sleep: 1s}]
thresholds:
  step.upload.total{workload:b}: [p95 < 1s]
  checks{step:uplod}: [rate > 0.9]
`,
		want: "case.yaml:7:3: threshold on `step.upload.total` in workload b: no step of that workload produces it\ncase.yaml:8:3: threshold tag names unknown step `uplod` (did you mean `upload`?)",
	},
	{
		name: "column-after-escapes", why: "a problem inside a quoted string with escapes points at its exact column",
		src:  "steps:\n  - http: {path: \"/\\\"q\\u00e9\\\"/${nope}\"}\n  - http: {path: '/''x''/${nada}'}\n",
		want: "case.yaml:2:34: `nope` is not defined here\ncase.yaml:3:28: `nada` is not defined here",
	},
	{
		name: "unquoted-template-in-flow", why: "a ${…} left unquoted inside {…} is a YAML error with a hint to quote it",
		src: `steps:
  - http: {path: /${vu}}
`,
		want: "case.yaml:2:3: YAML syntax: did not find expected ',' or '}' (inside {…} a value with ${…} must be quoted: \"${…}\")",
	},
}
