package steps

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/scenario"
)

// This file renders the catalogue for people: `pcflow steps`, `pcflow
// steps KIND` and the README's step table all come from the declarations,
// so none of them can drift from what runs.

// The categories `pcflow steps` groups kinds under, in its order.
const (
	categoryOperation = "Operations (one Privicore API call each)"
	categoryComposite = "Composites (several operations, as users think of them)"
	categoryGeneric   = "Generic"
)

var categories = []string{categoryComposite, categoryGeneric, categoryOperation}

// WriteList writes every kind with its summary, grouped by category.
func (c *Catalogue) WriteList(w io.Writer) error {
	fmt.Fprintf(w, "Step kinds (%d):\n", len(c.names))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, cat := range categories {
		fmt.Fprintf(tw, "\n%s\n", cat)
		for _, name := range c.names {
			if k := c.kinds[name]; k.category == cat {
				fmt.Fprintf(tw, "  %s\t%s\n", name, k.Summary)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprint(w, "\nRun 'pcflow steps KIND' for a kind's parameters, captures, metrics and an example.\n"+
		"Every step also takes name, expect, capture, check, timeout and if.\n")
	return err
}

// WriteKind writes one kind's reference: parameters (type, required,
// default, meaning), captures, metrics and example.
func (c *Catalogue) WriteKind(w io.Writer, name string) error {
	k, ok := c.kinds[name]
	if !ok {
		return fmt.Errorf("unknown step kind %q%s", name, c.hint(name))
	}
	fmt.Fprintf(w, "%s — %s\n", k.Name, k.Summary)
	if k.Method != "" {
		fmt.Fprintf(w, "wire: %s %s\n", k.Method, k.Path)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "\nParameters:\n")
	if len(k.Params) == 0 {
		fmt.Fprint(tw, "  (none)\n")
	} else {
		fmt.Fprint(tw, "  NAME\tTYPE\tREQUIRED\tDEFAULT\tMEANING\n")
	}
	for _, p := range k.Params {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", p.Name, typeText(p), yesNo(p.Required), orDash(p.Default), p.Doc)
	}
	fmt.Fprint(tw, "\nCaptures:\n")
	if len(k.Captures) == 0 {
		fmt.Fprint(tw, "  (none)\n")
	}
	for _, cp := range k.Captures {
		fmt.Fprintf(tw, "  %s\t%s\n", cp.Name, cp.Doc)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprint(w, "\nMetrics:\n")
	for _, m := range c.metricNames(k) {
		fmt.Fprintf(w, "  %s\n", m)
	}
	_, err := fmt.Fprintf(w, "\nExample:\n%s\n", indentText(k.Example, "  "))
	return err
}

// metricNames lists what a kind emits, as step.KIND.PHASE (a step's
// name: replaces KIND), its inner operations' too.
func (c *Catalogue) metricNames(k *Kind) []string {
	if len(k.Metrics) == 0 {
		return []string{"(none)"}
	}
	var out []string
	if k.Name == "group" {
		out = append(out, "group.NAME (the step's name:, else group)")
	} else {
		out = append(out, "step."+k.Name+"."+strings.Join(k.Metrics, "|"))
	}
	for _, in := range k.Inner {
		phases := []string{metrics.PhaseHTTP, metrics.PhaseTotal}
		if ik, ok := c.kinds[in]; ok {
			phases = ik.Metrics
		}
		out = append(out, "step."+k.Name+"."+in+"."+strings.Join(phases, "|"))
	}
	return out
}

// WriteMarkdownTable writes the README's step table.
func (c *Catalogue) WriteMarkdownTable(w io.Writer) error {
	fmt.Fprint(w, "| kind | what it does | parameters |\n| --- | --- | --- |\n")
	for _, cat := range categories {
		for _, name := range c.names {
			k := c.kinds[name]
			if k.category != cat {
				continue
			}
			var ps []string
			for _, p := range k.Params {
				if p.Required {
					ps = append(ps, "`"+p.Name+"`*")
				} else {
					ps = append(ps, "`"+p.Name+"`")
				}
			}
			if _, err := fmt.Fprintf(w, "| `%s` | %s | %s |\n", name, k.Summary, strings.Join(ps, ", ")); err != nil {
				return err
			}
		}
	}
	return nil
}

func typeText(p scenario.ParamSpec) string {
	switch p.Type {
	case scenario.TypeEnum:
		return strings.Join(p.Enum, "|")
	case scenario.TypeList, scenario.TypeMap:
		return p.Type.String() + " of " + p.Elem.String()
	}
	if p.Secret {
		return p.Type.String() + " (secret)"
	}
	return p.Type.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func indentText(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// hint suggests the nearest kind name for a misspelt one, as the
// scenario loader does (scenario.Suggest).
func (c *Catalogue) hint(name string) string {
	if best := scenario.Suggest(name, c.names); best != "" {
		return "; did you mean " + best + "?"
	}
	return "; 'pcflow steps' lists them"
}
