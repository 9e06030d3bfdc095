package report

import (
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// defaultMaxPoints bounds a metric's time series (issue 10: ~2,000).
const defaultMaxPoints = 2000

// Series points keep their own histogram so that merged series stay exact
// (counts add; nothing is averaged). They use 2 significant digits, not 3:
// a point holds at most a few thousand sparse buckets instead of ~23,000,
// and a per-interval percentile within 1 % is plenty for a chart, while
// the run's own histograms keep 3 digits.
const pointDigits = 2

func newPointHist() *hdr.PackedHistogram {
	return hdr.NewPacked(histLowest, histHighest, pointDigits)
}

// series is one metric's time series. Buckets are aligned to multiples of
// width since the Unix epoch, and width is a power of two seconds, so that
// a bucket of width 2w holds exactly two buckets of width w: coarsening and
// merging shards (whose clocks started at different instants) stay exact.
type series struct {
	max   int
	width int64    // seconds per point: 1, 2, 4, …
	first int64    // bucket number (unix seconds / width) of pts[0]
	pts   []*point // nil where no sample fell

	// hot takes the samples of the newest bucket in a dense histogram
	// (~23 KB, recording without the sparse one's search and insertion) and
	// is added to that point when a later bucket starts, or before anyone
	// reads or reshapes the points. Samples of older buckets, which shards
	// deliver a little late, go straight to their point.
	hot  *hdr.Histogram
	hotB int64 // the bucket hot belongs to, while hotN > 0
	hotN int64
}

type point struct {
	hist   *hdr.PackedHistogram
	errors int64
}

func newSeries(max int) *series { return &series{max: max, width: 1} }

// floorDiv divides rounding towards −∞, so that instants before the epoch
// (a bad clock) still land in the right bucket.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// record adds one value (µs) at instant t.
func (se *series) record(t time.Time, v int64, failed bool) {
	sec := t.Unix()
	p := se.at(sec)
	if failed {
		p.errors++
	}
	b := floorDiv(sec, se.width)
	if se.hotN > 0 && b != se.hotB {
		if b < se.hotB {
			_ = p.hist.RecordValue(v) // v is clamped to the range: cannot fail
			return
		}
		se.flushHot()
	}
	if se.hot == nil {
		se.hot = hdr.New(histLowest, histHighest, pointDigits)
	}
	_ = se.hot.RecordValue(v)
	se.hotB = b
	se.hotN++
}

// flushHot adds the hot histogram to its point.
func (se *series) flushHot() {
	if se.hotN == 0 {
		return
	}
	se.pts[se.hotB-se.first].hist.MergeFrom(se.hot)
	se.hot.Reset()
	se.hotN = 0
}

// at returns the point covering unix second sec, growing the series and
// coarsening it while it would exceed max points.
func (se *series) at(sec int64) *point {
	b := floorDiv(sec, se.width)
	if i := b - se.first; i >= 0 && i < int64(len(se.pts)) && se.pts[i] != nil {
		return se.pts[i] // nearly every sample: its second is already there
	}
	if len(se.pts) == 0 {
		se.first = b
	}
	for se.needsCoarsening(b) {
		se.coarsen()
		b = floorDiv(sec, se.width)
	}
	if b < se.first {
		grow := make([]*point, se.first-b, int64(len(se.pts))+se.first-b)
		se.pts = append(grow, se.pts...)
		se.first = b
	}
	for b-se.first >= int64(len(se.pts)) {
		se.pts = append(se.pts, nil)
	}
	p := se.pts[b-se.first]
	if p == nil {
		p = &point{hist: newPointHist()}
		se.pts[b-se.first] = p
	}
	return p
}

// needsCoarsening reports whether covering bucket b would take the series
// past max points.
func (se *series) needsCoarsening(b int64) bool {
	lo, hi := se.first, se.first+int64(len(se.pts))-1
	lo, hi = min(lo, b), max(hi, b)
	return hi-lo+1 > int64(se.max)
}

// coarsen doubles the width, adding each pair of neighbouring points.
func (se *series) coarsen() {
	se.flushHot() // its bucket number is about to change
	nfirst := floorDiv(se.first, 2)
	nlast := floorDiv(se.first+int64(len(se.pts))-1, 2)
	npts := make([]*point, nlast-nfirst+1)
	for i, p := range se.pts {
		if p == nil {
			continue
		}
		j := floorDiv(se.first+int64(i), 2) - nfirst
		if npts[j] == nil {
			npts[j] = p
			continue
		}
		npts[j].add(p)
	}
	se.width *= 2
	se.first = nfirst
	se.pts = npts
}

// add adds q's counts into p.
func (p *point) add(q *point) {
	addPacked(p.hist, q.hist)
	p.errors += q.errors
}

// addPacked adds src's buckets to dst (both with the point geometry).
func addPacked(dst, src *hdr.PackedHistogram) {
	src.ForEachBucket(func(v, n int64) bool {
		_ = dst.RecordValues(v, n)
		return true
	})
}

// memSize is roughly the bytes the series holds, for the 24 h benchmark.
func (se *series) memSize() int {
	n := cap(se.pts) * 8
	if se.hot != nil {
		n += se.hot.ByteSize()
	}
	for _, p := range se.pts {
		if p != nil {
			n += p.hist.GetMemorySize() + 16
		}
	}
	return n
}
