package engine

import (
	"testing"
	"time"

	"github.com/pcflow/pcflow/scenario"
)

const (
	ms = time.Millisecond
	s  = time.Second
)

func TestRampingVUsSteps(t *testing.T) {
	for _, tc := range []struct {
		name   string
		start  int
		stages []scenario.Stage
		want   []vuStep
	}{
		{"up 0→4 over 4s: one more VU every second", 0, []scenario.Stage{stg(4*s, 4)},
			[]vuStep{{0, 0}, {s, 1}, {2 * s, 2}, {3 * s, 3}, {4 * s, 4}}},
		{"down 3→0 over 3s: rounded toward the start", 3, []scenario.Stage{stg(3*s, 0)},
			[]vuStep{{0, 3}, {s, 2}, {2 * s, 1}, {3 * s, 0}}},
		{"uneven: 0→3 over 1s changes at ⌊1s·i/3⌋", 0, []scenario.Stage{stg(s, 3)},
			[]vuStep{{0, 0}, {333333333, 1}, {666666666, 2}, {s, 3}}},
		{"a hold stage adds no step", 2, []scenario.Stage{stg(s, 2), stg(s, 0)},
			[]vuStep{{0, 2}, {1500 * ms, 1}, {2 * s, 0}}},
		{"a zero-length stage jumps at once", 0, []scenario.Stage{stg(0, 5), stg(s, 5)},
			[]vuStep{{0, 5}}},
		{"a jump in the middle", 1, []scenario.Stage{stg(s, 1), stg(0, 4), stg(s, 4)},
			[]vuStep{{0, 1}, {s, 4}}},
	} {
		got := rampingVUsSteps(tc.start, tc.stages)
		if !equalSteps(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func equalSteps(a, b []vuStep) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestClosedPlanVUsAt(t *testing.T) {
	p := rampingVUsPlan(scenario.Load{StartVUs: 0, Stages: []scenario.Stage{stg(2*s, 2), stg(2*s, 0)}}, Segment{})
	for _, tc := range []struct {
		at   time.Duration
		want int
	}{
		{0, 0}, {s - 1, 0}, {s, 1}, {2*s - 1, 1}, {2 * s, 2}, {3*s - 1, 2}, {3 * s, 1}, {4*s - 1, 1}, {4 * s, 0}, {time.Hour, 0},
	} {
		if got := p.vusAt(tc.at); got != tc.want {
			t.Errorf("vusAt(%v) = %d, want %d", tc.at, got, tc.want)
		}
	}
	if p.maxVUs() != 2 || p.end != 4*s {
		t.Errorf("maxVUs %d end %v; want 2, 4s", p.maxVUs(), p.end)
	}
}

func TestClosedPlans(t *testing.T) {
	for _, tc := range []struct {
		name       string
		load       scenario.Load
		seg        Segment
		vus        int
		perVU      int64
		shared     int64
		end        time.Duration
		cutIsEarly bool
	}{
		{"per-vu-iterations: every VU its own count; default max-duration 10m",
			scenario.Load{Executor: scenario.PerVUIterations, VUs: 3, Iterations: 5}, Segment{}, 3, 5, 0, 10 * time.Minute, true},
		{"per-vu-iterations segment 1/2 of 3 VUs has 1",
			scenario.Load{Executor: scenario.PerVUIterations, VUs: 3, Iterations: 5, MaxDuration: s}, Segment{0, 2}, 1, 5, 0, s, true},
		{"shared-iterations segment 2/3 of 10 iterations on 2 VUs: 3 iterations, 1 VU",
			scenario.Load{Executor: scenario.SharedIterations, VUs: 2, Iterations: 10}, Segment{1, 3}, 1, 0, 3, 10 * time.Minute, true},
		{"shared-iterations never has more VUs than iterations",
			scenario.Load{Executor: scenario.SharedIterations, VUs: 8, Iterations: 3}, Segment{}, 3, 0, 3, 10 * time.Minute, true},
		{"constant-vus: its duration is its plan",
			scenario.Load{Executor: scenario.ConstantVUs, VUs: 7, Duration: 30 * s}, Segment{2, 3}, 3, 0, 0, 30 * s, false},
	} {
		pl, err := newPlan(tc.load, tc.seg)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		p := pl.closed
		if p.maxVUs() != tc.vus || p.perVU != tc.perVU || p.shared != tc.shared || p.end != tc.end || p.cutIsEarly != tc.cutIsEarly {
			t.Errorf("%s: vus %d perVU %d shared %d end %v cut %v", tc.name, p.maxVUs(), p.perVU, p.shared, p.end, p.cutIsEarly)
		}
	}
}

func TestConstantArrivalRateDue(t *testing.T) {
	for _, tc := range []struct {
		name string
		rate scenario.Rate
		dur  time.Duration
		n    int64
		at   time.Duration
		ok   bool
	}{
		{"the first iteration is due at once", scenario.Rate{N: 10, Per: s}, s, 0, 0, true},
		{"10/s: the 3rd at 300ms", scenario.Rate{N: 10, Per: s}, s, 3, 300 * ms, true},
		{"10/s over 1s: the 10th falls on the end and is not due", scenario.Rate{N: 10, Per: s}, s, 10, s, false},
		{"3/s: ⌊1s/3⌋ to the nanosecond", scenario.Rate{N: 3, Per: s}, s, 1, 333333333, true},
		{"3000/m is 50/s: the 50th at 1s", scenario.Rate{N: 3000, Per: time.Minute}, 2 * s, 50, s, true},
		{"0.5/s: one every 2s", scenario.Rate{N: 0.5, Per: s}, 10 * s, 2, 4 * s, true},
		{"1/h over a day: the 20th at 20h, no overflow", scenario.Rate{N: 1, Per: time.Hour}, 24 * time.Hour, 20, 20 * time.Hour, true},
		{"a million iterations at 20000/s: exactly 50s, no drift", scenario.Rate{N: 20000, Per: s}, time.Minute, 1_000_000, 50 * s, true},
	} {
		p := constantArrivalRatePlan(scenario.Load{Rate: tc.rate, Duration: tc.dur}, Segment{})
		at, ok := p.due(tc.n)
		if ok != tc.ok || (ok && at != tc.at) {
			t.Errorf("%s: due(%d) = %v, %v; want %v, %v", tc.name, tc.n, at, ok, tc.at, tc.ok)
		}
	}
}

func TestRampingArrivalRateDue(t *testing.T) {
	// 0 → 10/s over 10s: count(t) = t²/2, so iteration n is due at √(2n) s;
	// then 10/s held for 10s: 50 + 10·(t−10).
	load := scenario.Load{StartRate: scenario.Rate{N: 0, Per: s}, TimeUnit: s,
		Stages: []scenario.Stage{stg(10*s, 10), stg(10*s, 10)}}
	p := rampingArrivalRatePlan(load, Segment{})
	for _, tc := range []struct {
		n  int64
		at time.Duration
		ok bool
	}{
		{0, 0, true}, {2, 2 * s, true}, {8, 4 * s, true}, {32, 8 * s, true},
		{50, 10 * s, true}, {55, 10500 * ms, true}, {149, 19900 * ms, true}, {150, 0, false},
	} {
		at, ok := p.due(tc.n)
		if ok != tc.ok || (ok && at != tc.at) {
			t.Errorf("due(%d) = %v, %v; want %v, %v", tc.n, at, ok, tc.at, tc.ok)
		}
	}
	// A falling rate 10/s → 0 over 2s: count(t) = 10t − 2.5t² reaches 10
	// only at the end, 2s, so ten iterations (0..9) are due.
	down := rampingArrivalRatePlan(scenario.Load{StartRate: scenario.Rate{N: 10, Per: s}, TimeUnit: s,
		Stages: []scenario.Stage{stg(2*s, 0)}}, Segment{})
	if at, ok := down.due(0); !ok || at != 0 {
		t.Errorf("falling: due(0) = %v, %v", at, ok)
	}
	if _, ok := down.due(10); ok {
		t.Error("falling: the 10th arrival falls on the end and must not be due")
	}
	// A time unit of 1m: target 60 per minute is 1/s.
	perMin := rampingArrivalRatePlan(scenario.Load{StartRate: scenario.Rate{N: 60, Per: time.Minute}, TimeUnit: time.Minute,
		Stages: []scenario.Stage{stg(5*s, 60)}}, Segment{})
	if at, ok := perMin.due(3); !ok || at != 3*s {
		t.Errorf("per minute: due(3) = %v, %v; want 3s", at, ok)
	}
}

func TestSegmentShares(t *testing.T) {
	for _, total := range []int64{0, 1, 2, 3, 7, 10, 1000, 1<<62 + 5} {
		for n := 1; n <= 7; n++ {
			sum := int64(0)
			for i := 0; i < n; i++ {
				sum += Segment{i, n}.share(total)
			}
			if sum != total {
				t.Errorf("shares of %d in %d segments sum to %d", total, n, sum)
			}
		}
	}
	if got := (Segment{0, 3}).share(10); got != 3 {
		t.Errorf("share 0/3 of 10 = %d, want 3", got)
	}
	if got := (Segment{2, 3}).share(10); got != 4 {
		t.Errorf("share 2/3 of 10 = %d, want 4", got)
	}
}

func TestParseSegment(t *testing.T) {
	for _, tc := range []struct {
		in  string
		ok  bool
		seg Segment
	}{{"0/1", true, Segment{0, 1}}, {"2/3", true, Segment{2, 3}}, {"0/3", true, Segment{0, 3}}, {"3/3", false, Segment{}}, {"-1/3", false, Segment{}}, {"x", false, Segment{}}, {"1/0", false, Segment{}}} {
		seg, err := ParseSegment(tc.in)
		if (err == nil) != tc.ok || seg != tc.seg {
			t.Errorf("ParseSegment(%q) = %v, %v", tc.in, seg, err)
		}
	}
	if (Segment{}).String() != "0/1" {
		t.Error("the zero segment is not 0/1")
	}
}

// stg is a stage, keyed so that vet is content.
func stg(d time.Duration, target int64) scenario.Stage {
	return scenario.Stage{Duration: d, Target: target}
}
