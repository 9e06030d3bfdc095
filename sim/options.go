package sim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pcflow/pcflow/sim/internal/vote"
)

// Options configures a simulator. The zero value is a fault-free simulator
// on free loopback ports that acks every command as soon as a worker takes it.
type Options struct {
	// APIAddr, WSAddr, UpstreamAddr and DownstreamAddr are the listen
	// addresses of the four services; "" means "127.0.0.1:0" (a free port).
	APIAddr, WSAddr, UpstreamAddr, DownstreamAddr string

	AckLatency       Latency       // zero → ack as soon as a worker takes the command
	RejectRate       float64       // fraction of commands resolved with command_status 3 ("sim.injected_rejection")
	DropAckRate      float64       // fraction of acks never sent (the outcome is still kept for request-status)
	DuplicateAckRate float64       // fraction of acks sent twice
	HTTPErrorRate    float64       // fraction of API requests answered 503 before doing anything
	WSDropEvery      time.Duration // close every joined socket this often (0 = never)
	// Stall holds acks (zero = none), in one of two forms (see Stall): by
	// count, the acks of Hold out of every Every commands stay "started"
	// for StallFor, then resolve normally; in time, no ack leaves during
	// the first HoldFor of every Period counted from Start, and what was
	// held leaves when the window closes (the server freezes).
	Stall Stall
	// StallFor is how long an ack stalled by count is held; 0 → until
	// Close, which reports it as rejected with reason "sim.shutting_down".
	// The time form has its own end (the window's) and takes no StallFor.
	StallFor          time.Duration
	AckBeforeResponse bool   // publish the ack before the 202 is written
	CommandIDShape    string // "array" (default, also ""), "string", "object", "mixed"
	Users             []User // pre-provisioned profiles, each with a registered signed public key
	Seed              int64  // same seed + same requests → same decisions (0 → a fixed default)
	InlineThreshold   int    // request-data payloads up to this many bytes go inline; 0 → 50 KiB

	// Workers is the size of the pool that resolves commands; 0 → 4.
	Workers int
	// IdleTimeout closes a socket that sent nothing (not even a pong) for
	// this long; 0 → 300 s (the reference's proposal).
	IdleTimeout time.Duration
	// PreJoinBufferTTL is how long messages for a profile with no joined
	// socket are kept for its first join; 0 → 10 s; negative → no buffer.
	PreJoinBufferTTL time.Duration
	// ResultTTL is how long a resolved command's outcome stays available
	// to request-status; 0 → 10 minutes.
	ResultTTL time.Duration
	// MaxResults caps the number of kept command outcomes (oldest evicted
	// first); 0 → 200,000 (about 50 MB).
	MaxResults int
	// TokenTTL is the lifetime of an authorization token from authenticate;
	// 0 → 8 hours.
	TokenTTL time.Duration
	// MaxBodyBytes limits an API request body; 0 → 4 MiB. Larger → 413.
	MaxBodyBytes int64
	// MaxUploadBytes limits one upstream upload; 0 → 64 MiB. Larger → 413.
	MaxUploadBytes int64
	// ReadTimeout is how long a client may take to send a request, headers
	// and body, to the API and downstream services (uploads get at least
	// DefaultUploadTimeout); beyond it the connection is closed, so slow
	// senders cannot hold connections for ever. 0 → 30 s.
	ReadTimeout time.Duration
	// JoinTimeout is how long a new WebSocket may go without joining a
	// channel before it is closed with 1008: a socket that never joins
	// receives nothing and only holds a connection. 0 → 60 s.
	JoinTimeout time.Duration
	// MaxConnections bounds the connections open on the four services
	// together, WebSockets included; beyond it new connections wait in
	// the listen backlog until one closes. 0 → 10,000; negative → unlimited.
	MaxConnections int
	// MaxUploads bounds the upstream uploads read at once; beyond, an
	// upload answers 503 "stream.too_many_uploads" with Retry-After: 1
	// without spending its stream token. 0 → 256; negative → unlimited.
	MaxUploads int
	// RequirePublicKeyForAuth reproduces the guides' provisioning order:
	// authenticate answers 401 until the profile registered a public key.
	// false (the live wire, [P]) lets a key-less profile authenticate.
	RequirePublicKeyForAuth bool
	// StrictRegistration reproduces the guides' order: a registering
	// profile answers 401 to authenticate until its register-profile
	// command resolved. false (the live wire: the probe suite authenticates
	// right after the 202) makes it usable as soon as it is accepted; a
	// registration that then ends rejected revokes its tokens.
	StrictRegistration bool

	// Vote is how virtual authenticators answer every ballot: "approve"
	// (also ""), "reject" or "silent" (never; pools then wait for the
	// ballot hook or their time limit). A pool opened with
	// /voting/create?sim-ballots=manual gets no virtual ballots at all.
	Vote string
	// VoteLatency is when a virtual authenticator answers after its ballot
	// was sent; zero → at once.
	VoteLatency Latency
	// PolicyVisibilityDelay is how long retrieve-policy answers 404 after a
	// policy's register command resolved (the live wire is eventually
	// consistent here); 0 → visible at once.
	PolicyVisibilityDelay time.Duration

	// EmitPendingStatus sends one X-DPT-CAB-ID with command_status 1 and
	// a null body before the terminal message of every command (§1.6
	// "optionally emit one command_status: 1 first"), request-data
	// included. Drop and duplicate faults apply to the terminal message
	// only: a dropped command still sends its status 1, a duplicated one
	// sends it once. false: terminal messages only.
	EmitPendingStatus bool
	// Fanout is how a profile's messages reach its joined sockets (§1.9):
	// "all" (also "") gives every socket every message, as [W]'s proxy
	// does; "roundrobin" gives each message to one socket in turn, as a
	// per-profile queue with several consumers would ([A]: an ack may
	// land on a different socket).
	Fanout string
	// OutputTypeMode is the reading of output_type 1 for streamed
	// request-data (§1.9): "guide" (also "") sends the downstream token as
	// body, then STREAM-READY; "site" ([W]) sends the full download URL
	// with ?auth=… as body and no STREAM-READY. Inline payloads are the
	// same in both.
	OutputTypeMode string
	// RequireStorageDevice makes exchange-data-for-token of a profile with
	// no storage device end with ack 3 "storage.no_device" (§2.5 "Storage
	// prerequisite"). Upstream uploads have no command and are not
	// affected. false: no prerequisite.
	RequireStorageDevice bool

	// MaxStoredBytes bounds the stored ciphertext of all profiles together
	// (filled reservations and data tokens, update-data's meta objects and
	// policies' configurations): an exchange, update-data or policy
	// registration beyond it acks 3 "storage.quota_exceeded", an upload
	// beyond it is answered 507. Deleting data or a policy, and a filled
	// reservation expiring, free its bytes. 0 → 1 GiB; negative → unlimited.
	MaxStoredBytes int64
	// Clock is the simulator's time (see Clock); nil → the wall clock.
	// Tests pass a fake one instead of sleeping.
	Clock Clock

	// MaxProfiles bounds the profiles (registered, registering and
	// pre-provisioned): register-profile beyond it answers 202 and acks 3
	// "profile.limit_reached"; nothing is evicted to make room.
	// 0 → 1,000,000; negative → unlimited.
	MaxProfiles int
}

// Virtual authenticator behaviours of Options.Vote.
const (
	VoteApprove = "approve"
	VoteReject  = "reject"
	VoteSilent  = "silent"
)

// virtualVote is the ballot virtual authenticators cast; 0 = silent.
func (o *Options) virtualVote() vote.Vote {
	switch o.Vote {
	case "", VoteApprove:
		return vote.Approve
	case VoteReject:
		return vote.Reject
	}
	return 0
}

// validateVoting checks the voting knobs of o.
func (o Options) validateVoting() error {
	var errs []error
	switch o.Vote {
	case "", VoteApprove, VoteReject, VoteSilent:
	default:
		errs = append(errs, fmt.Errorf("sim: vote %q: want approve, reject or silent", o.Vote))
	}
	if o.PolicyVisibilityDelay < 0 {
		errs = append(errs, fmt.Errorf("sim: policy visibility delay %v: must not be negative", o.PolicyVisibilityDelay))
	}
	return errors.Join(append(errs, o.VoteLatency.validate())...)
}

// Defaults of the Options fields whose zero value means "the default":
// one source for Start and for the command line (RegisterFlags), so that
// --help shows what the simulator does.
const (
	DefaultAddr             = "127.0.0.1:0" // a free loopback port
	DefaultSeed             = 0x5eed
	DefaultInlineThreshold  = 50 << 10
	DefaultWorkers          = 4
	DefaultIdleTimeout      = 300 * time.Second // the reference's proposal
	DefaultPreJoinBufferTTL = 10 * time.Second
	DefaultResultTTL        = 10 * time.Minute
	DefaultMaxResults       = 200_000 // about 50 MB of outcomes
	DefaultTokenTTL         = 8 * time.Hour
	DefaultMaxBodyBytes     = 4 << 20
	DefaultMaxUploadBytes   = 64 << 20
	DefaultMaxStoredBytes   = 1 << 30
	DefaultMaxProfiles      = 1_000_000
	DefaultReadTimeout      = 30 * time.Second
	DefaultJoinTimeout      = 60 * time.Second
	DefaultMaxConnections   = 10_000
	DefaultMaxUploads       = 256
	// DefaultUploadTimeout is the least time an upload may take: 64 MiB at
	// about 1 Mbit/s.
	DefaultUploadTimeout = 10 * time.Minute
)

// The ack latency the flags default to, the reference's recommendation
// (§1.6: 20–200 ms, jittered): a client that subscribes after reading the
// 202 then still sees its ack, as against the live wire. Options' zero
// value stays instant, so that tests are fast.
const (
	DefaultAckLatencyMin = 20 * time.Millisecond
	DefaultAckLatencyMax = 200 * time.Millisecond
)

// The listen addresses of a standalone simulator: the real deployment's
// ports, so that a client configured for it needs no change (pcflow sim).
const (
	DeploymentAPIAddr        = "127.0.0.1:8009"
	DeploymentWSAddr         = "127.0.0.1:8083"
	DeploymentUpstreamAddr   = "127.0.0.1:8010"
	DeploymentDownstreamAddr = "127.0.0.1:8011"
)

// Latency is an ack delay: fixed when Min == Max, else uniform in [Min, Max].
type Latency struct{ Min, Max time.Duration }

// Stall holds acks, by count or in time; set one form, the other zero.
//
// By count (--stall 1/10): the acks of Hold out of every Every commands
// are held, for StallFor or until Close. It delays the same share of
// commands however a client paces them.
//
// In time (--stall 1s/5s): no ack leaves during the first HoldFor of
// every Period, counted on Options.Clock from Start (windows [k·Period,
// k·Period+HoldFor)). A command due inside a window resolves when it
// closes, and so does one that would otherwise ack inside it (a vote
// ended, a worker behind): all that was held leaves at the window's end,
// as from a server frozen for HoldFor, and each is counted once in
// Stats.Faults.StalledAcks. HTTP answers are not held: the 202 of a
// command accepted in a window is written at once, and with
// AckBeforeResponse its ack waits like any other. An open-model load
// test sees every command started in the window wait it out; a closed
// model, whose clients wait for their acks, sends few commands into it —
// the coordinated omission the form exists to show.
type Stall struct {
	Hold, Every     int           // the count form: Hold of every Every commands
	HoldFor, Period time.Duration // the time form: the first HoldFor of every Period
}

// stallForms names the two forms of a stall, for error messages.
const stallForms = "want HOLD/EVERY as counts with 0 <= HOLD <= EVERY (1/10: the acks of 1 command in 10) " +
	"or as durations with 0 < HOLD < EVERY (1s/5s: no ack during the first second of every five)"

// User is a pre-provisioned profile.
type User struct{ Name, Password string }

// Command id shapes of the 202 body (docs/wire.md §1.5).
const (
	ShapeArray  = "array"
	ShapeString = "string"
	ShapeObject = "object"
	ShapeMixed  = "mixed"
)

// Fan-out and output_type modes (§1.9).
const (
	FanoutAll        = "all"
	FanoutRoundRobin = "roundrobin"
	OutputTypeGuide  = "guide"
	OutputTypeSite   = "site"
)

// ParseLatency reads "5ms" (fixed) or "2ms..20ms" (uniform range).
func ParseLatency(s string) (Latency, error) {
	lo, hi, isRange := strings.Cut(strings.TrimSpace(s), "..")
	min, err := time.ParseDuration(strings.TrimSpace(lo))
	if err != nil {
		return Latency{}, fmt.Errorf("sim: latency %q: want a duration like 5ms or a range like 2ms..20ms", s)
	}
	max := min
	if isRange {
		if max, err = time.ParseDuration(strings.TrimSpace(hi)); err != nil {
			return Latency{}, fmt.Errorf("sim: latency %q: want a duration like 5ms or a range like 2ms..20ms", s)
		}
	}
	l := Latency{Min: min, Max: max}
	return l, l.validate()
}

func (l Latency) validate() error {
	if l.Min < 0 || l.Max < l.Min {
		return fmt.Errorf("sim: latency %v..%v: want 0 <= min <= max", l.Min, l.Max)
	}
	return nil
}

// ParseStall reads a stall in either form of HOLD/EVERY: two counts,
// "1/10" (Hold 1, Every 10), or two durations, "1s/5s" (HoldFor 1s,
// Period 5s). See Stall.
func ParseStall(s string) (Stall, error) {
	h, e, ok := strings.Cut(strings.TrimSpace(s), "/")
	h, e = strings.TrimSpace(h), strings.TrimSpace(e)
	hold, err1 := strconv.Atoi(h)
	every, err2 := strconv.Atoi(e)
	if ok && err1 == nil && err2 == nil {
		st := Stall{Hold: hold, Every: every}
		return st, st.validate()
	}
	holdFor, err1 := time.ParseDuration(h)
	period, err2 := time.ParseDuration(e)
	if !ok || err1 != nil || err2 != nil {
		return Stall{}, fmt.Errorf("sim: stall %q: %s", s, stallForms)
	}
	st := Stall{HoldFor: holdFor, Period: period}
	return st, st.validate()
}

// String is st as ParseStall reads it ("" for no stall).
func (st Stall) String() string {
	switch {
	case st == Stall{}:
		return ""
	case st.Hold == 0 && st.Every == 0:
		return st.HoldFor.String() + "/" + st.Period.String()
	}
	return strconv.Itoa(st.Hold) + "/" + strconv.Itoa(st.Every)
}

func (st Stall) validate() error {
	counts, times := st.Hold != 0 || st.Every != 0, st.HoldFor != 0 || st.Period != 0
	switch {
	case counts && times:
		return fmt.Errorf("sim: stall %d/%d and %v/%v: set the count form (Hold, Every) or the time form (HoldFor, Period), not both",
			st.Hold, st.Every, st.HoldFor, st.Period)
	case counts && (st.Hold < 0 || st.Every < 1 || st.Hold > st.Every):
		return fmt.Errorf("sim: stall %d/%d: want 0 <= HOLD <= EVERY and EVERY >= 1", st.Hold, st.Every)
	case times && !(st.HoldFor > 0 && st.HoldFor < st.Period):
		return fmt.Errorf("sim: stall %v/%v: want durations with 0 < HOLD < EVERY, like 1s/5s", st.HoldFor, st.Period)
	}
	return nil
}

// Validate returns every problem of o at once (Start calls it too).
func (o Options) Validate() error {
	var errs []error
	rate := func(name string, v float64) {
		if !(v >= 0 && v <= 1) {
			errs = append(errs, fmt.Errorf("sim: %s %v: want a fraction in [0, 1]", name, v))
		}
	}
	rate("reject rate", o.RejectRate)
	rate("drop-ack rate", o.DropAckRate)
	rate("duplicate-ack rate", o.DuplicateAckRate)
	rate("HTTP error rate", o.HTTPErrorRate)
	errs = append(errs, o.AckLatency.validate(), o.Stall.validate(), o.validateVoting())
	if o.Stall.Period > 0 && o.StallFor != 0 {
		errs = append(errs, fmt.Errorf("sim: stall duration %v with stall %v: a stall in durations ends when its window closes; a stall duration (--stall-for) is for the count form only", o.StallFor, o.Stall))
	}
	switch o.CommandIDShape {
	case "", ShapeArray, ShapeString, ShapeObject, ShapeMixed:
	default:
		errs = append(errs, fmt.Errorf("sim: command id shape %q: want array, string, object or mixed", o.CommandIDShape))
	}
	errs = append(errs, o.validateModes())
	for _, d := range []struct {
		name string
		v    int64
	}{{"ws drop interval", int64(o.WSDropEvery)}, {"stall duration", int64(o.StallFor)},
		{"workers", int64(o.Workers)}, {"inline threshold", int64(o.InlineThreshold)},
		{"idle timeout", int64(o.IdleTimeout)}, {"result TTL", int64(o.ResultTTL)},
		{"max results", int64(o.MaxResults)}, {"token TTL", int64(o.TokenTTL)},
		{"max body bytes", o.MaxBodyBytes}, {"max upload bytes", o.MaxUploadBytes}, {"read timeout", int64(o.ReadTimeout)}, {"join timeout", int64(o.JoinTimeout)}} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("sim: %s %d: must not be negative", d.name, d.v))
		}
	}
	seen := map[string]bool{}
	for i, u := range o.Users {
		if u.Name == "" || u.Password == "" || len(u.Name) > maxUsernameLen || seen[u.Name] {
			errs = append(errs, fmt.Errorf("sim: user %d: want a unique non-empty NAME (at most %d bytes) and a non-empty PASSWORD", i+1, maxUsernameLen))
		}
		seen[u.Name] = true
	}
	return errors.Join(errs...)
}

// validateModes checks the string knobs of fan-out and output_type and
// that the pre-provisioned users fit MaxProfiles.
func (o Options) validateModes() error {
	var errs []error
	switch o.Fanout {
	case "", FanoutAll, FanoutRoundRobin:
	default:
		errs = append(errs, fmt.Errorf("sim: fanout %q: want all or roundrobin", o.Fanout))
	}
	switch o.OutputTypeMode {
	case "", OutputTypeGuide, OutputTypeSite:
	default:
		errs = append(errs, fmt.Errorf("sim: output type mode %q: want guide or site", o.OutputTypeMode))
	}
	if o.MaxProfiles > 0 && len(o.Users) > o.MaxProfiles {
		errs = append(errs, fmt.Errorf("sim: %d users exceed max profiles %d", len(o.Users), o.MaxProfiles))
	}
	return errors.Join(errs...)
}

// withDefaults fills the zero fields with the defaults their docs promise.
func (o Options) withDefaults() Options {
	for _, a := range []*string{&o.APIAddr, &o.WSAddr, &o.UpstreamAddr, &o.DownstreamAddr} {
		setZero(a, DefaultAddr)
	}
	setZero(&o.CommandIDShape, ShapeArray)
	setZero(&o.Seed, DefaultSeed)
	setZero(&o.InlineThreshold, DefaultInlineThreshold)
	setZero(&o.Workers, DefaultWorkers)
	setZero(&o.MaxResults, DefaultMaxResults)
	setZero(&o.IdleTimeout, DefaultIdleTimeout)
	setZero(&o.PreJoinBufferTTL, DefaultPreJoinBufferTTL)
	setZero(&o.ResultTTL, DefaultResultTTL)
	setZero(&o.TokenTTL, DefaultTokenTTL)
	setZero(&o.MaxBodyBytes, DefaultMaxBodyBytes)
	setZero(&o.MaxUploadBytes, DefaultMaxUploadBytes)
	setZero(&o.MaxStoredBytes, DefaultMaxStoredBytes)
	setZero(&o.MaxProfiles, DefaultMaxProfiles)
	setZero(&o.ReadTimeout, DefaultReadTimeout)
	setZero(&o.JoinTimeout, DefaultJoinTimeout)
	setZero(&o.MaxConnections, DefaultMaxConnections)
	setZero(&o.MaxUploads, DefaultMaxUploads)
	setZero(&o.Fanout, FanoutAll)
	setZero(&o.OutputTypeMode, OutputTypeGuide)
	if o.Clock == nil {
		o.Clock = wallClock{}
	}
	return o
}

// setZero sets *p to def when *p is its type's zero value.
func setZero[T comparable](p *T, def T) {
	var zero T
	if *p == zero {
		*p = def
	}
}
