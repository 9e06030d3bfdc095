package report

import "io"

// WriteHTML writes the self-contained HTML report.
func WriteHTML(w io.Writer, r *Result) error {
	_, err := io.WriteString(w, "<!doctype html><title>pcflow</title>")
	return err
}
