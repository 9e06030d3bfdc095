package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

func progressAt(s int, iters int64) Progress {
	c := newCounters()
	c.N[metrics.Iterations] = iters
	c.N[metrics.AcksOK] = iters * 2
	return Progress{Elapsed: time.Duration(s) * time.Second, Planned: time.Minute, VUs: 40, MaxVUs: 50, Counters: c}
}

func TestProgressModes(t *testing.T) {
	cases := []struct {
		mode  ProgressMode
		lines int
		want  string
	}{
		{ProgressOff, 0, ""},
		{ProgressPlain, 3, "00:20/01:00 VUs 40/50 it 2000 100/s ok 4000 rej 0 lost 0 err 0\n"},
		{ProgressLine, 0, "\r\x1b[K00:21/01:00"},
	}
	for _, c := range cases {
		var b bytes.Buffer
		pw := NewProgressWriter(&b, c.mode)
		for s := 0; s <= 21; s++ {
			pw.Update(progressAt(s, int64(s)*100))
		}
		pw.Done()
		out := b.String()
		if c.mode == ProgressOff && out != "" {
			t.Errorf("quiet mode wrote %q", out)
		}
		if got := strings.Count(out, "\n"); got != c.lines {
			t.Errorf("mode %d: %d lines; want %d:\n%s", c.mode, got, c.lines, out)
		}
		if !strings.Contains(out, c.want) {
			t.Errorf("mode %d: output lacks %q:\n%q", c.mode, c.want, out)
		}
	}
}

func TestProgressLineFits80Columns(t *testing.T) {
	// A large run: 2 hours, 5,000 VUs, 12 million iterations at 1,234/s.
	p := progressAt(7199, 12345678)
	p.Planned = 2 * time.Hour
	p.VUs, p.MaxVUs = 5000, 5000
	p.Counters.N[metrics.AcksRejected] = 999
	p.Counters.N[metrics.AcksTimeout] = 999
	p.Counters.Errors[metrics.ErrHTTP5xx] = 1234
	if line := progressLine(p, 1234); len([]rune(line)) > 80 {
		t.Errorf("%d columns: %q", len([]rune(line)), line)
	}
}

func TestTotals(t *testing.T) {
	a := NewAggregator(Options{})
	defer a.Close()
	a.Add(metrics.Iterations, "a", 2)
	a.Add(metrics.Iterations, "b", 3)
	if n := a.Totals().Get(metrics.Iterations); n != 5 {
		t.Errorf("Totals iterations = %d; want 5", n)
	}
}
