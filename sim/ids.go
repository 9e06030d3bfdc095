package sim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"sync/atomic"
	"time"
)

// idSource makes identifiers. Command, request, channel, device and
// profile ids are UUIDv7 (docs/wire.md §1.4): a millisecond timestamp, 12
// bits of a counter (ordering within a millisecond), then 62 bits from
// crypto/rand, so that one id tells nothing of another's (an anonymous
// client that could compute ids could poll other profiles' commands). The
// seed decides faults, never ids. Credentials (authorization tokens,
// stream tokens) are longer secrets, from crypto/rand too.
type idSource struct {
	counter atomic.Uint64
}

// uuid7 returns a new lowercase UUIDv7.
func (g *idSource) uuid7() string {
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	n := g.counter.Add(1)
	var rb [8]byte
	rand.Read(rb[:]) // never fails (crypto/rand since Go 1.24)
	r := binary.BigEndian.Uint64(rb[:])
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	b[6] = 0x70 | byte(n>>8)&0x0f
	b[7] = byte(n)
	b[8] = 0x80 | byte(r>>56)&0x3f
	for i := 9; i < 16; i++ {
		b[i] = byte(r >> (8 * (15 - i)))
	}
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// secret returns prefix + 32 random bytes, URL-safe: an unguessable credential.
func secret(prefix string) string {
	var b [32]byte
	rand.Read(b[:]) // never fails (crypto/rand since Go 1.24)
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// timestamp formats t the way the wire does: RFC 3339 with "+00:00" (PHP DATE_ATOM).
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05+00:00")
}
