// Package kubernetes_test checks the shipped Kubernetes manifest: that it
// decodes strictly into the real API types (a misspelt field is an error,
// not silently ignored as kubectl would with a lenient client), and that it
// wires every shard's index into pcflow's --segment flag.
package kubernetes_test

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// documents splits a multi-document YAML file and strictly decodes each
// document into the type its kind names.
func documents(t *testing.T, path string) map[string]any {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for i, doc := range bytes.Split(src, []byte("\n---\n")) {
		var head struct{ Kind string }
		if err := yaml.Unmarshal(doc, &head); err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		var v any
		switch head.Kind {
		case "Job":
			v = &batchv1.Job{}
		case "ConfigMap":
			v = &corev1.ConfigMap{}
		case "PersistentVolumeClaim":
			v = &corev1.PersistentVolumeClaim{}
		default:
			t.Fatalf("document %d: unexpected kind %q", i, head.Kind)
		}
		if err := yaml.UnmarshalStrict(doc, v); err != nil {
			t.Fatalf("document %d (%s) does not decode strictly: %v", i, head.Kind, err)
		}
		out[head.Kind] = v
	}
	return out
}

func TestJobIsAnIndexedShardedRun(t *testing.T) {
	docs := documents(t, "job.yaml")
	job, ok := docs["Job"].(*batchv1.Job)
	if !ok {
		t.Fatal("no Job in job.yaml")
	}
	spec := job.Spec
	if spec.CompletionMode == nil || *spec.CompletionMode != batchv1.IndexedCompletion {
		t.Fatalf("completionMode = %v, want Indexed", spec.CompletionMode)
	}
	if spec.Completions == nil || spec.Parallelism == nil || *spec.Completions != *spec.Parallelism {
		t.Fatalf("completions %v and parallelism %v must be set and equal: the shards are one run", spec.Completions, spec.Parallelism)
	}
	n := *spec.Completions
	if spec.BackoffLimit == nil || *spec.BackoffLimit != 0 {
		t.Error("backoffLimit must be 0: a rerun shard would measure its share twice")
	}
	pod := spec.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("restartPolicy = %q, want Never", pod.RestartPolicy)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("want one container, got %d", len(pod.Containers))
	}
	c := pod.Containers[0]
	args := strings.Join(c.Args, " ")
	if want := fmt.Sprintf("--segment $(JOB_COMPLETION_INDEX)/%d", n); !strings.Contains(args, want) {
		t.Errorf("args %q do not contain %q", args, want)
	}
	if !regexp.MustCompile(`--out json=/results/\S*\$\(JOB_COMPLETION_INDEX\)\S*\.json`).MatchString(args) {
		t.Errorf("args %q: each shard must write its own JSON result under /results", args)
	}
	if c.Args[0] != "run" {
		t.Errorf("first argument %q, want the run subcommand", c.Args[0])
	}
	// $(VAR) in args expands only from variables the container declares.
	var index *corev1.EnvVar
	for i := range c.Env {
		if c.Env[i].Name == "JOB_COMPLETION_INDEX" {
			index = &c.Env[i]
		}
	}
	if index == nil || index.ValueFrom == nil || index.ValueFrom.FieldRef == nil ||
		index.ValueFrom.FieldRef.FieldPath != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Fatalf("JOB_COMPLETION_INDEX must come from the completion-index annotation, got %+v", index)
	}
	mounts := map[string]string{}
	for _, m := range c.VolumeMounts {
		mounts[m.Name] = m.MountPath
	}
	if mounts["results"] != "/results" || mounts["scenario"] != "/scenario" {
		t.Errorf("mounts %v: want the scenario at /scenario and the results at /results", mounts)
	}
	if _, ok := docs["ConfigMap"]; !ok {
		t.Error("the ConfigMap holding the scenario is missing")
	}
	if pvc, ok := docs["PersistentVolumeClaim"].(*corev1.PersistentVolumeClaim); !ok ||
		len(pvc.Spec.AccessModes) != 1 || pvc.Spec.AccessModes[0] != corev1.ReadWriteMany {
		t.Error("the results claim must be ReadWriteMany: shards on different nodes write to it")
	}
}

func TestStrictDecodingCatchesAMisspeltField(t *testing.T) {
	bad := []byte("apiVersion: batch/v1\nkind: Job\nspec:\n  paralelism: 3\n")
	if err := yaml.UnmarshalStrict(bad, &batchv1.Job{}); err == nil {
		t.Fatal("a misspelt field decoded without error: the manifest test would miss typos")
	}
}
