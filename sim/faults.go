package sim

import (
	"time"

	"github.com/pcflow/pcflow/sim/internal/pipeline"
)

// dice makes the simulator's seeded decisions. A decision is a pure
// function of (seed, sequence number, kind): no shared RNG state, so the
// same seed and the same requests in the same order give the same
// decisions however the workers interleave.
type dice struct{ seed uint64 }

// Decision kinds; each draws from its own stream.
const (
	rollReject uint64 = iota + 1
	rollDrop
	rollDuplicate
	rollLatency
	rollShape
	rollHTTPError
)

// splitmix64 is the finaliser of SplitMix64 (Steele, Lea, Flood 2014): a
// bijective mix good enough to turn counters into independent uniforms.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// uniform returns a number in [0, 1) for the seq-th decision of kind.
func (d dice) uniform(seq, kind uint64) float64 {
	h := splitmix64(d.seed ^ splitmix64(seq*0x100+kind))
	return float64(h>>11) / (1 << 53)
}

// hit reports whether the seq-th decision of kind falls under rate.
func (d dice) hit(seq, kind uint64, rate float64) bool {
	return rate > 0 && d.uniform(seq, kind) < rate
}

// latency draws the ack delay of command seq.
func (d dice) latency(seq uint64, l Latency) time.Duration {
	if l.Max <= l.Min {
		return l.Min
	}
	span := float64(l.Max - l.Min)
	return l.Min + time.Duration(d.uniform(seq, rollLatency)*span)
}

// plan decides the faults of command seq under o.
func (d dice) plan(seq uint64, o *Options) pipeline.Plan {
	return pipeline.Plan{
		Reject:    d.hit(seq, rollReject, o.RejectRate),
		Drop:      d.hit(seq, rollDrop, o.DropAckRate),
		Duplicate: d.hit(seq, rollDuplicate, o.DuplicateAckRate),
		Stall:     o.Stall.Every > 0 && int(seq%uint64(o.Stall.Every)) < o.Stall.Hold,
		Delay:     d.latency(seq, o.AckLatency),
	}
}

// shape picks the command id shape of command seq.
func (d dice) shape(seq uint64, configured string) string {
	if configured != ShapeMixed {
		return configured
	}
	shapes := [...]string{ShapeArray, ShapeString, ShapeObject}
	return shapes[int(d.uniform(seq, rollShape)*3)%3]
}
