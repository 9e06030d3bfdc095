package main

import (
	"strings"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// simFlags holds the raw flag values that need parsing after fs.parse,
// and the naming of the flags: one definition of every simulator knob
// serves 'pcflow sim' (no prefix) and the simulator that 'pcflow run' and
// 'pcflow test' embed ("sim-" prefix), so the two cannot drift apart.
type simFlags struct {
	// prefix goes before every flag name: "" for 'pcflow sim', "sim-" for
	// the embedded simulator of run and test.
	prefix string
	// cmd is the subcommand named in error messages; "" means "sim".
	cmd string

	latency, stall, shape, voteLatency string
	maxStored                          string
	users                              []sim.User
	badUser                            int // 1-based position of the first malformed --user; 0 = none
}

// simDefaults are the defaults that differ between the standalone
// simulator and the embedded one.
type simDefaults struct {
	api, ws, upstream, downstream string
	ackLatency                    string
}

// defaultsFor: 'pcflow sim' listens on the real deployment's ports and
// acks at once; the embedded simulator takes free loopback ports and acks
// after 20–200 ms, the live wire's spread, so that a first run against it
// shows realistic ack latencies (--sim-ack-latency 0s for benchmarking the
// generator itself).
func (raw *simFlags) defaults() simDefaults {
	if raw.prefix == "" {
		return simDefaults{"127.0.0.1:8009", "127.0.0.1:8083", "127.0.0.1:8010", "127.0.0.1:8011", "0s"}
	}
	free := "127.0.0.1:0"
	return simDefaults{free, free, free, free, "20ms..200ms"}
}

func (raw *simFlags) command() string {
	if raw.cmd == "" {
		return "sim"
	}
	return raw.cmd
}

// defineSimFlags registers every simulator knob on fs, each named
// raw.prefix + its 'pcflow sim' name.
func defineSimFlags(fs *flagSet, o *sim.Options, raw *simFlags) {
	p, def := raw.prefix, raw.defaults()
	fs.StringVar(&o.APIAddr, p+"api-addr", def.api, "API listen `address` (port 0 = a free port)")
	fs.StringVar(&o.WSAddr, p+"ws-addr", def.ws, "WebSocket proxy listen `address`")
	fs.StringVar(&o.UpstreamAddr, p+"upstream-addr", def.upstream, "upstream (streamed upload) listen `address`")
	fs.StringVar(&o.DownstreamAddr, p+"downstream-addr", def.downstream, "downstream (download) listen `address`")
	fs.StringVar(&raw.latency, p+"ack-latency", def.ackLatency, "delay before a command is resolved and acked: `D` (5ms) or MIN..MAX (2ms..20ms)")
	fs.Float64Var(&o.RejectRate, p+"reject-rate", 0, "`fraction` of commands rejected (command_status 3, sim.injected_rejection)")
	fs.Float64Var(&o.DropAckRate, p+"drop-ack-rate", 0, "`fraction` of acks never sent (request-status still knows the outcome)")
	fs.Float64Var(&o.DuplicateAckRate, p+"duplicate-ack-rate", 0, "`fraction` of acks sent twice")
	fs.Float64Var(&o.HTTPErrorRate, p+"http-error-rate", 0, "`fraction` of API requests answered 503")
	fs.DurationVar(&o.WSDropEvery, p+"ws-drop-every", 0, "drop every joined socket this often, `D` (0 = never)")
	fs.StringVar(&raw.stall, p+"stall", "", "hold the acks of HOLD out of every EVERY commands, `HOLD/EVERY` (e.g. 1/10)")
	fs.DurationVar(&o.StallFor, p+"stall-for", 0, "how long a stalled ack is held, `D` (0 = until shutdown)")
	fs.BoolVar(&o.AckBeforeResponse, p+"ack-before-response", false, "publish the ack before the 202 is written")
	fs.StringVar(&raw.shape, p+"command-id-shape", "array", "202 body shape: `array|string|object|mixed`")
	userSeen := 0
	// A malformed --user is reported by finishSimOptions, not here: the
	// flag package would quote the value, and with it the password.
	fs.Func(p+"user", "pre-provisioned profile with a registered public key, `NAME:PASSWORD` (repeatable)", func(v string) error {
		userSeen++
		name, pw, ok := strings.Cut(v, ":")
		if (!ok || name == "" || pw == "") && raw.badUser == 0 {
			raw.badUser = userSeen
		}
		raw.users = append(raw.users, sim.User{Name: name, Password: pw})
		return nil
	})
	fs.Int64Var(&o.Seed, p+"seed", 0, "seed of the fault and latency decisions, `N` (0 = a fixed default)")
	fs.IntVar(&o.InlineThreshold, p+"inline-threshold", 50<<10, "request-data payloads up to this many `bytes` arrive inline, larger ones streamed")
	fs.IntVar(&o.Workers, p+"workers", 4, "`N` workers resolving commands")
	fs.DurationVar(&o.IdleTimeout, p+"idle-timeout", 300*time.Second, "close a socket silent (no frame, no pong) this long, `D`")
	fs.DurationVar(&o.PreJoinBufferTTL, p+"prejoin-buffer", 10*time.Second, "keep messages for a profile with no joined socket this long, `D` (negative = off)")
	fs.BoolVar(&o.RequirePublicKeyForAuth, p+"require-public-key-for-auth", false, "authenticate answers 401 until a public key is registered (the guides' order)")
	fs.StringVar(&o.Vote, p+"vote", "approve", "how virtual authenticators answer ballots: `approve|reject|silent`")
	fs.StringVar(&raw.voteLatency, p+"vote-latency", "0s", "when a virtual authenticator answers: `D` or MIN..MAX")
	fs.DurationVar(&o.PolicyVisibilityDelay, p+"policy-visibility-delay", 0, "retrieve-policy answers 404 this long after a policy registered, `D`")
	fs.BoolVar(&o.EmitPendingStatus, p+"emit-pending", false, "send one command_status 1 (body null) before every command's terminal ack")
	fs.StringVar(&o.Fanout, p+"fanout", "all", "messages of a profile go to `all|roundrobin` of its joined sockets (roundrobin: one each, in turn)")
	fs.StringVar(&o.OutputTypeMode, p+"output-type-mode", "guide", "streamed request-data: `guide|site` (guide: token body + STREAM-READY; site: download URL body)")
	fs.BoolVar(&o.RequireStorageDevice, p+"require-storage-device", false, "exchange of a profile with no storage device acks 3 storage.no_device")
	fs.StringVar(&raw.maxStored, p+"max-stored-bytes", "1GiB", "bound on the stored ciphertext of all profiles, `SIZE` like 512MiB or 2GiB (-1 = unlimited); beyond, stores are refused")
	fs.IntVar(&o.MaxProfiles, p+"max-profiles", 1_000_000, "bound on the number of profiles, `N` (-1 = unlimited); beyond, register-profile acks 3")
}

// finishSimOptions parses the flags that need it; a bad value is a usage
// error naming the flag as the user typed it.
func finishSimOptions(o *sim.Options, raw simFlags) error {
	var err error
	c, p := raw.command(), raw.prefix
	if raw.badUser > 0 {
		return usagef("%s: --%suser #%d: want NAME:PASSWORD (the value is not shown: it may hold a password)", c, p, raw.badUser)
	}
	if o.AckLatency, err = sim.ParseLatency(raw.latency); err != nil {
		return usagef("%s: --%sack-latency %q: want a duration like 5ms or a range like 2ms..20ms", c, p, raw.latency)
	}
	if o.VoteLatency, err = sim.ParseLatency(raw.voteLatency); err != nil {
		return usagef("%s: --%svote-latency %q: want a duration like 5ms or a range like 2ms..20ms", c, p, raw.voteLatency)
	}
	if raw.stall != "" {
		if o.Stall, err = sim.ParseStall(raw.stall); err != nil {
			return usagef("%s: --%sstall %q: want HOLD/EVERY with 0 <= HOLD <= EVERY, like 1/10", c, p, raw.stall)
		}
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"reject-rate", o.RejectRate}, {"drop-ack-rate", o.DropAckRate}, {"duplicate-ack-rate", o.DuplicateAckRate}, {"http-error-rate", o.HTTPErrorRate}} {
		if !(r.v >= 0 && r.v <= 1) {
			return usagef("%s: --%s%s %v: want a fraction between 0 and 1", c, p, r.name, r.v)
		}
	}
	if o.MaxStoredBytes, err = sim.ParseSize(raw.maxStored); err != nil {
		return usagef("%s: --%smax-stored-bytes %q: want a size like 1048576, 512MiB or 2GiB (-1 = unlimited)", c, p, raw.maxStored)
	}
	o.CommandIDShape = raw.shape
	o.Users = raw.users
	if err := o.Validate(); err != nil {
		return usagef("%v (see 'pcflow %s --help')", err, c)
	}
	return nil
}
