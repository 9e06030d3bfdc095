package metrics

import "testing"

func TestErrorKindNamesRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range ErrorKinds() {
		name := k.String()
		if name == "" || seen[name] {
			t.Fatalf("kind %d has an empty or repeated name %q", k, name)
		}
		seen[name] = true
		if back, ok := ParseErrorKind(name); !ok || back != k {
			t.Errorf("ParseErrorKind(%q) = %v, %v; want %v", name, back, ok, k)
		}
	}
	if _, ok := ParseErrorKind("nosuch"); ok {
		t.Error("ParseErrorKind accepted an unknown name")
	}
}

func TestCounterNamesRoundTrip(t *testing.T) {
	for _, c := range Counters() {
		if back, ok := ParseCounter(c.String()); !ok || back != c {
			t.Errorf("ParseCounter(%q) = %v, %v; want %v", c, back, ok, c)
		}
	}
	if c, ok := ParseCounter("acks_lost"); !ok || c != AcksTimeout {
		t.Errorf("acks_lost = %v, %v; want acks_timeout", c, ok)
	}
}

func TestOpHolds(t *testing.T) {
	cases := []struct {
		op        Op
		got, want float64
		holds     bool
	}{
		{OpLess, 1, 2, true}, {OpLess, 2, 2, false},
		{OpLessEqual, 2, 2, true}, {OpGreater, 3, 2, true},
		{OpGreaterEqual, 1, 2, false}, {OpEqual, 0, 0, true},
	}
	for _, c := range cases {
		if got := c.op.Holds(c.got, c.want); got != c.holds {
			t.Errorf("%v %s %v = %v; want %v", c.got, c.op, c.want, got, c.holds)
		}
	}
}

func TestStatString(t *testing.T) {
	if s := (Stat{Kind: StatPercentile, Percentile: 99.9}).String(); s != "p99.9" {
		t.Errorf("got %q", s)
	}
}
