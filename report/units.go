package report

import (
	"strconv"
	"time"
)

// FormatDuration shows d in at most 6 columns with 3 significant digits,
// in the unit a reader expects at that size: "950µs", "1.23ms", "12.3ms",
// "123ms", "1.23s", "12.3s", "2m03s", "1h02m". The summary's columns are
// this wide, so 80 terminal columns hold 7 statistics.
func FormatDuration(d time.Duration) string {
	switch {
	case d < 0:
		return "-" + FormatDuration(-d)
	case d == 0:
		return "0"
	case d < time.Microsecond:
		return strconv.FormatInt(int64(d), 10) + "ns"
	case d < time.Millisecond:
		return sig3(float64(d)/float64(time.Microsecond)) + "µs"
	case d < time.Second:
		return sig3(float64(d)/float64(time.Millisecond)) + "ms"
	case d < time.Minute:
		return sig3(float64(d)/float64(time.Second)) + "s"
	case d < time.Hour:
		s := int64(d.Round(time.Second) / time.Second)
		return strconv.FormatInt(s/60, 10) + "m" + pad2(s%60) + "s"
	}
	m := int64(d.Round(time.Minute) / time.Minute)
	return strconv.FormatInt(m/60, 10) + "h" + pad2(m%60) + "m"
}

// sig3 formats v (1 ≤ v < 1000) with three significant digits: 1.23,
// 12.3, 123; from 999.5 on it shows whole numbers ("1000").
func sig3(v float64) string {
	switch {
	case v < 9.995:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v < 99.95:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case v < 999.5:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// formatCount shows a count compactly: 999, 12.3k, 1.23M.
func formatCount(n int64) string {
	switch {
	case n < 10000:
		return strconv.FormatInt(n, 10)
	case n < 1000000:
		return sig3(float64(n)/1000) + "k"
	case n < 1000000000:
		return sig3(float64(n)/1e6) + "M"
	}
	return sig3(float64(n)/1e9) + "G"
}

// formatRate shows a per-second rate with 3 significant digits.
func formatRate(r float64) string {
	switch {
	case r == 0:
		return "0"
	case r < 1:
		return strconv.FormatFloat(r, 'f', 2, 64)
	case r < 1000:
		return sig3(r)
	}
	return formatCount(int64(r + 0.5))
}
