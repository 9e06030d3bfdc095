package sim

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"github.com/pcflow/pcflow/sim/internal/vote"
)

// holdings is what a profile owns beyond its data: devices, voting
// defaults, voting configurations, policies and pools. It lives in
// profile.held and is guarded by profile.mu; own() makes its maps on
// first use so that newProfile needs no change.
type holdings struct {
	devices   map[string]*device
	byCommand map[string]*device // V1 command id → device, for V2
	seq       uint64
	voting    votingDefaults
	configs   map[string]*votingConfig // by name
	policies  []*policy                // registration order
	pools     map[string]*poolRecord   // by pool id
	ended     []string                 // ended pool ids, oldest first, for eviction
}

// inHoldings runs f on p's holdings under p.mu: the one way into them,
// so that no handler locks a profile by hand. f must not block, publish
// or take another profile's lock; what must happen after unlocking (a
// pool handing over its command's outcome) f returns to its caller.
func (p *profile) inHoldings(f func(h *holdings)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p.own())
}

// deviceList is the records of p's devices that keep, oldest first.
func (p *profile) deviceList(keep func(*device) bool) (list []map[string]any) {
	p.inHoldings(func(h *holdings) { list = h.devicesWhere(keep) })
	return list
}

// hasStorageDevice reports whether p has a device with the storage role
// (Options.RequireStorageDevice).
func (p *profile) hasStorageDevice() (found bool) {
	p.inHoldings(func(h *holdings) {
		for _, d := range h.devices {
			found = found || d.storage
		}
	})
	return found
}

// own returns p's holdings, made on first use. Callers hold p.mu.
func (p *profile) own() *holdings {
	h := &p.held
	if h.devices == nil {
		h.devices, h.byCommand = map[string]*device{}, map[string]*device{}
		h.configs, h.pools = map[string]*votingConfig{}, map[string]*poolRecord{}
		h.voting = defaultVoting()
	}
	return h
}

// acceptOnHoldings is acceptWithID for a command that works on the
// caller's holdings: resolve runs inside inHoldings.
func (s *Server) acceptOnHoldings(c *call, resolve func(id string, h *holdings) outcome) command {
	p := c.profile
	return s.acceptWithID(c.w, p, c.op, func(id string) (o outcome) {
		p.inHoldings(func(h *holdings) { o = resolve(id, h) })
		return o
	})
}

// forget drops d and its V1 command mapping.
func (h *holdings) forget(d *device) {
	delete(h.devices, d.id)
	delete(h.byCommand, d.commandID)
}

// next returns the next ordering number of p's records.
func (h *holdings) next() uint64 {
	h.seq++
	return h.seq
}

// devicesWhere lists p's devices that keep, oldest first, as records.
func (h *holdings) devicesWhere(keep func(*device) bool) []map[string]any {
	var ds []*device
	for _, d := range h.devices {
		if keep(d) {
			ds = append(ds, d)
		}
	}
	slices.SortFunc(ds, func(a, b *device) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]map[string]any, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.view())
	}
	return out
}

// Device states (PROPOSED enum of the reference, §2.6). A rejected device

// Device states (PROPOSED enum of the reference, §2.6). A rejected device
// is discarded, so only these two are ever stored.
const (
	devicePending  = "pending"
	deviceApproved = "approved"
)

// device is one device of a profile: a phone or server that may store
// data, vote as an authenticator, or both ([W]; the guides' "one role at a
// time" is contradicted by the site and not enforced).
type device struct {
	id, name      string
	commandID     string // the V1 command that made it, for V2
	status        string
	storage       bool
	authenticator bool
	meta          map[string]string
	amqpPassword  string // the per-device credential of V7, made at approval
	createdAt     time.Time
	seq           uint64 // orders listings
}

// view is the device record of V3/S2/A2 (PROPOSED shape).
func (d *device) view() map[string]any {
	roles := []string{}
	if d.storage {
		roles = append(roles, "storage")
	}
	if d.authenticator {
		roles = append(roles, "authenticator")
	}
	return map[string]any{"deviceIdentifier": d.id, "name": d.name, "roles": roles,
		"status": d.status, "meta": maps.Clone(d.meta), "createdAt": timestamp(d.createdAt)}
}

// votingDefaults are a profile's voting settings (A3–A7); every pool
// takes its quorum and attempt limit from them, and its strategy and time
// limit too unless a voting configuration overrides them [W].
type votingDefaults struct {
	rule      vote.Rule
	quorum    int
	timeLimit time.Duration
	attempts  int
}

// defaultVoting is A3's PROPOSED example: unanimous, quorum 1, 300 s, one attempt.
func defaultVoting() votingDefaults {
	rule, _ := vote.ParseRule(string(vote.Unanimous), "")
	return votingDefaults{rule: rule, quorum: 1, timeLimit: 300 * time.Second, attempts: 1}
}
