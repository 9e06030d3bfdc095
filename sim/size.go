package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseSize reads a byte count such as "1048576", "512MiB", "2GiB" or
// "10MB" (the unit is case-sensitive, as in the IEC and SI symbols). A
// negative count ("-1") is allowed: for MaxStoredBytes it means unlimited.
func ParseSize(s string) (int64, error) {
	// Longest suffixes first, so that "KiB" is tried before "B". Binary
	// and decimal multiples both appear in operators' habits; each means
	// what it says.
	units := [...]struct {
		suffix string
		factor int64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
		{"B", 1},
	}
	s = strings.TrimSpace(s)
	num, factor := s, int64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			num, factor = strings.TrimSpace(n), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n > math.MaxInt64/factor || n < math.MinInt64/factor {
		return 0, fmt.Errorf("sim: size %q: want a byte count like 1048576, 512MiB or 2GiB", s)
	}
	return n * factor, nil
}
