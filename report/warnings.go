package report

import (
	"fmt"

	"github.com/pcflow/pcflow/metrics"
)

// warningsFor lists what a reader of a result should not miss: signs that
// the generator or the correlation, not the server, shaped the numbers.
func warningsFor(r *Result) []string {
	var ws []string
	c := r.Counters
	if n := c.Get(metrics.DroppedIterations); n > 0 {
		ws = append(ws, fmt.Sprintf("generator fell behind: %d iterations could not start (no free VU; raise max-vus)", n))
	}
	if m := r.Metrics[metrics.MetricScheduleLag]; m != nil && m.P99Ms > 100 {
		ws = append(ws, fmt.Sprintf("generator fell behind: schedule lag p99 %s (iterations started late)",
			FormatDuration(m.Quantile(99))))
	}
	if n := c.Get(metrics.AcksOrphan); n > 0 {
		ws = append(ws, fmt.Sprintf("%d orphan acks: messages no command waited for", n))
	}
	if n := c.Get(metrics.AcksDuplicate); n > 0 {
		ws = append(ws, fmt.Sprintf("%d duplicate acks: messages seen twice for one command", n))
	}
	if n := c.Get(metrics.Reconnects); n > 0 {
		ws = append(ws, fmt.Sprintf("%d WebSocket reconnects", n))
	}
	return ws
}
