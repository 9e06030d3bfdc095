package report

import hdr "github.com/HdrHistogram/hdrhistogram-go"

// metricSums adds up metrics by name: histograms merged, failures and
// failures by kind summed. A snapshot sums a run's tag sets into its
// metrics, and merge sums the shards' metrics; both end in newMetric.
type metricSums map[string]*metricSum

type metricSum struct {
	h      *hdr.Histogram
	errors int64
	kinds  map[string]int64 // nil until a failure of some kind is added
}

// add merges one histogram and its failures into the sum named name.
func (s metricSums) add(name string, h *hdr.Histogram, errors int64) *metricSum {
	a, ok := s[name]
	if !ok {
		a = &metricSum{h: newHist()}
		s[name] = a
	}
	a.h.Merge(h)
	a.errors += errors
	return a
}

// addKind counts n failures of kind into the sum.
func (a *metricSum) addKind(kind string, n int64) {
	if n == 0 {
		return
	}
	if a.kinds == nil {
		a.kinds = map[string]int64{}
	}
	a.kinds[kind] += n
}

// into writes every sum into metrics as a Metric.
func (s metricSums) into(metrics map[string]*Metric) {
	for name, a := range s {
		metrics[name] = newMetric(a.h, a.errors, a.kinds)
	}
}
