package privicore_test

import (
	"errors"
	"testing"

	"github.com/pcflow/pcflow/privicore"
)

func TestExtractCommandIDAcceptsAllThreeShapes(t *testing.T) {
	const id = "0196f2a4-5b1c-7e3a-9d10-2f4b6c8e0a11"
	cases := []struct{ why, body string }{
		{"a bare JSON string", `"` + id + `"`},
		{"a single-element array (the simulator's default)", `["` + id + `"]`},
		{"an object with commandId", `{"commandId":"` + id + `"}`},
		{"unquoted text with a trailing newline", id + "\n"},
		{"whitespace around the array", "  [ \"" + id + "\" ]  "},
	}
	for _, c := range cases {
		got, err := privicore.ExtractCommandID([]byte(c.body))
		if err != nil || got != id {
			t.Errorf("%s: got %q, %v", c.why, got, err)
		}
	}
}

func TestExtractCommandIDRefusesBodiesWithoutOne(t *testing.T) {
	for _, body := range []string{"", "  ", "null", "true", "[]", "[null]", `{}`, `{"commandId":""}`, `[1]`, `{"x":1}`, "null x", `"`} {
		if got, err := privicore.ExtractCommandID([]byte(body)); !errors.Is(err, privicore.ErrNoCommandID) {
			t.Errorf("body %q: got %q, %v; want ErrNoCommandID", body, got, err)
		}
	}
}

func FuzzExtractCommandID(f *testing.F) {
	for _, s := range []string{`["a"]`, `"a"`, `{"commandId":"a"}`, "a", "[", "{"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := privicore.ExtractCommandID(b)
		if err == nil && id == "" {
			t.Fatal("empty id without error")
		}
	})
}

func BenchmarkExtractCommandID(b *testing.B) {
	body := []byte(`["0196f2a4-5b1c-7e3a-9d10-2f4b6c8e0a11"]`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := privicore.ExtractCommandID(body); err != nil {
			b.Fatal(err)
		}
	}
}
