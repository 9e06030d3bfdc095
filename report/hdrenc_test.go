package report

import (
	"math/rand/v2"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Our encoder writes what the library decodes back to equal histograms,
// for run histograms and series points, over the whole value range.
func TestHDREncoderDecodesToEqual(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	e := newHDREncoder()
	for round := range 20 {
		h, p := newHist(), newPointHist()
		for range 1 + round*500 {
			v := int64(rng.ExpFloat64() * float64(int64(1)<<uint(rng.IntN(32))))
			v = min(v, histHighest)
			_ = h.RecordValue(v)
			_ = p.RecordValue(v)
		}
		back, err := hdr.Decode([]byte(e.dense(h)))
		if err != nil || !back.Equals(h) {
			t.Fatalf("round %d: dense decode err=%v equal=%v", round, err, err == nil && back.Equals(h))
		}
		pb, err := hdr.DecodePacked([]byte(e.packed(p)))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := p.Encode()
		got, _ := pb.Encode()
		if string(want) != string(got) {
			t.Fatalf("round %d: packed point changed through our encoding", round)
		}
	}
}
