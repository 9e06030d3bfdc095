package sim

import (
	"cmp"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/pcflow/pcflow/sim/internal/vote"
)

// maxConfigDevices bounds deviceIdentifiers of one configuration.
const maxConfigDevices = 1000

// votingConfigRoutes are A9–A12, with the guide's create path.
func votingConfigRoutes() []route {
	const base = "/verified-authenticator/voting-configuration/"
	return []route{
		{"POST", base + "register", "register-voting-configuration", authToken, (*Server).registerVotingConfig},
		{"POST", "/voting-configuration/create", "register-voting-configuration", authToken, (*Server).registerVotingConfig},
		{"POST", base + "update", "update-voting-configuration", authToken, (*Server).updateVotingConfig},
		{"GET", base + "list", "list-voting-configurations", authToken, (*Server).listVotingConfigs},
		{"GET", base + "retrieve/{name}", "retrieve-voting-configuration", authToken, (*Server).retrieveVotingConfig},
	}
}

// configInput is the parsed body of A9/A10; zero fields were absent.
type configInput struct {
	name, strategy, percentage string
	timeLimit                  time.Duration
	devices                    []string
	hasDevices                 bool
}

// readConfig reads A9/A10's fields; required says whether strategy and
// timeLimit must be present (register) or may be left out (update).
func (f *fields) readConfig(required bool) configInput {
	in := configInput{name: f.str("name", true, maxUsernameLen)}
	in.strategy = f.str("strategy", required, maxFieldLen)
	in.percentage = f.optional("percentageRequired", 8)
	if secs := f.integer("timeLimit", required, 1, int64(vote.MaxTimeLimit/time.Second), 0); secs > 0 {
		in.timeLimit = time.Duration(secs) * time.Second
	}
	in.devices, in.hasDevices = f.strList("deviceIdentifiers", maxConfigDevices)
	return in
}

// mergeRule checks strategy and percentageRequired; for an update with
// no strategy it keeps old's, with the new percentage if one was sent, and
// a strategy sent without a percentage keeps old's percentage when the
// strategy is unchanged.
func mergeRule(in configInput, old vote.Rule) (vote.Rule, error) {
	if in.strategy == "" && in.percentage == "" {
		return old, nil
	}
	strategy, percentage := in.strategy, in.percentage
	if strategy == "" {
		strategy = string(old.Strategy)
	}
	if percentage == "" && vote.Strategy(strategy) == old.Strategy {
		percentage = old.Params()
	}
	return vote.ParseRule(strategy, percentage)
}

// registerVotingConfig is A9: JSON ([P][W]) or the guide's form; the name
// must be unique and every listed device must exist.
func (s *Server) registerVotingConfig(c *call) {
	f := c.fields()
	in := f.readConfig(true)
	var rule vote.Rule
	if len(f.errs) == 0 {
		var err error
		rule, err = mergeRule(in, vote.Rule{})
		f.voteError(err, map[string]string{"strategy_params": "percentageRequired"})
	}
	if !f.ok() {
		return
	}
	s.acceptOnHoldings(c, func(id string, h *holdings) outcome {
		switch {
		case h.configs[in.name] != nil:
			return rejected("voting_configuration.name_taken")
		case len(h.configs) >= maxConfigsPerProfile:
			return rejected("voting_configuration.too_many")
		}
		if missing := h.missingDevice(in.devices); missing {
			return rejected("device.not_found")
		}
		h.configs[in.name] = &votingConfig{id: id, name: in.name, rule: rule, timeLimit: in.timeLimit,
			devices: in.devices, createdAt: s.clock.Now(), seq: h.next()}
		return succeeded()
	})
}

// updateVotingConfig is A10 (PROPOSED): name identifies the
// configuration; any other field sent replaces the stored one. A strategy
// change is checked against the stored percentage when none is sent, so a
// switch to minimum_percentage without percentageRequired is rejected
// (voting_configuration.percentage_required).
func (s *Server) updateVotingConfig(c *call) {
	f := c.fields()
	in := f.readConfig(false)
	if in.strategy != "" && len(f.errs) == 0 {
		_, err := vote.ParseStrategy(in.strategy)
		f.voteError(err, nil)
	}
	if !f.ok() {
		return
	}
	s.acceptOnHoldings(c, func(_ string, h *holdings) outcome {
		vc := h.configs[in.name]
		if vc == nil {
			return rejected("voting_configuration.not_found")
		}
		rule, err := mergeRule(in, vc.rule)
		switch {
		case err != nil:
			return rejected("voting_configuration.percentage_required")
		case in.hasDevices && h.missingDevice(in.devices):
			return rejected("device.not_found")
		}
		vc.rule = rule
		if in.timeLimit > 0 {
			vc.timeLimit = in.timeLimit
		}
		if in.hasDevices {
			vc.devices = in.devices
		}
		return succeeded()
	})
}

// listVotingConfigs is A11 (PROPOSED): every configuration, oldest first.
func (s *Server) listVotingConfigs(c *call) {
	var out []map[string]any
	c.profile.inHoldings(func(h *holdings) {
		vcs := slices.Collect(maps.Values(h.configs))
		slices.SortFunc(vcs, func(a, b *votingConfig) int { return cmp.Compare(a.seq, b.seq) })
		out = make([]map[string]any, 0, len(vcs))
		for _, vc := range vcs {
			out = append(out, vc.view())
		}
	})
	writeJSON(c.w, http.StatusOK, out)
}

// retrieveVotingConfig is A12 (PROPOSED): by name (or id).
func (s *Server) retrieveVotingConfig(c *call) {
	var view map[string]any
	c.profile.inHoldings(func(h *holdings) {
		if vc := h.config(c.r.PathValue("name")); vc != nil {
			view = vc.view()
		}
	})
	if view == nil {
		writeError(c.w, http.StatusNotFound, "voting_configuration.not_found")
		return
	}
	writeJSON(c.w, http.StatusOK, view)
}
