package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestSummaryGolden(t *testing.T) {
	r := synthResult(t, 3, 3000, time.Minute)
	var b bytes.Buffer
	if err := WriteSummary(&b, r, SummaryOptions{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "summary.txt", b.Bytes())
	for i, line := range strings.Split(b.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("line %d is %d columns wide (> 80): %q", i+1, n, line)
		}
	}
	if strings.Contains(b.String(), "\x1b[") {
		t.Error("colour without SummaryOptions.Color")
	}
}

func TestSummaryColour(t *testing.T) {
	r := synthResult(t, 3, 300, time.Minute)
	var b bytes.Buffer
	if err := WriteSummary(&b, r, SummaryOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\x1b[31m✗\x1b[0m") {
		t.Errorf("a failed threshold is not red:\n%s", b.String())
	}
}

func TestUseColorHonoursNoColor(t *testing.T) {
	env := map[string]string{"NO_COLOR": "1"}
	if UseColor(nil, func(k string) string { return env[k] }) {
		t.Error("colour with NO_COLOR set")
	}
	if UseColor(nil, func(string) string { return "" }) {
		t.Error("colour on a nil (non-terminal) file")
	}
}

func TestJSONGolden(t *testing.T) {
	r := synthResult(t, 4, 200, 5*time.Second)
	golden(t, "golden.json", encode(t, r))
}

func TestFormatDuration(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{0, "0"}, {950 * time.Microsecond, "950µs"}, {1234 * time.Microsecond, "1.23ms"},
		{12345 * time.Microsecond, "12.3ms"}, {123456 * time.Microsecond, "123ms"},
		{1234 * time.Millisecond, "1.23s"}, {123 * time.Second, "2m03s"}, {62 * time.Minute, "1h02m"},
		{9999 * time.Microsecond, "10.0ms"},
	}
	for _, c := range cases {
		if got := FormatDuration(c.d); got != c.want {
			t.Errorf("FormatDuration(%v) = %q; want %q", c.d, got, c.want)
		}
	}
}

func TestClipLabelKeepsBothEnds(t *testing.T) {
	a, b := clipLabel("    register-profile", 18), clipLabel("    register-public-key", 18)
	if a == b || len([]rune(a)) != 17 || !strings.HasSuffix(b, "key") || !strings.HasPrefix(a, "    regis") {
		t.Errorf("%q and %q", a, b)
	}
	if got := clipLabel("  upload", 18); got != "  upload" {
		t.Errorf("a short label changed: %q", got)
	}
}
