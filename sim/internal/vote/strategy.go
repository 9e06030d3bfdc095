package vote

import (
	"strconv"
	"strings"
)

// Strategy is a quorum strategy by its wire name, as sent in
// set-quorum-strategy's strategy field and a voting configuration's
// strategy.
type Strategy string

// The four strategies of the reference [W]. Each is judged on the
// authenticators that responded, never on those that stayed silent.
const (
	// Unanimous passes when 100 % of the responding authenticators said yes.
	Unanimous Strategy = "unanimous"
	// Consensus passes on a strict majority (> 50 %) of responding yes.
	Consensus Strategy = "consensus"
	// Affirmative passes on at least one yes, whatever the no votes.
	Affirmative Strategy = "affirmative"
	// MinimumPercentage passes when at least P % of responding said yes.
	MinimumPercentage Strategy = "minimum_percentage"
)

// Strategies lists every strategy in the order retrieve-strategy shows
// them as availableStrategies.
func Strategies() []Strategy {
	return []Strategy{Unanimous, Consensus, Affirmative, MinimumPercentage}
}

// canonicalPercentage is the strategy_params value the reference documents
// for each fixed strategy (100 / 51 / 1); minimum_percentage has none.
func canonicalPercentage(s Strategy) (int, bool) {
	switch s {
	case Unanimous:
		return 100, true
	case Consensus:
		return 51, true
	case Affirmative:
		return 1, true
	}
	return 0, false
}

// ParseStrategy reads a strategy's wire name (surrounding spaces ignored,
// case significant as on the wire). An unknown name is a *FieldError with
// key voting.unknown_strategy.
func ParseStrategy(name string) (Strategy, error) {
	s := Strategy(strings.TrimSpace(name))
	for _, known := range Strategies() {
		if s == known {
			return s, nil
		}
	}
	if s == "" {
		return "", fieldError("strategy", KeyRequired, "a strategy is required")
	}
	return "", fieldError("strategy", KeyUnknownStrategy,
		"unknown strategy "+strconv.Quote(string(s))+
			" (unanimous, consensus, affirmative or minimum_percentage)")
}

// Rule is a strategy with its percentage: what decides whether the
// responding authenticators approved. The zero Rule is invalid; build one
// with NewRule or ParseRule.
type Rule struct {
	Strategy Strategy
	// Percentage is strategy_params / percentageRequired, 0–100. For the
	// three fixed strategies it is their canonical value (100, 51, 1),
	// whatever the caller sent: the strategy, not the number, decides.
	Percentage int
}

// NewRule validates a strategy and percentage. The percentage must lie in
// 0–100 for every strategy; for unanimous, consensus and affirmative it is
// then replaced by the canonical value, so that a caller echoing
// strategy_params sees what actually applies.
func NewRule(s Strategy, percentage int) (Rule, error) {
	if _, err := ParseStrategy(string(s)); err != nil {
		return Rule{}, err
	}
	if percentage < 0 || percentage > 100 {
		return Rule{}, fieldError("strategy_params", KeyPercentageRange,
			"percentage "+strconv.Itoa(percentage)+" is outside 0–100")
	}
	if canonical, fixed := canonicalPercentage(s); fixed {
		percentage = canonical
	}
	return Rule{Strategy: s, Percentage: percentage}, nil
}

// ParseRule reads the wire pair (strategy, strategy_params) of
// set-quorum-strategy; the JSON percentageRequired of a voting
// configuration goes through the same path as its decimal string. An empty
// params takes the canonical value of a fixed strategy and is an error for
// minimum_percentage, which has no sensible default.
func ParseRule(strategy, params string) (Rule, error) {
	s, err := ParseStrategy(strategy)
	if err != nil {
		return Rule{}, err
	}
	params = strings.TrimSpace(params)
	if params == "" {
		canonical, fixed := canonicalPercentage(s)
		if !fixed {
			return Rule{}, fieldError("strategy_params", KeyRequired,
				"minimum_percentage needs a percentage (0–100)")
		}
		return Rule{Strategy: s, Percentage: canonical}, nil
	}
	p, err := strconv.Atoi(params)
	if err != nil {
		return Rule{}, fieldError("strategy_params", KeyInteger,
			"percentage "+strconv.Quote(params)+" is not an integer")
	}
	return NewRule(s, p)
}

// Params returns the percentage as the decimal string strategy_params
// carries on the wire.
func (r Rule) Params() string { return strconv.Itoa(r.Percentage) }

// String reads like the wire pair, for logs and failure messages.
func (r Rule) String() string { return string(r.Strategy) + "(" + r.Params() + ")" }

// Holds reports whether yes approvals out of responding ballots satisfy
// the rule. It does not look at the quorum; callers check responding ≥
// quorum first, so responding is at least 1 here. Integer arithmetic
// throughout, so 2 of 3 against 67 % is exact (200 < 201), not a float
// that rounds.
//
//	unanimous           yes = responding            (100 % of responding)
//	consensus           2·yes > responding          (strict majority, > 50 %)
//	affirmative         yes ≥ 1
//	minimum_percentage  100·yes ≥ P·responding      (≥ P %)
func (r Rule) Holds(yes, responding int) bool {
	switch r.Strategy {
	case Unanimous:
		return yes == responding
	case Consensus:
		return 2*yes > responding
	case Affirmative:
		return yes >= 1
	case MinimumPercentage:
		return 100*yes >= r.Percentage*responding
	}
	return false
}
