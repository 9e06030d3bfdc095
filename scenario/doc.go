// Package scenario turns a YAML scenario file into a typed Scenario whose
// every node remembers its FILE:LINE:COL, so that Validate can report all
// problems at once, each at its place, before any load starts. It also owns
// the ${…} templating and the threshold syntax.
//
// Concurrency: parsing is single-threaded; a parsed Scenario is immutable
// and may be shared read-only by every VU.
package scenario
