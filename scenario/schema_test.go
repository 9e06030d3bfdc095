package scenario_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/pcflow/pcflow/scenario"
)

// compileSchema compiles Schema(cat) with a real JSON Schema validator:
// the schema itself must be valid draft 2020-12.
func compileSchema(t *testing.T, cat scenario.Catalogue) *jsonschema.Schema {
	t.Helper()
	raw, err := scenario.Schema(cat)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("scenario.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("scenario.schema.json")
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return sch
}

// yamlAsJSON decodes YAML the way an editor's language server does:
// into JSON values.
func yamlAsJSON(t *testing.T, src []byte) (any, bool) {
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil || v == nil {
		return nil, false
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	return out, err == nil
}

func TestSchemaAcceptsEveryExample(t *testing.T) {
	sch := compileSchema(t, newTestCatalogue())
	files, _ := filepath.Glob("testdata/*.yaml")
	if len(files) == 0 {
		t.Fatal("no testdata scenarios")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v, ok := yamlAsJSON(t, src)
		if !ok {
			t.Fatalf("%s: not JSON-able YAML", f)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// structural are the broken cases whose mistake is in the shape of the
// file — what a schema can see; the others need the loader (scopes,
// files, metrics, value ranges inside strings).
var structural = []string{
	"unknown-top-key", "unknown-kind", "unknown-param", "unknown-param-no-near", "unknown-expect-key",
	"wrong-type-mapping", "wrong-type-bool", "wrong-type-int", "wrong-type-list", "missing-required",
	"threshold-shape", "threshold-abort-key", "bad-duration", "bad-size", "bad-rate", "executor-foreign-field",
	"unknown-executor", "missing-executor", "vus-too-many", "vus-negative", "vus-overflow", "csv-pick",
	"not-a-mapping", "scalar-file", "constant-vus-no-duration", "stages-empty", "stage-no-target", "two-kinds",
	"no-kind", "no-steps", "workloads-and-steps", "workload-unknown-key", "bad-enum", "no-shorthand",
	"secret-not-printed", "bad-timeout", "expect-status-range", "many-at-once", "threshold-op", "threshold-stat",
}

func TestSchemaRejectsStructuralMistakes(t *testing.T) {
	sch := compileSchema(t, newTestCatalogue())
	for _, c := range brokenCases {
		if !slices.Contains(structural, c.name) {
			continue
		}
		v, ok := yamlAsJSON(t, []byte(c.src))
		if !ok {
			t.Errorf("%s: not JSON-able YAML", c.name)
			continue
		}
		if err := sch.Validate(v); err == nil {
			t.Errorf("%s (%s): the schema accepts it", c.name, c.why)
		}
	}
}
