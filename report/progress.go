package report

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

// Progress is what the live line shows; cmd/pcflow fills it from the
// engine (VUs, elapsed, planned) and the aggregator (Totals).
type Progress struct {
	Elapsed time.Duration
	Planned time.Duration // zero when the run's length is not known (iterations)
	VUs     int           // VUs running now
	MaxVUs  int
	// Counters are the run's counters so far (Aggregator.Totals).
	Counters Counters
}

// ProgressMode is how progress is shown.
type ProgressMode uint8

// The modes.
const (
	ProgressOff   ProgressMode = iota // --quiet
	ProgressLine                      // a terminal: one line rewritten in place
	ProgressPlain                     // a file or pipe: a plain line now and then
)

// ProgressModeFor picks the mode for writing to f.
func ProgressModeFor(f *os.File, quiet bool) ProgressMode {
	switch {
	case quiet:
		return ProgressOff
	case IsTerminal(f):
		return ProgressLine
	}
	return ProgressPlain
}

// ProgressWriter renders Progress values. Call Update as often as you
// like (every 200 ms suits a terminal); in plain mode it writes one line
// per PlainEvery of run time, so a CI log is not flooded. Not safe for
// concurrent use: one goroutine drives it.
type ProgressWriter struct {
	w    io.Writer
	mode ProgressMode
	// PlainEvery is the run time between plain lines; zero means 10 s.
	PlainEvery time.Duration

	prev      Progress // the last update, for the rate
	lastPlain time.Duration
	started   bool
	rate      float64
}

// NewProgressWriter returns a writer of progress to w in mode.
func NewProgressWriter(w io.Writer, mode ProgressMode) *ProgressWriter {
	return &ProgressWriter{w: w, mode: mode}
}

// Update shows p.
func (pw *ProgressWriter) Update(p Progress) {
	if dt := (p.Elapsed - pw.prev.Elapsed).Seconds(); dt > 0 {
		// Iterations per second over the last update interval: what the
		// generator achieves now, not a run-long average.
		pw.rate = float64(p.Counters.Get(metrics.Iterations)-pw.prev.Counters.Get(metrics.Iterations)) / dt
	}
	pw.prev = p
	switch pw.mode {
	case ProgressLine:
		fmt.Fprintf(pw.w, "\r\x1b[K%s", progressLine(p, pw.rate))
		pw.started = true
	case ProgressPlain:
		every := pw.PlainEvery
		if every <= 0 {
			every = 10 * time.Second
		}
		if pw.started && p.Elapsed-pw.lastPlain < every {
			return
		}
		pw.started, pw.lastPlain = true, p.Elapsed
		fmt.Fprintln(pw.w, progressLine(p, pw.rate))
	}
}

// Done ends the live line, so that the summary starts on a clean line.
func (pw *ProgressWriter) Done() {
	if pw.mode == ProgressLine && pw.started {
		fmt.Fprint(pw.w, "\r\x1b[K")
	}
}

// progressLine is one line, within 80 columns for runs of hours and
// thousands of VUs: "01:20/05:00 VUs 40/50 it 2000 100/s ok 4000 rej 0 lost 0
// err 0" — ok / rej / lost are the acks (lost: timed out).
func progressLine(p Progress, rate float64) string {
	var b strings.Builder
	b.WriteString(clock(p.Elapsed))
	if p.Planned > 0 {
		b.WriteString("/" + clock(p.Planned))
	}
	c := p.Counters
	fmt.Fprintf(&b, " VUs %d/%d it %s %s/s ok %s rej %s lost %s err %s",
		p.VUs, p.MaxVUs, formatCount(c.Get(metrics.Iterations)), formatRate(rate),
		formatCount(c.Get(metrics.AcksOK)), formatCount(c.Get(metrics.AcksRejected)),
		formatCount(c.Get(metrics.AcksTimeout)), formatCount(c.TotalErrors()))
	return b.String()
}

// clock shows a run time as mm:ss, or h:mm:ss from an hour on.
func clock(d time.Duration) string {
	if d < 0 {
		return "-" + clock(-d)
	}
	s := int64(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// Totals returns the run's counters so far, summed over workloads, for
// the progress line.
func (a *Aggregator) Totals() Counters {
	c := newCounters()
	a.do(func(st *state) {
		for _, t := range st.tallies {
			c.add(Counters{N: t.counters, Errors: t.errors})
		}
	})
	return c
}
