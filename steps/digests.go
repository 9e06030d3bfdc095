package steps

import "crypto/sha256"

// maxDigests bounds what a VU remembers of its uploads: a long load run
// uploading every iteration must not grow memory without end. Downloads
// verify recent uploads; 4096 per VU is far beyond any scenario's reach
// back (and 4096 × ~100 B per VU stays small at thousands of VUs).
const maxDigests = 4096

// digests maps data tokens to the SHA-256 of the plaintext stored under
// them, forgetting the oldest beyond maxDigests.
type digests struct {
	sums  map[string][sha256.Size]byte
	order []string // ring of tokens in insertion order
	next  int      // where the next token goes once the ring is full
}

func newDigests() *digests { return &digests{sums: map[string][sha256.Size]byte{}} }

func (d *digests) put(token string, sum [sha256.Size]byte) {
	if _, ok := d.sums[token]; !ok {
		if len(d.order) < maxDigests {
			d.order = append(d.order, token)
		} else {
			delete(d.sums, d.order[d.next])
			d.order[d.next] = token
			d.next = (d.next + 1) % maxDigests
		}
	}
	d.sums[token] = sum
}

func (d *digests) get(token string) ([sha256.Size]byte, bool) {
	s, ok := d.sums[token]
	return s, ok
}

// forget drops a deleted token's digest (its ring slot is reused later).
func (d *digests) forget(token string) { delete(d.sums, token) }
