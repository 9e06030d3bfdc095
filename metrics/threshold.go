package metrics

import (
	"strconv"
	"time"
)

// Threshold is one parsed pass/fail criterion of a scenario, such as
// `step.upload.total{workload:writers}: [p95 < 400ms]`. The scenario
// package parses and checks it (the metric must be one the file can
// produce); the report package evaluates it on aggregated data. It lives
// here so that report need not import scenario.
//
// What Metric may name, and what each Stat means on it:
//   - a latency metric ("step.NAME.http|ack|total", "group.NAME",
//     "iteration", "schedule_lag"): p50 … p99.9, min, max, mean against
//     a duration (Value in nanoseconds); count against a number; rate is
//     samples per second of the run;
//   - "checks": rate is the fraction of checks that passed; count is the
//     number of checks;
//   - "errors": rate is the fraction of step samples that failed; count is
//     the number that failed;
//   - a counter name ("acks_lost", "dropped_iterations", …, see
//     ParseCounter): count is its value; rate is per second of the run.
type Threshold struct {
	Metric string
	// Tags select samples by tag; the keys are "workload" and "step". Nil
	// selects all.
	Tags map[string]string
	Stat Stat
	Op   Op
	// Value is the right-hand side: nanoseconds when Unit is UnitDuration,
	// otherwise a plain number (a count, a fraction or a per-second rate).
	Value float64
	Unit  Unit

	// AbortOnFail stops the run as soon as the threshold fails (after
	// Delay from the start, so that a warm-up cannot trip it); the run's
	// stop reason is then StopThreshold.
	AbortOnFail bool
	Delay       time.Duration

	// Source is the expression as written ("p95 < 400ms"), shown in reports.
	Source string
	// Pos is where the expression is in its file, "FILE:LINE:COL".
	Pos string
}

// Stat is the statistic a threshold compares.
type Stat struct {
	Kind StatKind
	// Percentile is set when Kind is StatPercentile: 50, 90, 95, 99, 99.9.
	Percentile float64
}

// StatKind is what a Stat computes.
type StatKind uint8

// The statistic kinds.
const (
	StatPercentile StatKind = iota + 1
	StatMin
	StatMax
	StatMean
	StatCount
	StatRate
)

// String is the statistic as a scenario writes it: "p95", "p99.9", "min", ….
func (s Stat) String() string {
	switch s.Kind {
	case StatPercentile:
		return "p" + strconv.FormatFloat(s.Percentile, 'f', -1, 64)
	case StatMin:
		return "min"
	case StatMax:
		return "max"
	case StatMean:
		return "mean"
	case StatCount:
		return "count"
	case StatRate:
		return "rate"
	}
	return "?"
}

// Op is a threshold's comparison.
type Op uint8

// The comparisons.
const (
	OpLess Op = iota + 1
	OpLessEqual
	OpGreater
	OpGreaterEqual
	OpEqual
)

// String is the operator as written: "<", "<=", ">", ">=", "==".
func (o Op) String() string {
	switch o {
	case OpLess:
		return "<"
	case OpLessEqual:
		return "<="
	case OpGreater:
		return ">"
	case OpGreaterEqual:
		return ">="
	case OpEqual:
		return "=="
	}
	return "?"
}

// Holds reports whether "got Op want" is true.
func (o Op) Holds(got, want float64) bool {
	switch o {
	case OpLess:
		return got < want
	case OpLessEqual:
		return got <= want
	case OpGreater:
		return got > want
	case OpGreaterEqual:
		return got >= want
	case OpEqual:
		return got == want
	}
	return false
}

// Unit is the unit of a threshold's Value.
type Unit uint8

// The units.
const (
	UnitNumber   Unit = iota // a count, a fraction or a rate
	UnitDuration             // nanoseconds
)
