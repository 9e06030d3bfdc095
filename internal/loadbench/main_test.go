package main

import (
	"testing"
	"time"
)

func TestTheSimulatorsFirstLineGivesItsURLs(t *testing.T) {
	for _, tc := range []struct {
		line    string
		api, ws string
		ok      bool
	}{
		{"pcflow sim: api=http://127.0.0.1:1 ws=ws://127.0.0.1:2 upstream=http://127.0.0.1:3 downstream=http://127.0.0.1:4\n",
			"http://127.0.0.1:1", "ws://127.0.0.1:2", true},
		{"pcflow sim: ws=ws://h:2 api=http://h:1", "http://h:1", "ws://h:2", true}, // any order
		{"pcflow sim: api=http://h:1", "", "", false},                              // no socket URL
		{"go: downloading something", "", "", false},                               // not the sim's line
	} {
		u, err := parseSimLine(tc.line)
		if (err == nil) != tc.ok || u.API != tc.api || u.WS != tc.ws {
			t.Errorf("parseSimLine(%q) = %+v, %v", tc.line, u, err)
		}
	}
}

// The HTTP mode's schedule is a pure function: request n starts at
// n/rate seconds, whatever the answers did.
func TestTheHTTPScheduleIsConstantRate(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		rate int
		want time.Duration
	}{
		{0, 5000, 0},
		{1, 5000, 200 * time.Microsecond},
		{4999, 5000, 999800 * time.Microsecond},
		{5000, 5000, time.Second},
		{1, 3, 333333333},
	} {
		if got := due(tc.n, tc.rate); got != tc.want {
			t.Errorf("due(%d, %d) = %v, want %v", tc.n, tc.rate, got, tc.want)
		}
	}
}

func TestSessionCountsAreReportedAtAThousandAndAtN(t *testing.T) {
	for n, want := range map[int][]int{10: {10}, 1000: {1000}, 10000: {1000, 10000}} {
		if got := checkpoints(n); len(got) != len(want) || got[len(got)-1] != want[len(want)-1] || got[0] != want[0] {
			t.Errorf("checkpoints(%d) = %v, want %v", n, got, want)
		}
	}
}
