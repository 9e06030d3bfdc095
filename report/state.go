package report

import (
	"strings"
	"sync"
	"time"
	"unsafe"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/pcflow/pcflow/metrics"
)

// Histogram geometry: values in microseconds from 1 µs to 1 h with 3
// significant digits (DESIGN.md). Durations above an hour are recorded as
// an hour rather than dropped, so counts stay exact.
const (
	histLowest  = 1
	histHighest = int64(time.Hour / time.Microsecond)
	histDigits  = 3
)

func newHist() *hdr.Histogram { return hdr.New(histLowest, histHighest, histDigits) }

// micros converts a duration to the histogram's unit, clamped to its range.
func micros(d time.Duration) int64 {
	v := int64(d / time.Microsecond)
	if v < 0 {
		return 0
	}
	if v > histHighest {
		return histHighest
	}
	return v
}

// tagKey is a tag set: one histogram per metric, workload and step.
type tagKey struct{ metric, workload, step string }

// track is what the owner keeps for one tag set.
type track struct {
	hist      *hdr.Histogram
	errors    int64   // samples with an error kind
	kinds     []int64 // those by metrics.ErrorKind; nil until the first
	tally     *tally
	series    *series
	stepTotal bool // a step's ".total": counts errors by kind
}

// tally is one workload's counters and its step errors by kind.
type tally struct {
	counters []int64  // by metrics.Counter
	errors   []int64  // by metrics.ErrorKind, from step ".total" samples
	order    []string // steps in first-seen order
	seen     map[string]bool
}

// state is everything the owner goroutine aggregates. mu guards it only
// after the owner exited (see Aggregator.do); before, the owner alone
// touches it.
type state struct {
	mu        sync.Mutex
	opts      Options
	tracks    map[tagKey]*track
	fast      map[fastKey]*track // the same tracks by where their strings live
	series    map[string]*series
	tallies   map[string]*tally
	workloads []string // first-seen order
	scratch   *hdr.Histogram
}

func newState(opts Options) *state {
	if opts.MaxPoints <= 0 {
		opts.MaxPoints = defaultMaxPoints
	}
	st := &state{
		opts:    opts,
		tracks:  map[tagKey]*track{},
		fast:    map[fastKey]*track{},
		series:  map[string]*series{},
		tallies: map[string]*tally{},
	}
	for _, w := range opts.Workloads {
		t := st.tally(w.Name)
		for _, s := range w.Steps {
			t.step(s)
		}
	}
	return st
}

func (st *state) tally(workload string) *tally {
	t, ok := st.tallies[workload]
	if !ok {
		t = &tally{
			seen:     map[string]bool{},
			counters: make([]int64, len(metrics.Counters())),
			errors:   make([]int64, len(metrics.ErrorKinds())+1),
		}
		st.tallies[workload] = t
		st.workloads = append(st.workloads, workload)
	}
	return t
}

func (t *tally) step(name string) {
	if name != "" && !t.seen[name] {
		t.seen[name] = true
		t.order = append(t.order, name)
	}
}

// fold adds one batch of entries.
func (st *state) fold(b *batch) {
	for i := 0; i < b.n; i++ {
		e := &b.e[i]
		if e.isCount {
			if t := st.tally(e.s.Workload); int(e.counter) < len(t.counters) {
				t.counters[e.counter] += e.n
			}
			continue
		}
		st.record(&e.s)
	}
}

func (st *state) record(s *metrics.Sample) {
	fk := fastKeyOf(s)
	tr, ok := st.fast[fk]
	if !ok {
		k := tagKey{s.Metric, s.Workload, s.Step}
		if tr, ok = st.tracks[k]; !ok {
			tr = st.newTrack(k)
		}
		if len(st.fast) > 4*len(st.tracks)+1024 {
			clear(st.fast) // a producer that builds names per sample must not grow it without end
		}
		st.fast[fk] = tr
	}
	v := micros(s.Duration)
	_ = tr.hist.RecordValue(v) // v is within range: cannot fail
	failed := s.Error != metrics.ErrNone
	if failed {
		tr.errors++
		if tr.kinds == nil {
			tr.kinds = make([]int64, len(metrics.ErrorKinds())+1)
		}
		if int(s.Error) < len(tr.kinds) {
			tr.kinds[s.Error]++
		}
		if tr.stepTotal && int(s.Error) < len(tr.tally.errors) {
			tr.tally.errors[s.Error]++
		}
	}
	if !s.Start.IsZero() { // a sample without a start has no place in time
		tr.series.record(s.Start, v, failed)
	}
}

// newTrack makes the track of a tag set seen for the first time, linked
// to its workload's tally and its metric's series, so that recording a
// sample costs one map lookup.
func (st *state) newTrack(k tagKey) *track {
	t := st.tally(k.workload)
	t.step(stepOf(k))
	se, ok := st.series[k.metric]
	if !ok {
		se = newSeries(st.opts.MaxPoints)
		st.series[k.metric] = se
	}
	tr := &track{hist: newHist(), tally: t, series: se, stepTotal: isStepTotal(k.metric)}
	st.tracks[k] = tr
	return tr
}

// fastKey identifies a tag set by the addresses and lengths of its
// strings. Producers build metric, workload and step names once, when a
// scenario is compiled (metrics.Sample's contract), so a sample's strings
// are nearly always the very ones seen before, and hashing six words is
// cheaper than hashing three strings on every sample. A string that equals
// a known one but lives elsewhere only costs one lookup in tracks by value,
// which finds the same track. The track keeps its strings (its tagKey), so
// an address in this map cannot be reused for another string.
type fastKey struct {
	m, w, s    *byte
	ml, wl, sl int
}

func fastKeyOf(s *metrics.Sample) fastKey {
	return fastKey{unsafe.StringData(s.Metric), unsafe.StringData(s.Workload), unsafe.StringData(s.Step),
		len(s.Metric), len(s.Workload), len(s.Step)}
}

// stepOf is the step a tag set belongs to: its step tag, or else the NAME
// of a "step.NAME.…" metric (package steps names the metric, not the tag).
func stepOf(k tagKey) string {
	if k.step != "" {
		return k.step
	}
	if rest, ok := strings.CutPrefix(k.metric, "step."); ok {
		if i := strings.IndexByte(rest, '.'); i > 0 {
			return rest[:i]
		}
	}
	return ""
}

// isStepTotal reports whether metric is a step's whole-step metric: the
// errors by kind and the errors rate count steps once, from it, not once
// per phase. Every step records its ".total" sample, failed or not.
func isStepTotal(metric string) bool {
	return strings.HasPrefix(metric, "step.") && strings.HasSuffix(metric, "."+metrics.PhaseTotal)
}
