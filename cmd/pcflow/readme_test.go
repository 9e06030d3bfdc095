package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeCommandsWork runs every `go run ./cmd/pcflow …` line of the
// README's shell blocks, as written, in the order the README gives them
// (later lines read the files earlier ones wrote), and requires exit 0 —
// a README that shows a command that fails is a bug. Paths of the
// repository are read from the repository; every file a command writes goes
// to a temporary directory. The background simulator of the curl tour is
// the one line skipped: it serves until interrupted.
func TestReadmeCommandsWork(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the main job twice (about 15 s each)")
	}
	root := filepath.Join("..", "..")
	cmds := readmeCommands(t, filepath.Join(root, "README.md"))
	if len(cmds) < 8 {
		t.Fatalf("found only %d pcflow commands in README.md's shell blocks", len(cmds))
	}
	out := t.TempDir()
	for _, args := range cmds {
		args := localPaths(args, root, out)
		code, stdout, stderr := runCLI(t, args...)
		if code != exitOK {
			t.Fatalf("pcflow %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
		switch args[0] {
		case "run":
			if !strings.Contains(stdout, "p95") || !strings.Contains(stdout, "stop reason: normal · thresholds passed") {
				t.Errorf("pcflow %s: no percentile summary with a passing verdict:\n%s", strings.Join(args, " "), stdout)
			}
		case "test":
			if !strings.Contains(stdout, " passed, 0 failed") {
				t.Errorf("pcflow %s: not every scenario passed:\n%s", strings.Join(args, " "), stdout)
			}
		}
		for _, a := range args {
			if kind, file, ok := strings.Cut(a, "="); ok && !strings.HasPrefix(a, "-") && kind != "" {
				if st, err := os.Stat(file); err != nil || st.Size() == 0 {
					t.Errorf("pcflow %s: %s not written: %v", strings.Join(args, " "), file, err)
				}
			}
		}
	}
}

// readmeCommands returns the arguments of every `go run ./cmd/pcflow`
// line inside ```sh blocks, comments removed.
func readmeCommands(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cmds [][]string
	inSh := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "```sh"):
			inSh = true
		case strings.HasPrefix(line, "```"):
			inSh = false
		case inSh && strings.HasPrefix(line, "go run ./cmd/pcflow "):
			line, _, _ = strings.Cut(line, "#")
			fields := strings.Fields(line)[3:]
			if fields[len(fields)-1] == "&" {
				continue // the background simulator of the curl tour
			}
			cmds = append(cmds, fields)
		}
	}
	return cmds
}

// localPaths points arguments naming files of the repository at the
// repository, and every other file (an output, or an input an earlier
// command wrote) into out.
func localPaths(args []string, root, out string) []string {
	res := make([]string, len(args))
	for i, a := range args {
		res[i] = a
		kind, file, isOut := strings.Cut(a, "=")
		switch {
		case isOut && !strings.HasPrefix(a, "-") && strings.Contains(file, "."):
			res[i] = kind + "=" + filepath.Join(out, file)
		case strings.HasSuffix(a, ".yaml") || strings.HasSuffix(a, "/"):
			res[i] = filepath.Join(root, a)
		case strings.HasSuffix(a, ".json"):
			res[i] = filepath.Join(out, a)
		}
	}
	return res
}
