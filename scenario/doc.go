// Package scenario turns a YAML scenario file into a typed Scenario whose
// every node remembers its FILE:LINE:COL, so that loading reports all
// problems at once, each at its place, before any load starts. It owns
// the ${…} templating and expressions, the value forms, load models,
// feeders and the threshold syntax, and the declarative parameter specs
// (KindSpec, ParamSpec) that package steps fills in: one generic checker
// here validates every step against its kind's specs.
//
// # Loading
//
// Parse walks yaml.v3 nodes: every mapping is strict (an unknown key is a
// Problem with the nearest valid name as hint), duplicate keys, tabs and
// syntax errors are Problems in the same FILE:LINE:COL form, and an empty
// file, a non-mapping, NUL bytes or invalid UTF-8 are too. Parse returns
// either a Scenario or Problems (sorted), never both, and never panics.
//
// # Names in scope
//
// Expressions are github.com/expr-lang/expr, compiled once at load against
// the names in scope at their place, so a name used before it is bound is
// a load error at its column inside the string:
//
//   - everywhere: vu, iteration, workload, env.NAME, random.hex(n),
//     random.int(a, b), random.uuid(), random.password(), now(), and the
//     captures of setup;
//   - in vu-setup and vu-teardown: the per-vu and random feeders and the
//     captures of vu-setup;
//   - in vars (each sees the vars above it) and steps: also the
//     per-iteration feeders and the vars, as vars.NAME or NAME; steps see
//     the captures of the steps before them (a group's or repeat's inner
//     captures are visible after the block);
//   - in a step's capture, check and expect: also response.
//
// A string that is exactly one ${…} keeps the expression's type; any other
// template is a string, converted to its parameter's type (a size, a
// duration) when evaluated. `$${` is a literal "${".
//
// # Concurrency
//
// Parsing is single-threaded. A loaded Scenario is immutable and shared
// read-only by every VU; the one exception is a per-iteration feeder's
// cursor, which is atomic. An Env belongs to one VU and is used from that
// VU's goroutine only.
package scenario
