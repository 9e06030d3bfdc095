package sim_test

import (
	"errors"
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// parseFlags registers the knobs on a fresh set, parses args and reads them.
func parseFlags(t *testing.T, prefix string, listen sim.Listen, args ...string) (sim.Options, error) {
	t.Helper()
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := sim.RegisterFlags(fs, prefix, listen)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("Parse(%q): %v", args, err)
	}
	return f.Options()
}

// TestFlagDefaultsAreStartDefaults: with no flag given, the options are
// what Start would make of zero options, so that --help tells the truth —
// but for the ack latency, which the command line sets to the
// reference's 20ms..200ms.
func TestFlagDefaultsAreStartDefaults(t *testing.T) {
	t.Parallel()
	o, err := parseFlags(t, "", sim.ListenFree)
	if err != nil {
		t.Fatal(err)
	}
	want := sim.Options{AckLatency: sim.Latency{Min: sim.DefaultAckLatencyMin, Max: sim.DefaultAckLatencyMax},
		CommandIDShape: sim.ShapeArray, Vote: sim.VoteApprove, Fanout: sim.FanoutAll,
		OutputTypeMode: sim.OutputTypeGuide, InlineThreshold: sim.DefaultInlineThreshold, Workers: sim.DefaultWorkers,
		IdleTimeout: sim.DefaultIdleTimeout, PreJoinBufferTTL: sim.DefaultPreJoinBufferTTL,
		MaxStoredBytes: sim.DefaultMaxStoredBytes, MaxProfiles: sim.DefaultMaxProfiles,
		MaxConnections: sim.DefaultMaxConnections, MaxUploads: sim.DefaultMaxUploads, ReadTimeout: sim.DefaultReadTimeout,
		JoinTimeout: sim.DefaultJoinTimeout}
	if !reflect.DeepEqual(o, want) {
		t.Fatalf("defaults\n got %+v\nwant %+v", o, want)
	}
	o, _ = parseFlags(t, "", sim.ListenDeployment)
	if o.APIAddr != sim.DeploymentAPIAddr || o.WSAddr != sim.DeploymentWSAddr ||
		o.UpstreamAddr != sim.DeploymentUpstreamAddr || o.DownstreamAddr != sim.DeploymentDownstreamAddr {
		t.Fatalf("deployment addresses %+v", o)
	}
}

// TestFlagsSetEveryKnob: each flag lands in its field.
func TestFlagsSetEveryKnob(t *testing.T) {
	t.Parallel()
	o, err := parseFlags(t, "sim-", sim.ListenFree, "--sim-ack-latency", "2ms..20ms", "--sim-reject-rate", "0.1",
		"--sim-drop-ack-rate", "0.2", "--sim-duplicate-ack-rate", "0.3", "--sim-http-error-rate", "0.4",
		"--sim-ws-drop-every", "1s", "--sim-stall", "1/10", "--sim-stall-for", "2s", "--sim-ack-before-response",
		"--sim-command-id-shape", "mixed", "--sim-user", "alice:a:b", "--sim-user", "bob:pw", "--sim-seed", "7",
		"--sim-inline-threshold", "9", "--sim-workers", "2", "--sim-idle-timeout", "3s", "--sim-prejoin-buffer", "-1s",
		"--sim-require-public-key-for-auth", "--sim-strict-registration", "--sim-vote", "silent", "--sim-vote-latency", "5ms",
		"--sim-policy-visibility-delay", "4s", "--sim-emit-pending", "--sim-fanout", "roundrobin",
		"--sim-output-type-mode", "site", "--sim-require-storage-device", "--sim-max-stored-bytes", "512MiB",
		"--sim-max-profiles", "-1", "--sim-max-connections", "5", "--sim-max-uploads", "6", "--sim-read-timeout", "7s", "--sim-join-timeout", "8s")
	if err != nil {
		t.Fatal(err)
	}
	want := sim.Options{AckLatency: sim.Latency{Min: 2 * time.Millisecond, Max: 20 * time.Millisecond},
		RejectRate: 0.1, DropAckRate: 0.2, DuplicateAckRate: 0.3, HTTPErrorRate: 0.4, WSDropEvery: time.Second,
		Stall: sim.Stall{Hold: 1, Every: 10}, StallFor: 2 * time.Second, AckBeforeResponse: true,
		CommandIDShape: sim.ShapeMixed, Users: []sim.User{{Name: "alice", Password: "a:b"}, {Name: "bob", Password: "pw"}},
		Seed: 7, InlineThreshold: 9, Workers: 2, IdleTimeout: 3 * time.Second, PreJoinBufferTTL: -time.Second,
		RequirePublicKeyForAuth: true, StrictRegistration: true, Vote: sim.VoteSilent, VoteLatency: sim.Latency{Min: 5 * time.Millisecond, Max: 5 * time.Millisecond},
		PolicyVisibilityDelay: 4 * time.Second, EmitPendingStatus: true, Fanout: sim.FanoutRoundRobin,
		OutputTypeMode: sim.OutputTypeSite, RequireStorageDevice: true, MaxStoredBytes: 512 << 20, MaxProfiles: -1,
		MaxConnections: 5, MaxUploads: 6, ReadTimeout: 7 * time.Second, JoinTimeout: 8 * time.Second}
	if !reflect.DeepEqual(o, want) {
		t.Fatalf("flags\n got %+v\nwant %+v", o, want)
	}
	if o, err := parseFlags(t, "sim-", sim.ListenFree, "--sim-stall", "1s/5s"); err != nil || o.Stall != (sim.Stall{HoldFor: time.Second, Period: 5 * time.Second}) {
		t.Fatalf("--sim-stall 1s/5s: %+v, %v", o.Stall, err)
	}
}

// TestFlagPrefixNamesEveryFlag: an engine's --sim- flags cannot collide
// with its own, and the listen addresses are flags only when asked.
func TestFlagPrefixNamesEveryFlag(t *testing.T) {
	t.Parallel()
	for _, listen := range []sim.Listen{sim.ListenFree, sim.ListenDeployment} {
		fs := flag.NewFlagSet("run", flag.ContinueOnError)
		sim.RegisterFlags(fs, "sim-", listen)
		addrs := 0
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.HasPrefix(f.Name, "sim-") || f.Usage == "" {
				t.Errorf("flag %q (usage %q): want the prefix and a usage text", f.Name, f.Usage)
			}
			if strings.HasSuffix(f.Name, "-addr") {
				addrs++
			}
		})
		if want := map[sim.Listen]int{sim.ListenFree: 0, sim.ListenDeployment: 4}[listen]; addrs != want {
			t.Errorf("listen %d: %d address flags, want %d", listen, addrs, want)
		}
	}
}

// TestFlagErrors: each malformed value is a *FlagError naming the
// prefixed flag, in pcflow sim's words; a bad combination is Validate's.
func TestFlagErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string // the whole message
		flag string // "" = Validate's error, not a *FlagError
	}{
		{[]string{"--x-ack-latency", "fast"}, `sim: --x-ack-latency "fast": want a duration like 5ms or a range like 2ms..20ms`, "x-ack-latency"},
		{[]string{"--x-vote-latency", "soon"}, `sim: --x-vote-latency "soon": want a duration like 5ms or a range like 2ms..20ms`, "x-vote-latency"},
		{[]string{"--x-stall", "3/2"}, `sim: --x-stall "3/2": want HOLD/EVERY as counts with 0 <= HOLD <= EVERY (1/10: the acks of 1 command in 10) or as durations with 0 < HOLD < EVERY (1s/5s: no ack during the first second of every five)`, "x-stall"},
		{[]string{"--x-stall", "5s/1s"}, `sim: --x-stall "5s/1s": want HOLD/EVERY as counts with 0 <= HOLD <= EVERY (1/10: the acks of 1 command in 10) or as durations with 0 < HOLD < EVERY (1s/5s: no ack during the first second of every five)`, "x-stall"},
		{[]string{"--x-stall", "1s/5s", "--x-stall-for", "2s"}, `sim: stall duration 2s with stall 1s/5s: a stall in durations ends when its window closes; a stall duration (--stall-for) is for the count form only`, ""},
		{[]string{"--x-reject-rate", "1.5"}, `sim: --x-reject-rate 1.5: want a fraction between 0 and 1`, "x-reject-rate"},
		{[]string{"--x-http-error-rate", "-1"}, `sim: --x-http-error-rate -1: want a fraction between 0 and 1`, "x-http-error-rate"},
		{[]string{"--x-max-stored-bytes", "lots"}, `sim: --x-max-stored-bytes "lots": want a size like 1048576, 512MiB or 2GiB (-1 = unlimited)`, "x-max-stored-bytes"},
		{[]string{"--x-command-id-shape", "xml"}, `sim: command id shape "xml": want array, string, object or mixed`, ""},
		{[]string{"--x-vote", "maybe", "--x-fanout", "all"}, `sim: vote "maybe": want approve, reject or silent`, ""},
	} {
		_, err := parseFlags(t, "x-", sim.ListenFree, tc.args...)
		var fe *sim.FlagError
		isFlag := errors.As(err, &fe)
		if err == nil || err.Error() != tc.want || isFlag != (tc.flag != "") || (isFlag && fe.Flag != tc.flag) {
			t.Errorf("%q: error %v (flag error %v); want %q on flag %q", tc.args, err, isFlag, tc.want, tc.flag)
		}
	}
}

// TestFlagBadUserHidesPassword: a malformed user is named by position
// only, since its value may hold a password.
func TestFlagBadUserHidesPassword(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"alice=hunter2", ":hunter2", "alice:", "hunter2"} {
		_, err := parseFlags(t, "", sim.ListenFree, "--user", "bob:ok", "--user", v, "--user", "carol")
		want := "sim: --user #2: want NAME:PASSWORD (the value is not shown: it may hold a password)"
		if err == nil || err.Error() != want || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("--user %q: %v; want %q", v, err, want)
		}
	}
}
