package engine

import (
	"context"
	"time"
)

// Program is a compiled scenario as the engine sees it: package steps
// builds one from a validated scenario, and the engine only decides when
// its VUs start, iterate and stop. The engine never imports steps.
//
// Ownership: the Program holds what all VUs share (one privicore.Client
// per target, the setup phase's captures, read-only); each VU holds its
// own variables, keys, stored digests and privicore.Session, reused
// across its iterations.
type Program interface {
	// Setup runs the scenario's setup steps once, before any VU exists.
	// An error ends the run with stop reason "error" before load starts.
	Setup(ctx context.Context) error
	// NewVU makes VU number id (1-based and unique in the process) of the
	// named workload. It must be cheap and must not do I/O: the engine
	// calls VU.Setup for that, so that onboarding is timed and cancellable.
	NewVU(workload string, id int) (VU, error)
	// Teardown runs the scenario's teardown steps once, after every VU
	// stopped (also after an interrupted run, with a fresh context).
	Teardown(ctx context.Context) error
}

// VU is one virtual user. The engine calls its methods from one goroutine
// at a time (the VU's own), never concurrently.
type VU interface {
	// Setup runs the workload's vu-setup steps once before the first
	// iteration. An error retires the VU: it runs no iteration.
	Setup(ctx context.Context) error
	// Run runs one iteration of the workload's steps. It stops at the
	// first failing step and returns a *StepError describing it; every
	// step's samples (the failed one's with its error kind) are already
	// recorded. ctx ends when the run stops the iteration.
	Run(ctx context.Context, it Iteration) error
	// Teardown runs the workload's vu-teardown steps once after the last
	// iteration, also when Setup failed half-way.
	Teardown(ctx context.Context) error
}

// Iteration is what the engine tells a VU about the pass it starts.
type Iteration struct {
	// N is the VU's own iteration number, from 0.
	N int64
	// Scheduled is when the iteration should have started: for the
	// arrival-rate executors the instant the schedule gave it, otherwise
	// the moment the engine started it. Steps measure the iteration's first
	// sample from Scheduled, so that a generator that fell behind a
	// stalled server does not hide the stall (no coordinated omission).
	Scheduled time.Time
}

// StepError is how a VU reports the step that ended an iteration. Its
// fields are what `pcflow test` prints as a diagnosis and what the JUnit
// report carries; every text in it is already redacted.
type StepError struct {
	Workload string
	Step     string // the step's name (its metric label)
	Kind     string // the step kind, e.g. "upload"
	Pos      string // where the step is declared, "FILE:LINE:COL"
	// ErrorKind is the metrics.ErrorKind name ("http_4xx", "expect", …).
	ErrorKind string
	// Message is one line: what failed ("expected command-status ok, got
	// rejected (data_token.not_found)").
	Message string
	// Diagnosis is the multi-line detail a QA engineer acts on: the request
	// (method, path, redacted body), the response status and body, the
	// awaited message or its absence with the time waited.
	Diagnosis string
}

func (e *StepError) Error() string {
	return e.Pos + ": step " + e.Step + " (" + e.Kind + "): " + e.Message
}
