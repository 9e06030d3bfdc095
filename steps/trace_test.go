package steps

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The narrated demo stays readable in 80 columns: every line of a trace,
// long failures included, keeps within traceWidth runes.
func TestTraceLinesFitEightyColumns(t *testing.T) {
	var b strings.Builder
	b.WriteString(columns("vu 12 it 3456  register-authenticator-device (register-authenticator-device)", "12345.6ms FAILED"))
	wrap(&b, detailIndent, "FAILED expect: expected command-status rejected with reason data_token.not_found, got ok after a long wait on the socket that never said anything else")
	b.WriteString(columns(detailIndent+"· exchange-data-for-token", "118.0ms"))
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		// A head line too long for its columns keeps both parts: only
		// then may it pass the width.
		if n := utf8.RuneCountInString(line); n > traceWidth && !strings.HasSuffix(line, "FAILED") {
			t.Errorf("%d columns: %q", n, line)
		}
	}
	if got := columns("vu 1 it 0  upload", "293.6ms ok"); utf8.RuneCountInString(got) != traceWidth+1 {
		t.Errorf("a head line is not right-aligned to %d columns: %q", traceWidth, got)
	}
}
