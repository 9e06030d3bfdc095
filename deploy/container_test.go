// Package deploy_test builds the container image of Containerfile when
// buildah is installed (.ci/run installs it), and runs pcflow inside it: the
// image must hold a static binary that starts on an empty base.
package deploy_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestContainerImageBuildsAndRuns(t *testing.T) {
	buildah, err := exec.LookPath("buildah")
	if err != nil {
		t.Skip("buildah is not installed (apt-get install buildah); .ci/run installs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	dir := t.TempDir()
	// The same two commands the Containerfile's comment gives.
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "pcflow"), "../cmd/pcflow")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	src, err := os.ReadFile("../Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Containerfile"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	// vfs storage and chroot isolation work inside an unprivileged sandbox
	// or a CI container, where overlay mounts and namespaces may not.
	store := t.TempDir()
	common := []string{"--root", filepath.Join(store, "root"), "--runroot", filepath.Join(store, "run"), "--storage-driver", "vfs"}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, buildah, append(common, args...)...)
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("buildah %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		return out.String()
	}
	run("bud", "--isolation", "chroot", "-t", "pcflow:test", "-f", "Containerfile", ".")
	ctr := strings.TrimSpace(run("from", "pcflow:test"))
	t.Cleanup(func() {
		exec.Command(buildah, append(common, "rm", "--all")...).Run()
		exec.Command(buildah, append(common, "rmi", "--all", "--force")...).Run()
	})
	got := run("run", "--isolation", "chroot", ctr, "/pcflow", "version")
	if !strings.HasPrefix(got, "pcflow ") {
		t.Fatalf("pcflow version inside the image printed %q", got)
	}
}
