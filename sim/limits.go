package sim

import "time"

// The simulator's fixed bounds, in one place: what a client can make it
// keep is bounded, so that a load test that creates records in a loop
// cannot grow it without limit (doc.go, Memory bounds).

// Field length limits; longer values are a 422.
const (
	maxUsernameLen = 128
	maxPasswordLen = 1024
	maxFieldLen    = 1024

	// maxSessionsPerProfile bounds the live tokens of one profile: the
	// oldest is revoked when a new one would exceed it.
	maxSessionsPerProfile = 256
	// maxReservationsPerProfile bounds the live reservations of one
	// profile; reserving beyond it is rejected (ack 3).
	maxReservationsPerProfile = 10_000
)

// qrTokenTTL is how long a generate-token-qr token lives.
const qrTokenTTL = 5 * time.Minute

// maxQRTokensPerProfile bounds the live QR tokens of one profile.
const maxQRTokensPerProfile = 64

// Per-profile bounds on what a client can make the simulator keep (a
// load test that registers devices or policies in a loop must not grow it
// without limit); beyond them the command acks 3 (… .too_many_…).
const (
	maxDevicesPerProfile  = 10_000
	maxConfigsPerProfile  = 1_000
	maxPoliciesPerProfile = 1_000
	// maxPoolsPerProfile bounds kept pools; the oldest ended ones are
	// forgotten first, and only when every kept pool is still pending is a
	// new one refused (voting.too_many_pools).
	maxPoolsPerProfile = 10_000
)
