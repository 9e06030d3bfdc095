package privicore

import (
	"context"
	"net/url"
	"time"
)

// VotingParams are VT1's JSON body.
type VotingParams struct {
	VotingConfigurationID    string   `json:"votingConfigurationId"`    // required: the configuration's name
	Question                 string   `json:"question"`                 // required
	Title                    string   `json:"title"`                    // required
	SkipAuthenticatorDevices []string `json:"skipAuthenticatorDevices"` // nil is sent as []
	Nonce                    string   `json:"nonce,omitempty"`          // optional external correlation; "" is not sent
}

// CreateVoting is VT1: POST /voting/create (JSON). The reference proposes an
// async command whose id is also the pool id for CheckPoolStatus; the Ack
// arrives when the poll resolves.
func (s *Session) CreateVoting(ctx context.Context, p VotingParams) (Ack, error) {
	r, err := CreateVotingRequest(p)
	if err != nil {
		return Ack{}, err
	}
	return s.command(ctx, r)
}

// SubmitCreateVoting is VT1 without waiting for the poll to resolve: the
// Pending's CommandID is the pool id.
func (s *Session) SubmitCreateVoting(ctx context.Context, p VotingParams) (*Pending, error) {
	r, err := CreateVotingRequest(p)
	if err != nil {
		return nil, err
	}
	return s.Submit(ctx, r)
}

// CreateVotingRequest builds VT1: POST /voting/create, for Submit (a
// caller may add to it, e.g. a simulator's query parameter).
func CreateVotingRequest(p VotingParams) (Request, error) {
	const op = "create-voting"
	if err := required(op, "votingConfigurationId", p.VotingConfigurationID, "question", p.Question, "title", p.Title); err != nil {
		return Request{}, err
	}
	if p.SkipAuthenticatorDevices == nil {
		p.SkipAuthenticatorDevices = []string{}
	}
	return postJSON(op, "/voting/create", p), nil
}

// Ballots counts a pool's votes.
type Ballots struct {
	Total   int `json:"total"`
	Yes     int `json:"yes"`
	No      int `json:"no"`
	Pending int `json:"pending"`
}

// PoolStatus is VT2's answer (PROPOSED shape).
type PoolStatus struct {
	PoolID    string
	Status    string // pending | succeeded | rejected | expired | cancelled
	Strategy  string
	Attempt   int
	ExpiresAt time.Time
	Ballots   Ballots
	Timing
}

// CheckPoolStatus is VT2: GET /voting/check-pool-status/{poolId}.
func (s *Session) CheckPoolStatus(ctx context.Context, poolID string) (PoolStatus, error) {
	const op = "check-pool-status"
	if err := required(op, "poolId", poolID); err != nil {
		return PoolStatus{}, err
	}
	var w struct {
		PoolID    string  `json:"poolId"`
		Status    string  `json:"status"`
		Strategy  string  `json:"strategy"`
		Attempt   flexInt `json:"attempt"`
		ExpiresAt string  `json:"expiresAt"`
		Ballots   Ballots `json:"ballots"`
	}
	t, err := s.decodeInto(ctx, get(op, "/voting/check-pool-status/"+url.PathEscape(poolID)), &w)
	return PoolStatus{PoolID: w.PoolID, Status: w.Status, Strategy: w.Strategy, Attempt: int(w.Attempt),
		ExpiresAt: parseTime(w.ExpiresAt), Ballots: w.Ballots, Timing: t}, err
}
