// Package steps implements one step kind per file: each kind parses and
// checks its own parameters (with their positions) and runs one Privicore
// operation, or a composite of several, through package privicore, turning
// the client's timestamps into samples.
//
// The registry of kinds is a value built by Builtin(), never a package-level
// map filled in init().
//
// Concurrency: a parsed step is immutable and shared by all VUs; all mutable
// state of a run lives in the VU passed to Run.
package steps
