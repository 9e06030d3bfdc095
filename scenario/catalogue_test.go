package scenario_test

import (
	"slices"

	"github.com/pcflow/pcflow/scenario"
)

// testCatalogue is a small stand-in for steps.Builtin(): a few kinds of
// every parameter type, enough to exercise the generic checker and to
// validate SCENARIO-FORMAT.md's examples.
type testCatalogue map[string]*scenario.KindSpec

func (c testCatalogue) Kind(name string) (*scenario.KindSpec, bool) {
	k, ok := c[name]
	return k, ok
}

func (c testCatalogue) Kinds() []string {
	out := make([]string, 0, len(c))
	for k := range c {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func newTestCatalogue() testCatalogue {
	async := []string{"http", "ack", "total"}
	kinds := []*scenario.KindSpec{
		{Name: "sleep", Shorthand: "duration", Params: []scenario.ParamSpec{
			{Name: "duration", Type: scenario.TypeRange, Required: true, Doc: "how long: 1s or 200ms..800ms"}}},
		{Name: "group", Metrics: []string{"total"}, Params: []scenario.ParamSpec{
			{Name: "steps", Type: scenario.TypeSteps, Required: true}}},
		{Name: "repeat", Params: []scenario.ParamSpec{
			{Name: "count", Type: scenario.TypeInt},
			{Name: "while", Type: scenario.TypeExpr},
			{Name: "max", Type: scenario.TypeInt, Default: "1000"},
			{Name: "steps", Type: scenario.TypeSteps, Required: true}}},
		{Name: "upload", Metrics: async, Inner: []string{"reserve", "store"},
			Captures: []scenario.NameDoc{{Name: "data_token", Doc: "the stored data's token"}},
			Params: []scenario.ParamSpec{
				{Name: "size", Type: scenario.TypeSize, Required: true, Doc: "payload size, like 4KiB"},
				{Name: "mode", Type: scenario.TypeEnum, Enum: []string{"auto", "inline", "stream"}, Default: "auto"}}},
		{Name: "download", Metrics: async, Params: []scenario.ParamSpec{
			{Name: "token", Type: scenario.TypeString, Required: true},
			{Name: "verify", Type: scenario.TypeBool, Default: "true"}}},
		{Name: "onboard", Metrics: async, Captures: []scenario.NameDoc{{Name: "username"}},
			Params: []scenario.ParamSpec{
				{Name: "username", Type: scenario.TypeString},
				{Name: "password", Type: scenario.TypeString, Secret: true}}},
		{Name: "http", Metrics: async, Params: []scenario.ParamSpec{
			{Name: "method", Type: scenario.TypeEnum, Enum: []string{"GET", "POST", "PUT", "DELETE"}, Default: "GET"},
			{Name: "path", Type: scenario.TypeString, Required: true},
			{Name: "json", Type: scenario.TypeAny},
			{Name: "headers", Type: scenario.TypeMap},
			{Name: "tags", Type: scenario.TypeList},
			{Name: "ttl", Type: scenario.TypeInt},
			{Name: "ratio", Type: scenario.TypeFloat},
			{Name: "wait", Type: scenario.TypeDuration},
			{Name: "await", Type: scenario.TypeEnum, Enum: []string{"none", "ack", "request"}, Default: "none"}}},
		{Name: "check-server-health", Metrics: []string{"http"}},
		{Name: "list-data-tokens", Metrics: []string{"http"}},
		{Name: "revoke-authorization-token", Metrics: async},
	}
	c := testCatalogue{}
	for _, k := range kinds {
		c[k.Name] = k
	}
	return c
}
