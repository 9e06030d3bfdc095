package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// slower aggregates the synthetic run with one metric's samples slowed by
// factor.
func slower(t *testing.T, seed uint64, iterations int, metric string, factor float64) *Result {
	evs := synth(seed, iterations, time.Minute)
	for i := range evs {
		if evs[i].s.Metric == metric {
			evs[i].s.Duration = time.Duration(float64(evs[i].s.Duration) * factor)
		}
	}
	a := NewAggregator(Options{Workloads: synthOrder()})
	feed(a, evs)
	a.Close()
	return a.Snapshot(synthFacts(time.Minute))
}

func TestCompareFlagsRegressionsAndSmallSamples(t *testing.T) {
	base := slower(t, 8, 30000, "", 1)
	same := slower(t, 8, 30000, "", 1)
	if c := Compare(base, same, CompareOptions{}); c.Regressed() {
		t.Error("a run compared with itself regressed")
	}
	worse := slower(t, 8, 30000, "step.upload.ack", 1.3)
	c := Compare(base, worse, CompareOptions{MaxRegression: 0.10})
	if !c.Regressed() {
		t.Fatal("30 % slower acks did not regress at 10 %")
	}
	for _, r := range c.Rows {
		switch {
		case r.Metric == "step.upload.ack" && r.Stat == "p50" && (!r.Regressed || r.Change < 0.25):
			t.Errorf("ack p50: %+v; want a regression of about +30 %%", r)
		case r.Metric == "step.reserve.total" && r.Regressed:
			t.Errorf("reserve did not change but regressed: %+v", r)
		}
	}
	small := Compare(slower(t, 8, 300, "", 1), slower(t, 8, 300, "step.upload.ack", 2), CompareOptions{})
	for _, r := range small.Rows {
		if r.Stat == "p99" && !r.TooFew {
			t.Errorf("p99 of 200 samples not flagged as too few: %+v", r)
		}
	}
	var b bytes.Buffer
	if err := WriteComparison(&b, c, SummaryOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "✗ regression") {
		t.Errorf("table lacks the regression mark:\n%s", b.String())
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Errorf("%d columns: %q", n, line)
		}
	}
}

// A new run that fails more often regresses even when it is not slower.
func TestCompareFlagsARiseInFailures(t *testing.T) {
	base := slower(t, 8, 3000, "", 1)
	worse := slower(t, 8, 3000, "", 1)
	m := worse.Metrics["step.download.total"]
	m.Errors += m.Count / 20 // 5 points more of the downloads failed
	c := Compare(base, worse, CompareOptions{})
	if !c.Regressed() {
		t.Fatal("5 points more failures did not regress")
	}
	for _, r := range c.Errors {
		if (r.Metric == "step.download.total") != r.Regressed {
			t.Errorf("%+v", r)
		}
	}
	var b bytes.Buffer
	if err := WriteComparison(&b, c, SummaryOptions{}); err != nil || !strings.Contains(b.String(), "failure rate") {
		t.Errorf("no failure-rate section (%v):\n%s", err, b.String())
	}
}

func TestCompareMinDeltaAndScheduleLag(t *testing.T) {
	base := slower(t, 8, 30000, "", 1)
	worse := slower(t, 8, 30000, "step.upload.ack", 1.3)
	if c := Compare(base, worse, CompareOptions{MinDelta: time.Second}); c.Regressed() {
		t.Error("a slow-down of milliseconds regressed under a 1 s floor")
	}
	lag := slower(t, 8, 30000, "schedule_lag", 3)
	if c := Compare(base, lag, CompareOptions{}); c.Regressed() {
		t.Error("the generator's schedule lag counted as the target's regression")
	}
}
