package report

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"
)

// shardResults splits one synthetic sample stream into n shards (round
// robin by event, as segments split VUs), aggregates each as its own
// process would, and passes each through JSON like a shard file.
func shardResults(t *testing.T, seed uint64, iterations, n int, span time.Duration) []*Result {
	t.Helper()
	evs := synth(seed, iterations, span)
	var out []*Result
	for i := range n {
		a := NewAggregator(Options{Thresholds: synthThresholds(), Workloads: synthOrder()})
		for k := i; k < len(evs); k += n {
			feed(a, evs[k:k+1])
		}
		a.Close()
		f := synthFacts(span)
		f.Segment = strconv.Itoa(i) + "/" + strconv.Itoa(n)
		r, err := DecodeJSON(bytes.NewReader(encode(t, a.Snapshot(f))))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// Merging n shard files equals the unsplit run exactly: every count, every
// percentile, every series point and threshold, byte for byte in JSON.
func TestMergeOfShardsEqualsUnsplitRun(t *testing.T) {
	const span = 90 * time.Second
	whole := encode(t, synthResult(t, 5, 4000, span))
	for _, n := range []int{1, 2, 3, 7} {
		merged, err := Merge(shardResults(t, 5, 4000, n, span)...)
		if err != nil {
			t.Fatal(err)
		}
		if got := encode(t, merged); !bytes.Equal(got, whole) {
			t.Errorf("%d shards merged differ from the unsplit run:\n%s", n, firstDiff(string(whole), string(got)))
		}
	}
}

// Shards whose series coarsened to different widths still merge exactly:
// the finer one is brought to the coarser width.
func TestMergeAlignsCoarsenedSeries(t *testing.T) {
	a, b := newState(Options{MaxPoints: 10}), newState(Options{MaxPoints: 10})
	simulate(a, 40*time.Second, 1, []string{"step.a.total"})
	simulate(b, 10*time.Second, 1, []string{"step.a.total"})
	ra, rb := a.result(synthFacts(40*time.Second)), b.result(synthFacts(10*time.Second))
	ra.Segment, rb.Segment = "0/2", "1/2"
	m, err := Merge(ra, rb)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, p := range m.Series["step.a.total"] {
		n += p.Count
		if p.Width != 4 {
			t.Errorf("point %+v: width %d; want the coarser shard's 4 (40 s in 10 points)", p, p.Width)
		}
	}
	if n != 50 {
		t.Errorf("merged series holds %d samples; want 50", n)
	}
}

func TestMergeRefuses(t *testing.T) {
	shards := shardResults(t, 6, 100, 2, 10*time.Second)
	other := *shards[1]
	other.Scenario = "another"
	overlap := *shards[1]
	overlap.Segment = "0/2"
	wide := *shards[1]
	wide.Segment = "0/4"
	cases := []struct {
		what string
		rs   []*Result
		want string
	}{
		{"different scenarios", []*Result{shards[0], &other}, "different scenarios"},
		{"the same segment twice", []*Result{shards[0], &overlap}, "overlap"},
		{"a segment inside another", []*Result{shards[0], &wide}, "overlap"},
		{"nothing", nil, "no results"},
	}
	for _, c := range cases {
		if _, err := Merge(c.rs...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v; want one saying %q", c.what, err, c.want)
		}
	}
}

func TestMergePartialSegments(t *testing.T) {
	shards := shardResults(t, 6, 100, 4, 10*time.Second)
	m, err := Merge(shards[2], shards[0])
	if err != nil {
		t.Fatal(err)
	}
	if m.Segment != "0/4+2/4" {
		t.Errorf("segment %q; want 0/4+2/4", m.Segment)
	}
}
