package report

import (
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

func TestThresholdsOnSyntheticRun(t *testing.T) {
	r := synthResult(t, 3, 3000, time.Minute)
	ms := float64(time.Millisecond)
	pct := func(p float64) metrics.Stat { return metrics.Stat{Kind: metrics.StatPercentile, Percentile: p} }
	cases := []struct {
		what   string
		th     metrics.Threshold
		ok     bool
		noData bool
	}{
		{"a latency percentile under its bound holds",
			metrics.Threshold{Metric: "step.upload.total", Stat: pct(95), Op: metrics.OpLess, Value: 400 * ms, Unit: metrics.UnitDuration}, true, false},
		{"a workload selector picks that workload's histogram",
			metrics.Threshold{Metric: "iteration", Tags: map[string]string{"workload": "readers"}, Stat: metrics.Stat{Kind: metrics.StatCount}, Op: metrics.OpEqual, Value: 1000}, true, false},
		{"a step selector on another step's metric has no data",
			metrics.Threshold{Metric: "step.upload.total", Tags: map[string]string{"step": "download"}, Stat: pct(50), Op: metrics.OpLess, Value: 1, Unit: metrics.UnitDuration}, true, true},
		{"a metric nothing measured has no data and holds",
			metrics.Threshold{Metric: "step.nosuch.total", Stat: pct(50), Op: metrics.OpLess, Value: 1, Unit: metrics.UnitDuration}, true, true},
		{"the errors rate counts failed steps over all steps",
			metrics.Threshold{Metric: "errors", Stat: metrics.Stat{Kind: metrics.StatRate}, Op: metrics.OpLess, Value: 0.001}, false, false},
		{"the errors rate of one step",
			metrics.Threshold{Metric: "errors", Tags: map[string]string{"step": "reserve"}, Stat: metrics.Stat{Kind: metrics.StatCount}, Op: metrics.OpEqual, Value: 0}, true, false},
		{"a counter's rate is per second of the run",
			metrics.Threshold{Metric: "iterations", Stat: metrics.Stat{Kind: metrics.StatRate}, Op: metrics.OpEqual, Value: 50}, true, false},
		{"acks_lost is acks_timeout",
			metrics.Threshold{Metric: "acks_lost", Stat: metrics.Stat{Kind: metrics.StatCount}, Op: metrics.OpLess, Value: 1}, false, false},
		{"a max over a bound fails",
			metrics.Threshold{Metric: "step.download.total", Stat: metrics.Stat{Kind: metrics.StatMax}, Op: metrics.OpLess, Value: 50 * ms, Unit: metrics.UnitDuration}, false, false},
	}
	for _, c := range cases {
		got := evaluate(resultView{r}, c.th)
		if got.OK != c.ok || got.NoData != c.noData {
			t.Errorf("%s: ok=%v noData=%v (observed %v); want ok=%v noData=%v", c.what, got.OK, got.NoData,
				got.Observed, c.ok, c.noData)
		}
	}
}

// An abort-on-fail threshold trips only after its delay, on live data.
func TestAbortFailedHonoursDelay(t *testing.T) {
	th := metrics.Threshold{Metric: "errors", Stat: metrics.Stat{Kind: metrics.StatRate}, Op: metrics.OpLess,
		Value: 0.1, AbortOnFail: true, Delay: 10 * time.Second, Source: "rate < 10%"}
	a := NewAggregator(Options{Thresholds: []metrics.Threshold{th}})
	defer a.Close()
	if _, failed := a.AbortFailed(20 * time.Second); failed {
		t.Fatal("failed with no data at all")
	}
	a.Record(metrics.Sample{Metric: "step.x.total", Workload: "w", Start: t0, Duration: time.Millisecond,
		Error: metrics.ErrHTTP5xx})
	if _, failed := a.AbortFailed(5 * time.Second); failed {
		t.Fatal("failed before its delay")
	}
	res, failed := a.AbortFailed(10 * time.Second)
	if !failed || res.Observed != 1 || res.Expr() != "rate < 10%" {
		t.Fatalf("AbortFailed = %+v, %v; want the errors threshold failed at 100%%", res, failed)
	}
}
