// Package scenarios holds the example scenarios shipped with pcflow as YAML
// files. Its test runs each one against the built-in simulator so that no
// example can silently rot.
//
// The files, each with its own header on how to run it:
//   - store-retrieve.yaml: the main job, a ramping store-and-read load.
//   - onboarding.yaml: the narrated demo (pcflow run --trace), one VU.
//   - device-lifecycle, storage-devices, data-token-lifecycle,
//     profile-tokens, oauth-application: one API area each, end to end.
//   - voting-gated.yaml: a policy gating exchange-data-for-token, written
//     for approving authenticators (the simulator's default --sim-vote
//     approve). Every file passes against one simulator with default
//     knobs, as `pcflow test scenarios/` runs them.
//   - voting-ballots.yaml: pools the scenario votes on itself through the
//     simulator's ballot hook, under any --sim-vote (its pools are opened
//     with ?sim-ballots=manual, so no virtual ballot comes first).
//   - access-control.yaml: QA negatives, every step an expected refusal.
//     PCFLOW_SLOW_CHECKS=1 (also for go test) adds what takes a minute to
//     expire: a reservation here, a token in profile-tokens.yaml.
//   - all-operations.yaml: every step kind at least once.
//   - mixed-workloads, spike, soak: load shapes; scale-out.yaml: a
//     shared-iterations job that splits exactly with --segment i/n.
//
// The test (scenarios_test.go) builds the pcflow binary once and runs
// every *.yaml in parallel: end-to-end ones with `pcflow test` (every
// top-level step traced and a passing JUnit testcase), load ones with
// `pcflow run` and short overrides (passing thresholds, every step
// measured). A file with no entry in its plans table runs as an
// end-to-end test. TestEveryKindIsExercised fails when a step kind is used
// by no scenario, or missed by all-operations.yaml. TestREADMECommands
// runs the README's self-contained `go run ./cmd/pcflow run|test` commands
// as written. segments_test.go's
// TestSegmentsMergeToUnsegmentedRun checks that three --segment i/3 runs
// of scale-out.yaml against one `pcflow sim`, merged, count what one
// unsegmented run counts.
//
// Concurrency: nothing here runs outside tests.
package scenarios
