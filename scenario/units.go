package scenario

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// The text forms of values. Each parser returns an error whose text names
// the expected form, because that is what a user needs to fix the value.

// Limits that keep counts and rates from overflowing the engine's
// arithmetic or asking a machine for the absurd.
const (
	MaxVUs  = 1_000_000
	maxRate = 1_000_000 // per second
)

var (
	errDuration = errors.New("want a duration like 250ms, 30s or 1m30s")
	errRange    = errors.New("want a duration like 500ms or a range like 200ms..800ms")
	errSize     = errors.New("want a size like 512, 1KiB, 1.5MB or 3MiB")
	errRate     = errors.New("want a rate like 50/s, 3000/m or 1/h")
)

// ParseDuration parses a non-negative duration: "250ms", "1m30s", "0".
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errDuration
	}
	if d < 0 {
		return 0, errors.New("a duration cannot be negative")
	}
	return d, nil
}

// ParseRange parses a duration or a uniform range "200ms..800ms".
func ParseRange(s string) (Range, error) {
	lo, hi, isRange := strings.Cut(s, "..")
	if !isRange {
		d, err := ParseDuration(s)
		if err != nil {
			return Range{}, errRange
		}
		return Range{d, d}, nil
	}
	a, err1 := ParseDuration(lo)
	b, err2 := ParseDuration(hi)
	if err1 != nil || err2 != nil {
		return Range{}, errRange
	}
	if a > b {
		return Range{}, errors.New("the range's lower end is above its upper end; write MIN..MAX")
	}
	return Range{a, b}, nil
}

// sizeUnits are the size suffixes: SI (powers of 1000) and IEC (of 1024),
// longest first so that "KiB" is not read as "B".
var sizeUnits = []struct {
	suffix string
	mult   float64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"B", 1},
}

// ParseSize parses a byte size: "512", "1KiB", "1.5MB", "3MiB".
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := 1.0
	for _, u := range sizeUnits {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || s == "" || strings.ContainsAny(s, "eExXpP_") || math.IsNaN(f) {
		return 0, errSize
	}
	if f < 0 {
		return 0, errors.New("a size cannot be negative")
	}
	n := f * mult
	if n > 1<<50 {
		return 0, errors.New("a size above 1 PiB is out of range")
	}
	if n != math.Trunc(n) {
		return 0, errors.New("a size must be a whole number of bytes")
	}
	return int64(n), nil
}

// ParseRate parses "50/s", "3000/m", "1/h" or "5/10s" (events per period).
func ParseRate(s string) (Rate, error) {
	num, per, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Rate{}, errRate
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return Rate{}, errRate
	}
	var d time.Duration
	switch per = strings.TrimSpace(per); per {
	case "s":
		d = time.Second
	case "m":
		d = time.Minute
	case "h":
		d = time.Hour
	default:
		if d, err = time.ParseDuration(per); err != nil || d <= 0 {
			return Rate{}, errRate
		}
	}
	r := Rate{N: n, Per: d}
	if n <= 0 {
		return Rate{}, errors.New("a rate must be above zero")
	}
	if r.PerSecond() > maxRate {
		return Rate{}, errors.New("a rate above 1000000/s is out of range")
	}
	return r, nil
}

// parseCount parses a whole number in [lo, hi].
func parseCount(s string, lo, hi int64) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, outOfRange(lo, hi)
		}
		return 0, errors.New("want a whole number")
	}
	if n < lo || n > hi {
		return 0, outOfRange(lo, hi)
	}
	return n, nil
}

func outOfRange(lo, hi int64) error {
	if hi == math.MaxInt64 {
		return errors.New("want a whole number of at least " + strconv.FormatInt(lo, 10))
	}
	return errors.New("want a whole number from " + strconv.FormatInt(lo, 10) + " to " + strconv.FormatInt(hi, 10))
}
