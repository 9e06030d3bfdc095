package report

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"math"
	"math/bits"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// hdrEncoder writes the HdrHistogram V2 compressed encoding (the format
// hdr.Decode and hdr.DecodePacked read, and every other HdrHistogram
// implementation) with one reused zlib writer. The library's encoders
// allocate a new best-compression deflater (~1 MB) per histogram, which
// made a one-hour result with its 20,000 series points take seconds to
// encode; the issue budgets one second. Not safe for concurrent use.
type hdrEncoder struct {
	metric  geometry // the run histograms' (3 digits)
	point   geometry // the series points' (2 digits)
	zw      *zlib.Writer
	zbuf    bytes.Buffer
	inner   []byte
	payload []byte
	out     []byte
}

// V2 cookies (HdrHistogram's wire format, version 2 with the 0x10 flag).
const (
	v2Cookie           = 0x1c849303 | 0x10
	v2CompressedCookie = 0x1c849304 | 0x10
	v2HeaderSize       = 40
)

func newHDREncoder() *hdrEncoder {
	zw, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed) // a valid level cannot fail
	return &hdrEncoder{zw: zw,
		metric: newGeometry(histLowest, histHighest, histDigits),
		point:  newGeometry(histLowest, histHighest, pointDigits)}
}

// geometry is the part of a histogram's layout that maps a value to its
// counts index; it follows hdrhistogram-go's own formulas (hdr.go:
// geometryMagnitudes, getBucketIndex, getSubBucketIdx, countsIndex).
type geometry struct {
	digits          int
	lowest, highest int64
	unitMag         int32
	halfMag         int32
	mask            int64
}

func newGeometry(lowest, highest int64, digits int) geometry {
	subMag := int32(math.Ceil(math.Log2(2 * math.Pow10(digits))))
	unitMag := int32(math.Floor(math.Log2(float64(lowest))))
	return geometry{digits: digits, lowest: lowest, highest: highest, unitMag: unitMag,
		halfMag: subMag - 1, mask: (int64(1)<<subMag - 1) << unitMag}
}

func (g geometry) index(v int64) int32 {
	bucket := int32(64-bits.LeadingZeros64(uint64(v|g.mask))) - g.unitMag - (g.halfMag + 1)
	sub := int32(v >> uint(bucket+g.unitMag))
	return (bucket+1)<<uint(g.halfMag) + sub - 1<<uint(g.halfMag)
}

// dense encodes a run histogram (3 digits).
func (e *hdrEncoder) dense(h *hdr.Histogram) string {
	e.payload = e.payload[:0]
	next := int32(0)
	for i, c := range h.Export().Counts {
		if c != 0 {
			next = e.put(next, int32(i), c)
		}
	}
	return e.finish(e.metric)
}

// packed encodes a series point's histogram (2 digits).
func (e *hdrEncoder) packed(p *hdr.PackedHistogram) string {
	e.payload = e.payload[:0]
	next := int32(0)
	p.ForEachBucket(func(v, c int64) bool {
		next = e.put(next, e.point.index(v), c)
		return true
	})
	return e.finish(e.point)
}

// put appends the zero run before idx (a single zero as 0, a longer run as
// its negated length, like the reference encoder) and idx's count.
func (e *hdrEncoder) put(next, idx int32, count int64) int32 {
	switch gap := int64(idx - next); {
	case gap == 1:
		e.payload = binary.AppendUvarint(e.payload, zigzag(0))
	case gap > 1:
		e.payload = binary.AppendUvarint(e.payload, zigzag(-gap))
	}
	// Standard LEB128 equals HdrHistogram's 9-byte variant below 2^56.
	e.payload = binary.AppendUvarint(e.payload, zigzag(count))
	return idx + 1
}

func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

// finish wraps the payload in the V2 header, compresses and base64s it.
func (e *hdrEncoder) finish(g geometry) string {
	in := e.inner[:0]
	in = binary.BigEndian.AppendUint32(in, v2Cookie)
	in = binary.BigEndian.AppendUint32(in, uint32(len(e.payload)))
	in = binary.BigEndian.AppendUint32(in, 0) // normalizing index offset
	in = binary.BigEndian.AppendUint32(in, uint32(g.digits))
	in = binary.BigEndian.AppendUint64(in, uint64(g.lowest))
	in = binary.BigEndian.AppendUint64(in, uint64(g.highest))
	in = binary.BigEndian.AppendUint64(in, math.Float64bits(1))
	in = append(in, e.payload...)
	e.inner = in

	e.zbuf.Reset()
	e.zw.Reset(&e.zbuf)
	_, _ = e.zw.Write(in) // writes to a bytes.Buffer cannot fail
	_ = e.zw.Close()

	out := e.out[:0]
	out = binary.BigEndian.AppendUint32(out, v2CompressedCookie)
	out = binary.BigEndian.AppendUint32(out, uint32(e.zbuf.Len()))
	out = append(out, e.zbuf.Bytes()...)
	e.out = out
	return base64.StdEncoding.EncodeToString(out)
}
