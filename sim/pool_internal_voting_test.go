package sim

import (
	"strconv"
	"testing"
)

// TestRoomForPool: at the cap, the oldest ended pools are forgotten first;
// when every kept pool is pending, no new pool fits.
func TestRoomForPool(t *testing.T) {
	t.Parallel()
	h := (&profile{}).own()
	for i := range maxPoolsPerProfile {
		h.pools[strconv.Itoa(i)] = &poolRecord{}
	}
	if h.roomForPool() {
		t.Fatal("a new pool fits beside maxPoolsPerProfile pending ones")
	}
	h.ended = []string{"7", "3"}
	if !h.roomForPool() || h.pools["7"] != nil || h.pools["3"] == nil || len(h.ended) != 1 {
		t.Fatalf("eviction took the wrong pool: 7 kept %v, 3 kept %v, ended %v",
			h.pools["7"] != nil, h.pools["3"] != nil, h.ended)
	}
}
