package scenario

import (
	"encoding/hex"
	"fmt"
)

// maxRandomLen bounds random.hex(n): an expression must not be able to
// ask for gigabytes.
const maxRandomLen = 4096

// randomFuncs returns `random`'s members bound to e's generator, so that
// each VU draws from its own seeded stream (no shared state, no lock).
func randomFuncs(e *Env) map[string]any {
	return map[string]any{
		"hex": func(n int) string {
			n = min(max(n, 0), maxRandomLen)
			b := make([]byte, (n+1)/2)
			for i := range b {
				b[i] = byte(e.rng.Uint32())
			}
			return hex.EncodeToString(b)[:n]
		},
		"int": func(a, b int) int {
			if a > b {
				a, b = b, a
			}
			span := uint64(int64(b)-int64(a)) + 1 // wraps to 0 only for the whole int64 range
			if span == 0 {
				return int(e.rng.Int64())
			}
			return a + int(e.rng.Uint64N(span))
		},
		"uuid": func() string {
			var u [16]byte
			for i := range u {
				u[i] = byte(e.rng.Uint32())
			}
			u[6] = u[6]&0x0f | 0x40 // version 4
			u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
			return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
		},
		"password": func() string { return password(e) },
	}
}

// password returns 20 characters with at least one lower-case letter,
// upper-case letter, digit and symbol, which the usual password rules ask.
func password(e *Env) string {
	classes := [...]string{"abcdefghijkmnopqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "!#%+-=?@_"}
	b := make([]byte, 20)
	for i := range b {
		c := classes[i%len(classes)]
		if i >= len(classes) {
			c = classes[e.rng.IntN(len(classes))]
		}
		b[i] = c[e.rng.IntN(len(c))]
	}
	e.rng.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
	return string(b)
}
