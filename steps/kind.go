package steps

import (
	"context"
	"sort"

	"github.com/pcflow/pcflow/scenario"
)

// Kind is one step kind, declared once: its spec (what the scenario
// checker, `pcflow steps` and the JSON Schema read) and the function that
// runs it. Everything a kind does at run time goes through the *call it
// is handed, so a kind holds no state of its own.
type Kind struct {
	scenario.KindSpec
	// Method and Path name the wire operation for traces and diagnoses
	// ("POST", "/data-token/reserve-token-space"); "" for kinds that are
	// not one HTTP operation.
	Method, Path string
	// Session says the kind needs the VU's session (opened by onboard or
	// authenticate); the program refuses to run it without one.
	Session  bool
	run      runFunc
	category string // for `pcflow steps`, set by Builtin
}

// runFunc runs one step. It reports what happened through c (timing,
// status, command id, captures) and returns the client's error unchanged,
// so that classify sees privicore's typed errors.
type runFunc func(ctx context.Context, c *call) error

// Catalogue is the registry of step kinds. It implements
// scenario.Catalogue. It is immutable once built and safe for concurrent
// use.
type Catalogue struct {
	kinds map[string]*Kind
	names []string
}

// Builtin returns the catalogue of every kind pcflow knows. Each call
// builds a fresh value: there is no package-level registry.
func Builtin() *Catalogue {
	c := &Catalogue{kinds: map[string]*Kind{}}
	operations := [][]*Kind{
		utilityKinds(), profileKinds(), oauthKinds(), publicKeyKinds(),
		dataTokenKinds(), requestDataKinds(), deviceKinds(), storageKinds(),
		authenticatorKinds(), policyKinds(), votingKinds(), channelKinds(),
	}
	for _, group := range operations {
		c.addAll(categoryOperation, group)
	}
	c.addAll(categoryComposite, compositeKinds())
	c.addAll(categoryGeneric, genericKinds())
	sort.Strings(c.names)
	return c
}

func (c *Catalogue) addAll(category string, kinds []*Kind) {
	for _, k := range kinds {
		k.category = category
		c.add(k)
	}
}

// add registers k; a name declared twice is a programming error caught
// by the catalogue test, so the second declaration simply loses.
func (c *Catalogue) add(k *Kind) {
	if _, dup := c.kinds[k.Name]; dup {
		return
	}
	c.kinds[k.Name] = k
	c.names = append(c.names, k.Name)
}

// Kind returns the spec of the named kind (scenario.Catalogue).
func (c *Catalogue) Kind(name string) (*scenario.KindSpec, bool) {
	k, ok := c.kinds[name]
	if !ok {
		return nil, false
	}
	return &k.KindSpec, true
}

// Kinds returns every kind's name, sorted (scenario.Catalogue).
func (c *Catalogue) Kinds() []string { return append([]string(nil), c.names...) }

// Lookup returns the whole declaration of a kind, for `pcflow steps`.
func (c *Catalogue) Lookup(name string) (*Kind, bool) {
	k, ok := c.kinds[name]
	return k, ok
}

// compositeKinds are the steps that chain several operations.
func compositeKinds() []*Kind {
	return []*Kind{onboardKind(), uploadKind(), downloadKind(),
		registerAuthenticatorDeviceKind(), gateWithVoteKind(), voteKind()}
}
