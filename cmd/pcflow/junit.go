package main

import (
	"strings"
	"sync"
	"time"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/report"
	"github.com/pcflow/pcflow/scenario"
)

// stepTimes is test mode's sink: the last duration of every step's total
// metric, per workload, for the JUnit report. Test mode runs one VU per
// workload, so its lock is never contended; load runs use the aggregator.
type stepTimes struct {
	mu sync.Mutex
	d  map[string]time.Duration // workload + "\x00" + metric
}

func newStepTimes() *stepTimes { return &stepTimes{d: map[string]time.Duration{}} }

func (s *stepTimes) Record(x metrics.Sample) {
	if !strings.HasPrefix(x.Metric, "step.") || !strings.HasSuffix(x.Metric, "."+metrics.PhaseTotal) {
		return
	}
	s.mu.Lock()
	s.d[x.Workload+"\x00"+x.Metric] = x.Duration
	s.mu.Unlock()
}

func (s *stepTimes) Add(metrics.Counter, string, int64) {}

// of returns the step's last total duration, and whether it recorded one.
func (s *stepTimes) of(workload string, st *scenario.Step) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.d[workload+"\x00"+metrics.StepMetric(st.Name, metrics.PhaseTotal)]
	return d, ok
}

// testSuite turns one scenario's test run into JUnit's terms: a case per
// top-level step, in the order they run (setup, each workload's vu-setup
// and steps, vu-teardowns, teardown). The failing step carries the
// diagnosis; the steps after it that never ran are skipped — but not the
// teardowns, which run after a failure too — and so are steps whose if:
// did not hold.
func testSuite(scn *scenario.Scenario, res engine.Result, times *stepTimes, started time.Time, took time.Duration) report.TestSuite {
	suite := report.TestSuite{Name: scn.Name, File: scn.File, StartedAt: started, Duration: took}
	fail := res.FirstError
	skipping := false
	add := func(workload string, list []*scenario.Step, teardown bool) {
		for _, st := range list {
			took, ran := times.of(workload, st)
			c := report.TestCase{Workload: workload, Step: st.Name, Kind: st.Kind, Pos: st.Pos.String(), Duration: took}
			switch {
			case fail != nil && c.Pos == fail.Pos && (workload == fail.Workload || fail.Workload == ""):
				c.Failure = &report.TestFailure{ErrorKind: fail.ErrorKind, Message: fail.Message, Diagnosis: fail.Diagnosis}
				skipping = true
			case skipping && !teardown:
				c.Skipped = true
			case st.If != nil && !ran:
				// Its if: did not hold: the step was skipped, not passed.
				// (A step without if: that records nothing — a sleep —
				// still counts as passed.)
				c.Skipped = true
			}
			suite.Cases = append(suite.Cases, c)
		}
	}
	first := ""
	if len(scn.Workloads) > 0 {
		first = scn.Workloads[0].Name
	}
	add(first, scn.Setup, false)
	for _, w := range scn.Workloads {
		add(w.Name, w.VUSetup, false)
		add(w.Name, w.Steps, false)
	}
	for _, w := range scn.Workloads {
		add(w.Name, w.VUTeardown, true)
	}
	add(first, scn.Teardown, true)
	return suite
}
