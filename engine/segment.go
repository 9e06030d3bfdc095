package engine

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// Segment is share I (counted from 0) of N equal shares of a run, as
// k6's execution segments split a test across machines: each of N pcflow
// processes runs its share of the VUs, iterations and arrival rate, and
// the shares of i = 0..N-1 always add up exactly to the whole. I counts
// from 0 because the schedulers that start shards number them so — a
// Kubernetes Indexed Job passes `--segment $(JOB_COMPLETION_INDEX)/N` —
// and a shard cannot do arithmetic on its index. The zero value is the
// whole run (0/1).
type Segment struct{ I, N int }

// ParseSegment reads "i/n" with 0 <= i < n.
func ParseSegment(s string) (Segment, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Segment{}, fmt.Errorf("engine: segment %q: want i/n with 0 <= i < n, like 0/3 (the first of three)", s)
	}
	return Segment{I: i, N: n}, nil
}

// norm returns the segment with the zero value read as 0/1.
func (s Segment) norm() Segment {
	if s.N == 0 {
		return Segment{I: 0, N: 1}
	}
	return s
}

// String is "i/n", the form of the JSON result's "segment" key.
func (s Segment) String() string {
	s = s.norm()
	return strconv.Itoa(s.I) + "/" + strconv.Itoa(s.N)
}

func (s Segment) valid() bool {
	s = s.norm()
	return s.N >= 1 && s.I >= 0 && s.I < s.N
}

// share is this segment's part of total: ⌊total·(I+1)/N⌋ − ⌊total·I/N⌋.
// Over I = 0..N-1 the parts telescope to ⌊total·N/N⌋ = total exactly, and
// any two differ by at most one.
func (s Segment) share(total int64) int64 {
	s = s.norm()
	if total <= 0 {
		return 0
	}
	return mulDiv(total, int64(s.I+1), int64(s.N)) - mulDiv(total, int64(s.I), int64(s.N))
}

// shareAtLeastOne is share, but never 0 when total is positive: a segment
// of an arrival-rate workload always has a VU to run its iterations with,
// since its share of iterations is not zero whenever the rate is.
func (s Segment) shareAtLeastOne(total int64) int64 {
	if v := s.share(total); v > 0 || total <= 0 {
		return v
	}
	return 1
}

// first and stride say which iterations of an arrival-rate schedule the
// segment runs: global iterations first, first+stride, first+2·stride, …
// (round-robin striping, what k6's execution segments give for equal
// shares). Every global iteration belongs to exactly one segment, so the
// counts add up to the unsegmented total.
func (s Segment) first() int64  { return int64(s.norm().I) }
func (s Segment) stride() int64 { return int64(s.norm().N) }

// mulDiv is ⌊a·b/c⌋ for a, b >= 0 and c > 0 without overflowing in a·b
// (128-bit product), as long as the result fits in an int64.
func mulDiv(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return 1<<63 - 1 // saturate: the caller's value is beyond any duration
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	if q > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(q)
}
