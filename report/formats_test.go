package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func TestJUnitLoadGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, synthResult(t, 3, 3000, time.Minute)); err != nil {
		t.Fatal(err)
	}
	golden(t, "golden-junit-load.xml", b.Bytes())
	var parsed junitSuites
	if err := xml.Unmarshal(b.Bytes(), &parsed); err != nil || parsed.Failures != 2 || parsed.Tests != 5 {
		t.Errorf("parsed %+v, %v; want 5 tests, 2 failures", parsed, err)
	}
}

func TestJUnitTestsGolden(t *testing.T) {
	suites := []TestSuite{{
		Name: "store-and-retrieve", File: "scenarios/store.yaml", StartedAt: t0, Duration: 1500 * time.Millisecond,
		Cases: []TestCase{
			{Workload: "main", Step: "register", Kind: "register", Pos: "scenarios/store.yaml:12:5", Duration: 40 * time.Millisecond},
			{Workload: "main", Step: "upload", Kind: "upload", Pos: "scenarios/store.yaml:20:5", Duration: 1200 * time.Millisecond,
				Failure: &TestFailure{ErrorKind: "ack_rejected", Message: "expected command-status ok, got rejected (data_token.not_found)",
					Diagnosis: "POST /data-token/upload\n→ 202 {\"commandId\":\"c-1\"}\n← X-DPT-CAB-ID c-1 command_status 3 <b>&</b>"}},
			{Workload: "main", Step: "download", Kind: "download", Pos: "scenarios/store.yaml:28:5", Skipped: true},
		},
	}}
	var b bytes.Buffer
	if err := WriteJUnitTests(&b, suites); err != nil {
		t.Fatal(err)
	}
	golden(t, "golden-junit-test.xml", b.Bytes())
	var parsed junitSuites
	if err := xml.Unmarshal(b.Bytes(), &parsed); err != nil {
		t.Fatal(err)
	}
	if f := parsed.Suites[0].Cases[1].Failure; f == nil || !strings.Contains(f.Text, "command_status 3 <b>&</b>") {
		t.Errorf("the diagnosis did not survive XML: %+v", f)
	}
}

func TestCSVGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, synthResult(t, 4, 200, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	golden(t, "series.csv", b.Bytes())
}

func TestParseOutput(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{{"json=r.json", true}, {"html=-", true}, {"pdf=x", false}, {"json", false}, {"json=", false}} {
		if _, err := ParseOutput(c.in); (err == nil) != c.ok {
			t.Errorf("ParseOutput(%q) err = %v; want ok=%v", c.in, err, c.ok)
		}
	}
}
