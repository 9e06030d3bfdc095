package vote

import (
	"errors"
	"testing"
)

func TestParseRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		why              string
		strategy, params string
		want             Rule
		wantKey          string // empty: no error
	}{
		{"unanimous with its documented params 100", "unanimous", "100", Rule{Unanimous, 100}, ""},
		{"unanimous without params takes 100", "unanimous", "", Rule{Unanimous, 100}, ""},
		{"consensus with its documented params 51", "consensus", "51", Rule{Consensus, 51}, ""},
		{"consensus with another in-range number still means > 50 %", "consensus", "70", Rule{Consensus, 51}, ""},
		{"affirmative with its documented params 1", "affirmative", "1", Rule{Affirmative, 1}, ""},
		{"minimum_percentage keeps the caller's 75", "minimum_percentage", "75", Rule{MinimumPercentage, 75}, ""},
		{"minimum_percentage 0 is the lower bound", "minimum_percentage", "0", Rule{MinimumPercentage, 0}, ""},
		{"minimum_percentage 100 is the upper bound", "minimum_percentage", "100", Rule{MinimumPercentage, 100}, ""},
		{"spaces around the wire values are ignored", " minimum_percentage ", " 67 ", Rule{MinimumPercentage, 67}, ""},
		{"minimum_percentage needs a percentage", "minimum_percentage", "", Rule{}, KeyRequired},
		{"101 % is out of range", "minimum_percentage", "101", Rule{}, KeyPercentageRange},
		{"a negative percentage is out of range", "minimum_percentage", "-1", Rule{}, KeyPercentageRange},
		{"a fixed strategy still range-checks its params", "unanimous", "150", Rule{}, KeyPercentageRange},
		{"a decimal percentage is not an integer", "minimum_percentage", "66.7", Rule{}, KeyInteger},
		{"a word is not a percentage", "consensus", "most", Rule{}, KeyInteger},
		{"an unknown strategy is refused", "majority", "51", Rule{}, KeyUnknownStrategy},
		{"wire names are case-sensitive", "Unanimous", "100", Rule{}, KeyUnknownStrategy},
		{"a missing strategy is refused", "", "", Rule{}, KeyRequired},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			got, err := ParseRule(tt.strategy, tt.params)
			if tt.wantKey == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ParseRule(%q, %q) = %v, %v; want %v", tt.strategy, tt.params, got, err, tt.want)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Key != tt.wantKey {
				t.Fatalf("ParseRule(%q, %q) error = %v; want key %s", tt.strategy, tt.params, err, tt.wantKey)
			}
		})
	}
}

func TestRuleParamsRoundTrip(t *testing.T) {
	t.Parallel()
	for _, s := range Strategies() {
		r, err := ParseRule(string(s), "67")
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseRule(string(r.Strategy), r.Params())
		if err != nil || back != r {
			t.Errorf("%v: Params %q reads back as %v, %v", r, r.Params(), back, err)
		}
	}
}

func TestHolds(t *testing.T) {
	t.Parallel()
	rule := func(s Strategy, p int) Rule { r, _ := NewRule(s, p); return r }
	tests := []struct {
		why             string
		rule            Rule
		yes, responding int
		want            bool
	}{
		{"unanimous: every responder said yes", rule(Unanimous, 100), 3, 3, true},
		{"unanimous: one no among three breaks it", rule(Unanimous, 100), 2, 3, false},
		{"unanimous: a single yes responder is 100 %", rule(Unanimous, 100), 1, 1, true},
		{"consensus: 2 of 4 is exactly 50 %, not a majority", rule(Consensus, 51), 2, 4, false},
		{"consensus: 3 of 4 is a majority", rule(Consensus, 51), 3, 4, true},
		{"consensus: 1 of 2 is a tie", rule(Consensus, 51), 1, 2, false},
		{"consensus: 2 of 3 is a majority", rule(Consensus, 51), 2, 3, true},
		{"consensus: 101 of 200 is > 50 % though < 51 %", rule(Consensus, 51), 101, 200, true},
		{"affirmative: one yes among many no passes", rule(Affirmative, 1), 1, 9, true},
		{"affirmative: no yes at all fails", rule(Affirmative, 1), 0, 5, false},
		{"minimum 67 %: 2 of 3 is 66.67 % and fails", rule(MinimumPercentage, 67), 2, 3, false},
		{"minimum 66 %: 2 of 3 is 66.67 % and passes", rule(MinimumPercentage, 66), 2, 3, true},
		{"minimum 75 %: 3 of 4 is exactly 75 % and passes", rule(MinimumPercentage, 75), 3, 4, true},
		{"minimum 75 %: 2 of 3 falls short", rule(MinimumPercentage, 75), 2, 3, false},
		{"minimum 100 %: behaves like unanimous", rule(MinimumPercentage, 100), 4, 5, false},
		{"minimum 0 %: any responses pass, even all no", rule(MinimumPercentage, 0), 0, 3, true},
		{"minimum 1 %: 1 of 100 passes", rule(MinimumPercentage, 1), 1, 100, true},
		{"minimum 1 %: 0 of 100 fails", rule(MinimumPercentage, 1), 0, 100, false},
		{"the zero Rule never holds", Rule{}, 3, 3, false},
	}
	for _, tt := range tests {
		if got := tt.rule.Holds(tt.yes, tt.responding); got != tt.want {
			t.Errorf("%s: %v.Holds(%d, %d) = %v", tt.why, tt.rule, tt.yes, tt.responding, got)
		}
	}
}

func TestParseVote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Vote{"approve": Approve, "reject": Reject, " approve ": Approve} {
		if got, err := ParseVote(in); err != nil || got != want {
			t.Errorf("ParseVote(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "yes", "silent", "APPROVE"} {
		var fe *FieldError
		if _, err := ParseVote(in); !errors.As(err, &fe) || fe.Key != KeyUnknownVote {
			t.Errorf("ParseVote(%q) error = %v; want %s", in, err, KeyUnknownVote)
		}
	}
}
