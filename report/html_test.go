package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func htmlOf(t testing.TB, r *Result) []byte {
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestHTMLGolden(t *testing.T) {
	page := htmlOf(t, synthResult(t, 3, 3000, time.Minute))
	golden(t, "golden.html", page)
	for _, bad := range []string{"http://", "https://", "src=", "@import", "url("} {
		if bytes.Contains(page, []byte(bad)) {
			t.Errorf("the page refers outside itself (%q): it must open offline", bad)
		}
	}
	if n := bytes.Count(page, []byte(`class="chart"`)); n != 7 {
		t.Errorf("%d charts; want 7 (throughput, 3 step latencies + iteration, spectrum, split)", n)
	}
}

// TestHTMLWrite writes the synthetic report to $PCFLOW_HTML_OUT for a look
// in a browser; it is skipped unless that is set.
func TestHTMLWrite(t *testing.T) {
	out := os.Getenv("PCFLOW_HTML_OUT")
	if out == "" {
		t.Skip("PCFLOW_HTML_OUT not set")
	}
	if err := os.WriteFile(filepath.Clean(out), htmlOf(t, synthResult(t, 3, 30000, 10*time.Minute)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A run that measured nothing (stopped at once) still renders everything,
// each chart saying it has no data.
func TestRenderersOnAnEmptyRun(t *testing.T) {
	a := NewAggregator(Options{Thresholds: synthThresholds()})
	a.Close()
	r := a.Snapshot(RunFacts{Scenario: "s", StartedAt: t0, StopReason: "error"})
	for _, kind := range Kinds() {
		var b bytes.Buffer
		if err := Render(&b, kind, r); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
		if kind == "html" && !bytes.Contains(b.Bytes(), []byte(`class="empty"`)) {
			t.Error("the empty HTML charts do not say so")
		}
	}
	if !r.Passed() {
		t.Error("thresholds without data failed") // k6's rule: no data, no verdict against the run
	}
}
