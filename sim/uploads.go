package sim

import (
	"errors"
	"io"
	"sync/atomic"
)

// uploadSlots bounds the upstream uploads read at once
// (Options.MaxUploads): each holds a goroutine and a growing buffer, and
// a load test that streams from thousands of VUs would otherwise hold
// them all. Beyond the bound an upload is refused at once (503 with
// Retry-After), as a real proxy sheds load, rather than queued.
type uploadSlots struct {
	max     int64 // ≤ 0: unlimited, still counted
	open    atomic.Int64
	refused atomic.Int64
}

// acquire takes a slot; false (and counted as refused) at the bound.
func (u *uploadSlots) acquire() bool {
	if n := u.open.Add(1); u.max > 0 && n > u.max {
		u.open.Add(-1)
		u.refused.Add(1)
		return false
	}
	return true
}

func (u *uploadSlots) release() { u.open.Add(-1) }

// errQuotaFull ends an upload whose next bytes would pass MaxStoredBytes.
var errQuotaFull = errors.New("sim: upload passes the stored-bytes quota")

// chargedBody charges an upload's bytes to the stored-bytes quota as they
// are read, so that what the uploads in progress hold is bounded by the
// quota too, not only what they stored; the caller gives charged back
// when the upload fails.
type chargedBody struct {
	r       io.Reader
	quota   *byteQuota
	charged int
}

func (b *chargedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if n > 0 {
		if !b.quota.take(n) {
			return 0, errQuotaFull
		}
		b.charged += n
	}
	return n, err
}
