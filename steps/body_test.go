package steps

import (
	"reflect"
	"testing"
	"time"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

func TestLowerCamelFollowsTheWire(t *testing.T) {
	for in, want := range map[string]string{"ID": "id", "ProfileID": "profileId", "PoolID": "poolId", "ExpiresAt": "expiresAt",
		"QuorumSize": "quorumSize", "URLPath": "urlPath", "StreamURL": "streamUrl", "Status": "status", "CommandID": "commandId"} {
		if got := lowerCamel(in); got != want {
			t.Errorf("lowerCamel(%q) = %q, want %q", in, got, want)
		}
	}
}

// response.body of an operation kind has the wire's names, times as text,
// secrets redacted and no Timing.
func TestWireView(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	got := wireView(struct {
		PoolID    string
		ExpiresAt time.Time
		Ballots   privicore.Ballots
		Items     []privicore.DataTokenInfo
		Token     privicore.Secret
		Raw       []string `json:"-"`
		hidden    int
		privicore.Timing
	}{PoolID: "p", ExpiresAt: at, Ballots: privicore.Ballots{Total: 3, Yes: 2},
		Items: []privicore.DataTokenInfo{{Token: "dtk-1", FileName: "f", Size: 5}}, Token: "T-secret", hidden: 1})
	want := map[string]any{"poolId": "p", "expiresAt": "2026-12-01T10:00:00Z",
		"ballots": map[string]any{"total": 3, "yes": 2, "no": 0, "pending": 0},
		"items":   []any{map[string]any{"token": "dtk-1", "context": "", "fileName": "f", "extension": "", "size": 5, "createdAt": ""}},
		"token":   "[redacted]"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("wireView\n got %#v\nwant %#v", got, want)
	}
}

// The wire names end to end: checks on list-data-tokens and
// retrieve-profile-id read .fileName and .profileId.
func TestResponseBodyHasWireNames(t *testing.T) {
	tg := startSim(t, sim.Options{})
	scn := parse(t, `
name: wire-names
vu-setup:
  - onboard: {}
steps:
  - upload: {size: 64}
  - list-data-tokens: {}
    check: ["any(response.body, .token == data_token && .size > 0)", "all(response.body, 'fileName' in #)"]
  - retrieve-profile-id: {}
    check: ["response.body.profileId == profile_id", "!('ProfileID' in response.body)"]
`)
	if err := runOnce(t, tg, scn, 1); err != nil {
		t.Fatalf("run: %v\n%s", err, diag(err))
	}
}
