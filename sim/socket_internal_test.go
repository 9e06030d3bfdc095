package sim

import (
	"sync/atomic"
	"testing"
)

// TestSocketQueueIsBounded: a socket that does not keep up is cut off
// once it lags socketQueueBytes bytes or socketQueueLen messages behind,
// counted once, and what it had not read is dropped (issue 13).
func TestSocketQueueIsBounded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		msg   []byte
		fits  int // messages that fit before the cut
		limit string
	}{
		{"large messages hit the byte bound", make([]byte, 1<<20), socketQueueBytes / (1 << 20), "bytes"},
		{"small messages hit the message bound", []byte("ack"), socketQueueLen, "messages"},
	} {
		var slow atomic.Int64
		k := newSocket(nil, &slow) // no writer: nothing drains the queue
		for range tc.fits {
			k.Send(tc.msg)
		}
		select {
		case <-k.quit:
			t.Fatalf("%s: cut off within the bound of %d %s", tc.name, tc.fits, tc.limit)
		default:
		}
		k.Send(tc.msg)
		k.Send(tc.msg)
		select {
		case <-k.quit:
		default:
			t.Fatalf("%s: not cut off beyond the bound", tc.name)
		}
		if slow.Load() != 1 || k.code != closeTooSlow || len(k.queue) != 0 || k.queued != 0 {
			t.Fatalf("%s: counted %d, code %d, %d messages (%d bytes) kept", tc.name, slow.Load(), k.code, len(k.queue), k.queued)
		}
	}
}
