package engine

import "fmt"

// SegmentError is Run's error for a segment that is not i/n with
// 0 <= i < n.
type SegmentError struct{ Segment Segment }

func (e *SegmentError) Error() string {
	return fmt.Sprintf("engine: segment %d/%d: want i/n with 0 <= i < n", e.Segment.I, e.Segment.N)
}
