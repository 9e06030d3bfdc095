// Package scenarios holds the example scenarios shipped with pcflow as YAML
// files. Its test runs each one against the built-in simulator so that no
// example can silently rot.
//
// Concurrency: nothing here runs outside tests.
package scenarios
