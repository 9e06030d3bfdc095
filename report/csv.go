package report

import (
	"encoding/csv"
	"io"
	"strconv"
)

// WriteCSV writes the series: one row per metric per point, metrics in
// name order, points in time order, with a header row.
func WriteCSV(w io.Writer, r *Result) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"metric", "t_s", "ts_unix", "width_s", "count", "errors",
		"p50_ms", "p90_ms", "p99_ms", "max_ms"})
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	for _, name := range sortedKeys(r.Series) {
		for _, p := range r.Series[name] {
			_ = cw.Write([]string{name, f(p.T), i(p.TS), i(p.Width), i(p.Count), i(p.Errors),
				f(p.P50Ms), f(p.P90Ms), f(p.P99Ms), f(p.MaxMs)})
		}
	}
	cw.Flush()
	return cw.Error()
}
