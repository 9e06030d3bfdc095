package sim

import (
	"flag"
	"fmt"
	"strings"
)

// Listen says whether RegisterFlags registers the four listen addresses.
type Listen int

const (
	// ListenFree registers no address flag: every service takes a free
	// loopback port (DefaultAddr), as an embedded simulator should.
	ListenFree Listen = iota
	// ListenDeployment registers api-addr, ws-addr, upstream-addr and
	// downstream-addr, defaulting to the deployment's ports
	// (DeploymentAPIAddr, …), as a standalone simulator should.
	ListenDeployment
)

// Flags is the simulator's knobs registered on a flag.FlagSet by
// RegisterFlags; after the set is parsed, Options reads them.
type Flags struct {
	prefix string
	opts   Options
	// Values that need parsing after fs.Parse.
	latency, voteLatency, stall, maxStored string
	users                                  []User
	badUser                                int // 1-based position of the first malformed user; 0 = none
}

// RegisterFlags registers on fs every knob of pcflow sim, each named
// prefix+name ("" for pcflow sim itself, "sim-" for the load engine's
// embedded simulator: --sim-ack-latency), with the defaults Start uses —
// except the ack latency, which defaults to the reference's 20ms..200ms
// (Options' zero value is instant, for fast tests) — and the usage texts
// of pcflow sim --help. listen says whether the four listen addresses are
// flags too.
//
// Parse fs, then call Options. A value the flag package cannot read
// (--max-profiles many) is fs.Parse's error as usual; every other
// malformed value is reported by Options, never by fs.Parse, because the
// flag package quotes the value it refuses and a --user value holds a
// password.
//
// cmd/pcflow reproduces today's messages of pcflow sim by answering a
// *FlagError as it is and any other error of Options with "(see 'pcflow
// sim --help')" appended, both as usage errors (exit 2):
//
//	f := sim.RegisterFlags(fs.FlagSet, "", sim.ListenDeployment) // pcflow sim
//	f := sim.RegisterFlags(fs.FlagSet, "sim-", sim.ListenFree)   // pcflow run/test
//	…parse…
//	opts, err := f.Options()
//	var fe *sim.FlagError
//	switch {
//	case errors.As(err, &fe):
//		return usagef("%v", err)
//	case err != nil:
//		return usagef("%v (see 'pcflow sim --help')", err)
//	}
func RegisterFlags(fs *flag.FlagSet, prefix string, listen Listen) *Flags {
	f := &Flags{prefix: prefix}
	o := &f.opts
	name := func(n string) string { return prefix + n }
	if listen == ListenDeployment {
		fs.StringVar(&o.APIAddr, name("api-addr"), DeploymentAPIAddr, "API listen `address` (port 0 = a free port)")
		fs.StringVar(&o.WSAddr, name("ws-addr"), DeploymentWSAddr, "WebSocket proxy listen `address`")
		fs.StringVar(&o.UpstreamAddr, name("upstream-addr"), DeploymentUpstreamAddr, "upstream (streamed upload) listen `address`")
		fs.StringVar(&o.DownstreamAddr, name("downstream-addr"), DeploymentDownstreamAddr, "downstream (download) listen `address`")
	}
	f.registerFaults(fs, name)
	f.registerFidelity(fs, name)
	f.registerBounds(fs, name)
	return f
}

// registerFaults registers the latency and fault knobs.
func (f *Flags) registerFaults(fs *flag.FlagSet, name func(string) string) {
	o := &f.opts
	fs.StringVar(&f.latency, name("ack-latency"), DefaultAckLatencyMin.String()+".."+DefaultAckLatencyMax.String(),
		"delay before a command is resolved and acked: `D` (5ms) or MIN..MAX (2ms..20ms); 0s for generator benchmarks")
	fs.Float64Var(&o.RejectRate, name("reject-rate"), 0, "`fraction` of commands rejected (command_status 3, sim.injected_rejection)")
	fs.Float64Var(&o.DropAckRate, name("drop-ack-rate"), 0, "`fraction` of acks never sent (request-status still knows the outcome)")
	fs.Float64Var(&o.DuplicateAckRate, name("duplicate-ack-rate"), 0, "`fraction` of acks sent twice")
	fs.Float64Var(&o.HTTPErrorRate, name("http-error-rate"), 0, "`fraction` of API requests answered 503")
	fs.DurationVar(&o.WSDropEvery, name("ws-drop-every"), 0, "drop every joined socket this often, `D` (0 = never)")
	fs.StringVar(&f.stall, name("stall"), "", "hold acks, `HOLD/EVERY` in counts or durations: 1/10 holds the ack of 1 command in every 10 for --"+name("stall-for")+
		"; 1s/5s lets no ack leave during the first second of every five from the start, and what was held leaves when the window closes")
	fs.DurationVar(&o.StallFor, name("stall-for"), 0, "how long an ack stalled by a count --"+name("stall")+" is held, `D` (0 = until shutdown)")
	fs.BoolVar(&o.AckBeforeResponse, name("ack-before-response"), false, "publish the ack before the 202 is written")
	fs.Int64Var(&o.Seed, name("seed"), 0, "seed of the fault and latency decisions, `N` (0 = a fixed default)")
	fs.StringVar(&o.Vote, name("vote"), VoteApprove, "how virtual authenticators answer ballots: `approve|reject|silent`")
	fs.StringVar(&f.voteLatency, name("vote-latency"), "0s", "when a virtual authenticator answers: `D` or MIN..MAX")
}

// registerFidelity registers the wire readings and the pre-provisioned users.
func (f *Flags) registerFidelity(fs *flag.FlagSet, name func(string) string) {
	o := &f.opts
	fs.StringVar(&o.CommandIDShape, name("command-id-shape"), ShapeArray, "202 body shape: `array|string|object|mixed`")
	seen := 0
	// Never an error here: the flag package would quote the value, and
	// with it the password. Options reports the first malformed one.
	fs.Func(name("user"), "pre-provisioned profile with a registered public key, `NAME:PASSWORD` (repeatable)", func(v string) error {
		seen++
		user, pw, ok := strings.Cut(v, ":")
		if (!ok || user == "" || pw == "") && f.badUser == 0 {
			f.badUser = seen
		}
		f.users = append(f.users, User{Name: user, Password: pw})
		return nil
	})
	fs.BoolVar(&o.RequirePublicKeyForAuth, name("require-public-key-for-auth"), false, "authenticate answers 401 until a public key is registered (the guides' order)")
	fs.BoolVar(&o.StrictRegistration, name("strict-registration"), false, "authenticate answers 401 until register-profile is acked (the guides' order)")
	fs.DurationVar(&o.PolicyVisibilityDelay, name("policy-visibility-delay"), 0, "retrieve-policy answers 404 this long after a policy registered, `D`")
	fs.BoolVar(&o.EmitPendingStatus, name("emit-pending"), false, "send one command_status 1 (body null) before every command's terminal ack")
	fs.StringVar(&o.Fanout, name("fanout"), FanoutAll, "messages of a profile go to `all|roundrobin` of its joined sockets (roundrobin: one each, in turn)")
	fs.StringVar(&o.OutputTypeMode, name("output-type-mode"), OutputTypeGuide, "streamed request-data: `guide|site` (guide: token body + STREAM-READY; site: download URL body)")
	fs.BoolVar(&o.RequireStorageDevice, name("require-storage-device"), false, "exchange of a profile with no storage device acks 3 storage.no_device")
}

// registerBounds registers the sizes, pools and memory bounds.
func (f *Flags) registerBounds(fs *flag.FlagSet, name func(string) string) {
	o := &f.opts
	fs.IntVar(&o.InlineThreshold, name("inline-threshold"), DefaultInlineThreshold, "request-data payloads up to this many `bytes` arrive inline, larger ones streamed")
	fs.IntVar(&o.Workers, name("workers"), DefaultWorkers, "`N` workers resolving commands")
	fs.DurationVar(&o.IdleTimeout, name("idle-timeout"), DefaultIdleTimeout, "close a socket silent (no frame, no pong) this long, `D`")
	fs.DurationVar(&o.PreJoinBufferTTL, name("prejoin-buffer"), DefaultPreJoinBufferTTL, "keep messages for a profile with no joined socket this long, `D` (negative = off)")
	fs.StringVar(&f.maxStored, name("max-stored-bytes"), "1GiB", "bound on the stored ciphertext of all profiles, `SIZE` like 512MiB or 2GiB (-1 = unlimited); beyond, stores are refused")
	fs.IntVar(&o.MaxProfiles, name("max-profiles"), DefaultMaxProfiles, "bound on the number of profiles, `N` (-1 = unlimited); beyond, register-profile acks 3")
	fs.IntVar(&o.MaxConnections, name("max-connections"), DefaultMaxConnections, "bound on open connections, WebSockets included, `N` (-1 = unlimited); beyond, new ones wait")
	fs.IntVar(&o.MaxUploads, name("max-uploads"), DefaultMaxUploads, "bound on uploads read at once, `N` (-1 = unlimited); beyond, an upload answers 503 with Retry-After")
	fs.DurationVar(&o.ReadTimeout, name("read-timeout"), DefaultReadTimeout, "a request must arrive whole within `D` (uploads get at least 10m)")
	fs.DurationVar(&o.JoinTimeout, name("join-timeout"), DefaultJoinTimeout, "close a WebSocket that has not joined a channel within `D`")
}

// FlagError is a flag value that Options could not read. Its message
// names the flag with its prefix ("sim: --sim-stall \"3/2\": …") and, for
// a user, only its position ("--user #2"), never the value.
type FlagError struct {
	Flag string // the flag's name with its prefix, without dashes
	msg  string
}

func (e *FlagError) Error() string { return e.msg }

// Options returns the parsed knobs as Options, validated. It reports the
// first malformed flag value as a *FlagError, in this order: user, ack
// latency, vote latency, stall, the four rates, max stored bytes; then
// every problem Options.Validate finds in the combination, as Validate's
// error (not a *FlagError). Address fields not registered stay "", a free
// loopback port.
func (f *Flags) Options() (Options, error) {
	o := f.opts
	if f.badUser > 0 {
		return Options{}, f.fail("user", "sim: --%s #%d: want NAME:PASSWORD (the value is not shown: it may hold a password)", f.badUser)
	}
	var err error
	if o.AckLatency, err = ParseLatency(f.latency); err != nil {
		return Options{}, f.fail("ack-latency", "sim: --%s %q: want a duration like 5ms or a range like 2ms..20ms", f.latency)
	}
	if o.VoteLatency, err = ParseLatency(f.voteLatency); err != nil {
		return Options{}, f.fail("vote-latency", "sim: --%s %q: want a duration like 5ms or a range like 2ms..20ms", f.voteLatency)
	}
	if f.stall != "" {
		if o.Stall, err = ParseStall(f.stall); err != nil {
			return Options{}, f.fail("stall", "sim: --%s %q: "+stallForms, f.stall)
		}
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"reject-rate", o.RejectRate}, {"drop-ack-rate", o.DropAckRate}, {"duplicate-ack-rate", o.DuplicateAckRate}, {"http-error-rate", o.HTTPErrorRate}} {
		if !(r.v >= 0 && r.v <= 1) {
			return Options{}, f.fail(r.name, "sim: --%s %v: want a fraction between 0 and 1", r.v)
		}
	}
	if o.MaxStoredBytes, err = ParseSize(f.maxStored); err != nil {
		return Options{}, f.fail("max-stored-bytes", "sim: --%s %q: want a size like 1048576, 512MiB or 2GiB (-1 = unlimited)", f.maxStored)
	}
	o.Users = f.users
	if err := o.Validate(); err != nil {
		return Options{}, err
	}
	return o, nil
}

// fail is the *FlagError of flag name; format's first verb is the name.
func (f *Flags) fail(name, format string, arg any) *FlagError {
	full := f.prefix + name
	return &FlagError{Flag: full, msg: fmt.Sprintf(format, full, arg)}
}
