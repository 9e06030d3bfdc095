package report

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/pcflow/pcflow/metrics"
)

// counters prints the counters in groups a reader scans: work, acks,
// checks, errors by kind, bytes.
func (p *printer) counters(c Counters) {
	g := func(k metrics.Counter) int64 { return c.Get(k) }
	p.printf("%-11s%d done, %d dropped · requests %d · commands %d\n", "iterations",
		g(metrics.Iterations), g(metrics.DroppedIterations), g(metrics.Requests), g(metrics.Commands))
	p.printf("%-11sok %d · rejected %d · lost %d · duplicate %d · orphan %d\n", "acks",
		g(metrics.AcksOK), g(metrics.AcksRejected), g(metrics.AcksTimeout),
		g(metrics.AcksDuplicate), g(metrics.AcksOrphan))
	passed, failed := g(metrics.ChecksPassed), g(metrics.ChecksFailed)
	if passed+failed > 0 {
		line := fmt.Sprintf("%d passed, %d failed (%.1f%%)", passed, failed,
			100*float64(passed)/float64(passed+failed))
		if failed > 0 {
			line = p.paint(red, line)
		}
		p.printf("%-11s%s\n", "checks", line)
	}
	var errs []string
	for _, k := range metrics.ErrorKinds() {
		if n := c.ErrorCount(k); n > 0 {
			errs = append(errs, fmt.Sprintf("%s %d", k, n))
		}
	}
	if len(errs) > 0 {
		p.printf("%-11s%s\n", "errors", p.paint(red, strings.Join(errs, " · ")))
	} else {
		p.printf("%-11snone\n", "errors")
	}
	p.printf("%-11ssent %s · received %s · reconnects %d\n\n", "bytes",
		formatBytes(g(metrics.BytesSent)), formatBytes(g(metrics.BytesReceived)), g(metrics.Reconnects))
}

func (p *printer) thresholds(ts []ThresholdResult) {
	if len(ts) == 0 {
		return
	}
	p.printf("%s\n", p.paint(bold, "thresholds"))
	for _, t := range ts {
		mark := p.paint(green, "✓")
		if !t.OK {
			mark = p.paint(red, "✗")
		}
		p.printf("  %s %s  %s  (%s)\n", mark, t.Name(), t.Expr(), t.Value())
	}
	p.printf("\n")
}

func (p *printer) stop(r *Result) {
	reason := string(r.StopReason)
	if r.StopReason != metrics.StopNormal && r.StopReason != metrics.StopDuration {
		reason = p.paint(yellow, reason)
	}
	verdict := p.paint(green, "passed")
	if !r.Passed() {
		verdict = p.paint(red, "FAILED")
	}
	p.printf("stop reason: %s · thresholds %s\n", reason, verdict)
}

func (p *printer) warnings(ws []string) {
	for _, w := range ws {
		p.printf("%s %s\n", p.paint(yellow, "warning:"), w)
	}
}

// formatBytes shows a byte count in binary units: 512 B, 1.50 KiB, 12.3 MiB.
func formatBytes(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d B", n)
	}
	return sig3(v) + " " + units[i]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// UseColor reports whether output to f may be coloured: f is a terminal
// and NO_COLOR (https://no-color.org) is unset or empty. getenv is
// os.Getenv in cmd/pcflow and a map lookup in tests.
func UseColor(f *os.File, getenv func(string) string) bool {
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	return IsTerminal(f)
}

// IsTerminal reports whether f is a character device (a terminal), the
// standard library's nearest test without a terminal package.
func IsTerminal(f *os.File) bool {
	if f == nil {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
