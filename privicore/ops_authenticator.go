package privicore

import (
	"context"
	"net/url"
	"strconv"
)

// RegisterAuthenticator is A1: POST /verified-authenticator/register (async command).
func (s *Session) RegisterAuthenticator(ctx context.Context, deviceID string) (Ack, error) {
	return s.byDevice(ctx, "register-authenticator", "/verified-authenticator/register", deviceID)
}

// ListAuthenticators is A2: GET /verified-authenticator/list (PROPOSED path).
func (s *Session) ListAuthenticators(ctx context.Context) (DeviceList, error) {
	return s.devices(ctx, get("list-authenticators", "/verified-authenticator/list"))
}

// VotingStrategy is A3's answer (PROPOSED shape).
type VotingStrategy struct {
	Strategy            string
	StrategyParams      string
	QuorumSize          int
	TimeLimit           int // seconds
	NumberOfAttempts    int
	AvailableStrategies []string
	Timing
}

// RetrieveVotingStrategy is A3: GET /verified-authenticator/retrieve-strategy.
func (s *Session) RetrieveVotingStrategy(ctx context.Context) (VotingStrategy, error) {
	var w struct {
		Strategy            string     `json:"strategy"`
		StrategyParams      string     `json:"strategy_params"`
		QuorumSize          flexInt    `json:"quorumSize"`
		TimeLimit           flexInt    `json:"timeLimit"`
		NumberOfAttempts    flexInt    `json:"numberOfAttempts"`
		AvailableStrategies StringList `json:"availableStrategies"`
	}
	t, err := s.decodeInto(ctx, get("retrieve-voting-strategy", "/verified-authenticator/retrieve-strategy"), &w)
	return VotingStrategy{Strategy: w.Strategy, StrategyParams: w.StrategyParams, QuorumSize: int(w.QuorumSize),
		TimeLimit: int(w.TimeLimit), NumberOfAttempts: int(w.NumberOfAttempts),
		AvailableStrategies: w.AvailableStrategies, Timing: t}, err
}

// SetQuorumSize is A4: POST /verified-authenticator/set-quorum-size,
// form quorumSize (PROPOSED name; async command).
func (s *Session) SetQuorumSize(ctx context.Context, size int) (Ack, error) {
	const op = "set-quorum-size"
	if size < 1 {
		return Ack{}, invalid(op, "quorum size must be at least 1, got %d", size)
	}
	return s.command(ctx, post(op, "/verified-authenticator/set-quorum-size", form("quorumSize", strconv.Itoa(size))))
}

// SetQuorumStrategy is A5: POST /verified-authenticator/set-quorum-strategy,
// form strategy (unanimous|consensus|affirmative|minimum_percentage) and
// strategy_params (yes-percentage 0–100).
func (s *Session) SetQuorumStrategy(ctx context.Context, strategy string, percent int) (Ack, error) {
	const op = "set-quorum-strategy"
	if err := required(op, "strategy", strategy); err != nil {
		return Ack{}, err
	}
	if percent < 0 || percent > 100 {
		return Ack{}, invalid(op, "strategy_params must be 0..100, got %d", percent)
	}
	f := form("strategy", strategy, "strategy_params", strconv.Itoa(percent))
	return s.command(ctx, post(op, "/verified-authenticator/set-quorum-strategy", f))
}

// SetVotingTimeLimit is A6: POST /verified-authenticator/set-voting-time-limit,
// form timeLimit in seconds.
func (s *Session) SetVotingTimeLimit(ctx context.Context, seconds int) (Ack, error) {
	const op = "set-voting-time-limit"
	if seconds < 1 {
		return Ack{}, invalid(op, "time limit must be at least 1 s, got %d", seconds)
	}
	return s.command(ctx, post(op, "/verified-authenticator/set-voting-time-limit", form("timeLimit", strconv.Itoa(seconds))))
}

// SetMaximumVotingAttempts is A7: POST
// /verified-authenticator/set-maximum-voting-attempts, form numberOfAttempts.
func (s *Session) SetMaximumVotingAttempts(ctx context.Context, attempts int) (Ack, error) {
	const op = "set-maximum-voting-attempts"
	if attempts < 1 {
		return Ack{}, invalid(op, "attempts must be at least 1, got %d", attempts)
	}
	return s.command(ctx, post(op, "/verified-authenticator/set-maximum-voting-attempts",
		form("numberOfAttempts", strconv.Itoa(attempts))))
}

// RemoveAuthenticator is A8: POST /verified-authenticator/remove (async command).
func (s *Session) RemoveAuthenticator(ctx context.Context, deviceID string) (Ack, error) {
	return s.byDevice(ctx, "remove-authenticator", "/verified-authenticator/remove", deviceID)
}

// VotingConfiguration is A9/A10's JSON body and A11/A12's record.
type VotingConfiguration struct {
	ID                 string   `json:"id,omitempty"`                 // set by the server; never sent
	Name               string   `json:"name"`                         // required; policies link it by name
	Strategy           string   `json:"strategy,omitempty"`           // unanimous|consensus|affirmative|minimum_percentage
	TimeLimit          int      `json:"timeLimit,omitempty"`          // seconds; 0 is not sent (register requires it)
	PercentageRequired *int     `json:"percentageRequired,omitempty"` // minimum_percentage only; nil is not sent
	DeviceIdentifiers  []string `json:"deviceIdentifiers"`            // nil or empty = all authenticators
	CreatedAt          string   `json:"createdAt,omitempty"`          // set by the server; never sent
}

func (v VotingConfiguration) body() VotingConfiguration {
	if v.DeviceIdentifiers == nil {
		v.DeviceIdentifiers = []string{}
	}
	v.ID, v.CreatedAt = "", ""
	return v
}

// RegisterVotingConfiguration is A9: POST
// /verified-authenticator/voting-configuration/register (JSON; async command).
func (s *Session) RegisterVotingConfiguration(ctx context.Context, v VotingConfiguration) (Ack, error) {
	const op = "register-voting-configuration"
	if err := required(op, "name", v.Name, "strategy", v.Strategy); err != nil {
		return Ack{}, err
	}
	if v.TimeLimit < 1 {
		return Ack{}, invalid(op, "timeLimit must be at least 1 s")
	}
	return s.command(ctx, postJSON(op, "/verified-authenticator/voting-configuration/register", v.body()))
}

// UpdateVotingConfiguration is A10: POST
// /verified-authenticator/voting-configuration/update (JSON; PROPOSED).
func (s *Session) UpdateVotingConfiguration(ctx context.Context, v VotingConfiguration) (Ack, error) {
	const op = "update-voting-configuration"
	if err := required(op, "name", v.Name); err != nil {
		return Ack{}, err
	}
	return s.command(ctx, postJSON(op, "/verified-authenticator/voting-configuration/update", v.body()))
}

// VotingConfigurationList is A11's answer.
type VotingConfigurationList struct {
	Configurations []VotingConfiguration
	Timing
}

// ListVotingConfigurations is A11: GET
// /verified-authenticator/voting-configuration/list (PROPOSED).
func (s *Session) ListVotingConfigurations(ctx context.Context) (VotingConfigurationList, error) {
	configs, t, err := list[VotingConfiguration](ctx, s, get("list-voting-configurations", "/verified-authenticator/voting-configuration/list"))
	return VotingConfigurationList{Configurations: configs, Timing: t}, err
}

// VotingConfigurationRecord is A12's answer.
type VotingConfigurationRecord struct {
	VotingConfiguration
	Timing
}

// RetrieveVotingConfiguration is A12: GET
// /verified-authenticator/voting-configuration/retrieve/{name} (PROPOSED).
func (s *Session) RetrieveVotingConfiguration(ctx context.Context, name string) (VotingConfigurationRecord, error) {
	const op = "retrieve-voting-configuration"
	if err := required(op, "name", name); err != nil {
		return VotingConfigurationRecord{}, err
	}
	var v VotingConfiguration
	t, err := s.decodeInto(ctx, get(op, "/verified-authenticator/voting-configuration/retrieve/"+url.PathEscape(name)), &v)
	return VotingConfigurationRecord{VotingConfiguration: v, Timing: t}, err
}
