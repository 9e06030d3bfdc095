package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// pcflow schema prints a schema that a real validator compiles, and that
// accepts the example scenarios with the real catalogue's kinds.
func TestSchemaAcceptsTheExamples(t *testing.T) {
	code, out, errOut := runCLI(t, "schema")
	if code != exitOK {
		t.Fatalf("schema: exit %d: %s", code, errOut)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(out)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("s.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("s.json")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../../scenario/testdata/*.yaml")
	more, _ := filepath.Glob("../../scenarios/*.yaml")
	for _, f := range append(append(files, more...), "testdata/validate/good.yaml") {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := yaml.Unmarshal(src, &v); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(v)
		jv, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(jv); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
