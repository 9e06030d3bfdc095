// Package archtest holds the architecture test: it reads every package's
// imports with go/build and fails on any dependency edge that the layout
// table of DESIGN.md forbids, and on any third-party module that is not one
// of pcflow's chosen dependencies.
//
// The rules live here as data (Rules) so that the checker itself is tested
// on synthetic import lists, not only on the real tree.
//
// Concurrency: everything here is pure functions over values.
package archtest
