package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"
)

// The JUnit XML that Jenkins, GitLab and GitHub test reporters read (the
// Maven Surefire shape): testsuites › testsuite › testcase, a failure
// element with a message attribute and the detail as its text.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	File      string      `xml:"file,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *struct{}     `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"` // CDATA keeps a diagnosis's lines readable in the raw file
}

// TestSuite is one scenario of `pcflow test`: cmd/pcflow fills it from the
// run, converting each engine.StepError into a TestFailure.
type TestSuite struct {
	Name      string // the scenario's name
	File      string // the scenario file
	StartedAt time.Time
	Duration  time.Duration
	Cases     []TestCase
}

// TestCase is one scenario step.
type TestCase struct {
	Workload string
	Step     string // the step's name
	Kind     string // its kind, e.g. "upload"
	Pos      string // FILE:LINE:COL of its declaration
	Duration time.Duration
	Failure  *TestFailure // nil: passed
	Skipped  bool         // not reached: an earlier step failed
}

// TestFailure is why a step failed; its texts are already redacted.
type TestFailure struct {
	ErrorKind string // the metrics.ErrorKind name ("http_4xx", "expect", …)
	Message   string // one line
	Diagnosis string // the request, the response, the awaited message
}

// WriteJUnitTests writes test mode's report: a testcase per scenario step.
func WriteJUnitTests(w io.Writer, suites []TestSuite) error {
	out := junitSuites{Name: "pcflow test"}
	var total time.Duration
	for _, s := range suites {
		js := junitSuite{Name: s.Name, File: s.File, Time: seconds(s.Duration)}
		if !s.StartedAt.IsZero() {
			js.Timestamp = s.StartedAt.UTC().Format("2006-01-02T15:04:05")
		}
		for _, c := range s.Cases {
			jc := junitCase{Name: c.Step + " (" + c.Kind + ")", Classname: s.Name + "." + c.Workload,
				Time: seconds(c.Duration), File: c.Pos}
			switch {
			case c.Failure != nil:
				jc.Failure = &junitFailure{Message: c.Failure.Message, Type: c.Failure.ErrorKind,
					Text: c.Pos + ": " + c.Failure.Message + "\n\n" + c.Failure.Diagnosis}
				js.Failures++
			case c.Skipped:
				jc.Skipped = &struct{}{}
				js.Skipped++
			}
			js.Cases = append(js.Cases, jc)
		}
		js.Tests = len(js.Cases)
		out.Tests += js.Tests
		out.Failures += js.Failures
		total += s.Duration
		out.Suites = append(out.Suites, js)
	}
	out.Time = seconds(total)
	return writeXML(w, out)
}

// WriteJUnit writes load mode's report: a testcase per threshold, failing
// when the threshold failed.
func WriteJUnit(w io.Writer, r *Result) error {
	js := junitSuite{Name: r.Scenario, Time: seconds(r.Duration()),
		Timestamp: r.StartedAt.UTC().Format("2006-01-02T15:04:05")}
	for _, t := range r.Thresholds {
		jc := junitCase{Name: t.Name() + ": " + t.Expr(), Classname: r.Scenario + ".thresholds",
			Time: seconds(r.Duration()), File: t.Threshold.Pos}
		if !t.OK {
			msg := fmt.Sprintf("%s: %s does not hold: observed %s", t.Name(), t.Expr(), t.Value())
			jc.Failure = &junitFailure{Message: msg, Type: "threshold",
				Text: msg + "\nstop reason: " + string(r.StopReason) + "\nsegment: " + r.Segment}
			js.Failures++
		}
		js.Cases = append(js.Cases, jc)
	}
	js.Tests = len(js.Cases)
	return writeXML(w, junitSuites{Name: "pcflow run", Tests: js.Tests, Failures: js.Failures,
		Time: js.Time, Suites: []junitSuite{js}})
}

func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// seconds is JUnit's time: seconds with millisecond precision.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}
