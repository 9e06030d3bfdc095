package privicore

import (
	"context"
	"net/url"
)

// Health is U1's answer.
type Health struct {
	Status string // "ok" when the body says so; "" when the body is not JSON
	Timing
}

// CheckServerHealth is U1: GET /health, public.
func (c *Client) CheckServerHealth(ctx context.Context) (Health, error) {
	res, err := c.do(ctx, &Request{Op: "check-server-health", Method: "GET", Path: "/health"})
	if err != nil {
		return Health{}, err
	}
	var body struct {
		Status string `json:"status"`
	}
	_ = decodeJSON("check-server-health", res.body, &body) // the probe asserts only 200
	return Health{Status: body.Status, Timing: res.timing}, nil
}

// CommandState is U2's answer: the status word of a command.
type CommandState struct {
	CommandID string
	// State is the server's word: "started" while running, then
	// "succeeded" or "rejected" (the vocabulary is not fully recorded).
	State string
	Timing
}

// Succeeded reports a terminal success word.
func (s CommandState) Succeeded() bool {
	switch s.State {
	case "succeeded", "success", "completed", "done":
		return true
	}
	return false
}

// Rejected reports a terminal failure word.
func (s CommandState) Rejected() bool {
	switch s.State {
	case "rejected", "failed", "failure", "error":
		return true
	}
	return false
}

// Terminal reports whether the command has settled.
func (s CommandState) Terminal() bool { return s.Succeeded() || s.Rejected() }

// RequestStatus is U2: POST /request-status/{id} with body {} (the live
// wire). token may be empty: the probe polls a just-registered profile
// without one. A 404 (unknown id) is an *APIError.
func (c *Client) RequestStatus(ctx context.Context, commandID string, token Secret) (CommandState, error) {
	if commandID == "" {
		return CommandState{}, invalid("request-status", "empty command id")
	}
	r := &Request{Op: "request-status", Method: "POST", Path: "/request-status/" + url.PathEscape(commandID),
		JSON: struct{}{}}
	if token != "" {
		r.auth, r.token = authToken, token
	}
	res, err := c.do(ctx, r)
	if err != nil {
		return CommandState{}, err
	}
	word, ok := bareStatus(res.body)
	if !ok {
		return CommandState{}, badBody("request-status", res.body, "no status word")
	}
	return CommandState{CommandID: commandID, State: word, Timing: res.timing}, nil
}
