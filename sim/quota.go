package sim

import (
	"encoding/json"
	"sync/atomic"
)

// reasonQuotaExceeded is the key of a store refused at MaxStoredBytes:
// an ack-3 body for an exchange or update-data, a 507 message for an upload.
const reasonQuotaExceeded = "storage.quota_exceeded"

// byteQuota counts the stored ciphertext of every profile against
// Options.MaxStoredBytes, so that a long load run cannot grow the
// simulator past it. It is one atomic counter: taking and giving need no
// lock, and may happen under a profile's mutex.
type byteQuota struct {
	used atomic.Int64
	max  int64 // < 0: unlimited (still counted)
}

// take reserves n bytes; false (and nothing taken) when that would pass max.
func (q *byteQuota) take(n int) bool {
	if q.max < 0 {
		q.used.Add(int64(n))
		return true
	}
	for {
		u := q.used.Load()
		if u+int64(n) > q.max {
			return false
		}
		if q.used.CompareAndSwap(u, u+int64(n)) {
			return true
		}
	}
}

// give frees n bytes taken before.
func (q *byteQuota) give(n int) { q.used.Add(-int64(n)) }

// resize changes a record of old bytes into one of next bytes: false (and
// nothing changed) when the growth does not fit.
func (q *byteQuota) resize(old, next int) bool {
	if next <= old {
		q.give(old - next)
		return true
	}
	return q.take(next - old)
}

// jsonSize is what a stored object costs against the quota: its size as
// JSON; 0 for nil.
func jsonSize(v map[string]any) int {
	if v == nil {
		return 0
	}
	b, _ := json.Marshal(v)
	return len(b)
}
