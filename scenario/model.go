package scenario

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

// Pos is a place in a scenario file; Line and Col are 1-based.
type Pos struct {
	File      string
	Line, Col int
}

// String is "FILE:LINE:COL", the form every error of this package starts with.
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Scenario is a loaded, validated scenario: immutable, shared read-only by
// every VU.
type Scenario struct {
	Name        string
	Description string
	File        string // the path it was loaded from
	// Workloads run at the same time, each under its own load model. The
	// single form (top-level load and steps) is one workload named after
	// the scenario. Order is the file's.
	Workloads []*Workload
	// Thresholds of the whole file, in the file's order.
	Thresholds []metrics.Threshold
	// Setup runs once before any VU starts; its captures are shared
	// read-only with every VU of every workload. Teardown mirrors it.
	Setup, Teardown []*Step
}

// Workload is one named group of VUs with its own load model and steps.
type Workload struct {
	Name string
	Pos  Pos
	Load Load
	// Vars are evaluated in order at the start of every iteration; each may
	// use the earlier ones.
	Vars []*Var
	Data []*Feeder
	// VUSetup runs once per VU before its first iteration; its captures
	// last for the VU. Steps run every iteration; VUTeardown once per VU
	// after its last.
	VUSetup, Steps, VUTeardown []*Step

	env map[string]any // env.NAME as the expressions see it
}

// Var is one entry of vars:.
type Var struct {
	Name  string
	Pos   Pos
	Value *Value
}

// Executor names a load model, with k6's semantics.
type Executor string

// The executors.
const (
	PerVUIterations     Executor = "per-vu-iterations"
	SharedIterations    Executor = "shared-iterations"
	ConstantVUs         Executor = "constant-vus"
	RampingVUs          Executor = "ramping-vus"
	ConstantArrivalRate Executor = "constant-arrival-rate"
	RampingArrivalRate  Executor = "ramping-arrival-rate"
)

// Load is a workload's load model. Only the fields of its Executor are
// set (the loader rejects the others by name); defaults are filled in, so
// the engine reads no zero value as "unset". With no load: at all, a
// workload is per-vu-iterations with 1 VU and 1 iteration (test mode).
type Load struct {
	Executor Executor
	Pos      Pos

	VUs        int           // per-vu-iterations, shared-iterations, constant-vus; default 1, at most MaxVUs
	Iterations int64         // per-vu-iterations (per VU), shared-iterations (in total); default 1
	Duration   time.Duration // constant-vus, constant-arrival-rate; required
	// Stages: ramping-vus (Target is VUs) and ramping-arrival-rate
	// (Target is iterations per TimeUnit, as in k6); required, at least one.
	Stages   []Stage
	StartVUs int // ramping-vus; default 1

	// Rate is the arrival rate of constant-arrival-rate (required);
	// StartRate the starting rate of ramping-arrival-rate (default 0).
	Rate, StartRate Rate
	// TimeUnit is the unit of ramping-arrival-rate's stage targets; 1s.
	TimeUnit time.Duration
	// PreAllocatedVUs and MaxVUs: the arrival-rate executors. The VUs
	// started before the clock, default max-vus when that is given, else 1;
	// and the most the executor may grow to, default the larger of
	// pre-allocated-vus and DefaultMaxVUs (100). MaxVUs ≥ PreAllocatedVUs.
	PreAllocatedVUs int
	MaxVUs          int

	GracefulStop     time.Duration // every executor; default 30s
	GracefulRampDown time.Duration // ramping-vus; default 30s
	MaxDuration      time.Duration // per-vu-iterations, shared-iterations; default 10m
	StartTime        time.Duration // every executor: offset from the run's start; default 0
}

// Stage is one leg of a ramping executor: move linearly to Target over
// Duration.
type Stage struct {
	Duration time.Duration
	Target   int64
}

// Rate is a number of events per period: "50/s" is {50, time.Second}.
type Rate struct {
	N   float64
	Per time.Duration
}

// PerSecond returns the rate in events per second.
func (r Rate) PerSecond() float64 {
	if r.Per <= 0 {
		return 0
	}
	return r.N * float64(time.Second) / float64(r.Per)
}

// Range is a duration or a uniform range of durations ("200ms..800ms");
// Min == Max for a fixed duration.
type Range struct {
	Min, Max time.Duration
}

// Feeder is one entry of data:, a CSV file read at load time.
type Feeder struct {
	Name    string
	Pos     Pos
	Path    string // resolved against the scenario file's directory
	Pick    Pick
	OnEnd   OnEnd
	Columns []string
	Rows    [][]string

	// rows are Rows as the expressions read them, built once at load.
	rows []map[string]any
	// next is the per-iteration cursor shared by every VU of the
	// workload: the one piece of a loaded scenario that changes at run
	// time, and it is atomic.
	next *atomic.Int64
}

// Pick says which row of a feeder a VU sees.
type Pick string

// The pick modes.
const (
	PickPerVU        Pick = "per-vu"        // row (vu-1) mod n for the VU's whole life
	PickPerIteration Pick = "per-iteration" // the next row for every iteration, shared across VUs
	PickRandom       Pick = "random"        // a random row every iteration
)

// OnEnd says what a feeder does when its rows run out.
type OnEnd string

// What happens when rows run out.
const (
	OnEndWrap OnEnd = "wrap" // start again from the first row (the default)
	OnEndStop OnEnd = "stop" // the workload stops starting iterations
)

// Step is one step of a list, with its parameters checked against its
// kind's spec and its expressions compiled.
type Step struct {
	Kind string
	// Name is the metric label: the name: field, else the kind.
	Name string
	Pos  Pos
	Spec *KindSpec
	// Params holds every parameter the step gave, and the defaulted ones;
	// an absent optional parameter without a default is not in the map.
	Params map[string]*Value

	Expect  *Expect
	Capture []*Capture
	Check   []*Expr
	If      *Expr
	Timeout time.Duration // 0: the run's default step timeout
}

// Param returns the named parameter, or nil when the step has none.
func (s *Step) Param(name string) *Value { return s.Params[name] }

// Expect is a step's expected outcome; the zero value expects success.
type Expect struct {
	Pos Pos
	// Status is the expected HTTP status; 0 means any 2xx.
	Status int
	// CommandStatus is "ok", "rejected" or "any"; "" means ok.
	CommandStatus string
	// Reason is the expected rejection reason, e.g. "profile.not_an_owner";
	// "" means any.
	Reason string
}

// Capture is one entry of capture: — a name for later steps and the
// expression that gives its value.
type Capture struct {
	Name string
	Pos  Pos
	Expr *Expr
}
