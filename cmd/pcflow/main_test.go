package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runCLI runs pcflow in-process with args and returns exit code, stdout and
// stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, stdio{out: &out, err: &errOut})
	return code, out.String(), errOut.String()
}

func TestHelpListsEverySubcommand(t *testing.T) {
	code, out, _ := runCLI(t, "--help")
	if code != exitOK {
		t.Fatalf("--help exit code = %d, want 0", code)
	}
	for _, c := range commands() {
		if !strings.Contains(out, "pcflow "+c.name) {
			t.Errorf("--help does not list %q:\n%s", c.name, out)
		}
	}
}

func TestNoArgumentsIsUsageError(t *testing.T) {
	code, _, errOut := runCLI(t)
	if code != exitBadArgs || !strings.Contains(errOut, "Usage:") {
		t.Fatalf("no args: code %d, stderr %q; want 2 and the overview", code, errOut)
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	code, _, errOut := runCLI(t, "nosuch")
	if code != exitBadArgs {
		t.Fatalf("exit code = %d, want 2", code)
	}
	if !strings.Contains(errOut, `unknown command "nosuch"`) || !strings.Contains(errOut, "pcflow run") {
		t.Errorf("stderr should name the command and list the real ones:\n%s", errOut)
	}
}

func TestEverySubcommandHasHelp(t *testing.T) {
	for _, c := range commands() {
		code, out, _ := runCLI(t, c.name, "--help")
		if code != exitOK || !strings.HasPrefix(out, "Usage: pcflow "+c.name) {
			t.Errorf("%s --help: code %d, stdout %q; want 0 and a usage line", c.name, code, out)
		}
	}
}

func TestBadFlagIsUsageError(t *testing.T) {
	code, out, errOut := runCLI(t, "version", "--no-such-flag")
	if code != exitBadArgs {
		t.Fatalf("exit code = %d, want 2", code)
	}
	if !strings.Contains(errOut, "no-such-flag") || !strings.Contains(errOut, "pcflow version --help") {
		t.Errorf("stderr should name the flag and point to --help: %q", errOut)
	}
	if out != "" {
		t.Errorf("a bad flag must not print help to stdout: %q", out)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "pcflow ") {
		t.Fatalf("version: code %d, stdout %q", code, out)
	}
	if code, _, _ := runCLI(t, "version", "extra"); code != exitBadArgs {
		t.Errorf("version with an argument: code %d, want 2", code)
	}
}
