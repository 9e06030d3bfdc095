package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pcflow/pcflow/sim"
)

const simDescription = `Serves the built-in Privicore simulator standalone: the HTTP API, the
WebSocket proxy and the upstream/downstream stream services, in memory.
It is the server behind pcflow's own tests and demos. Most writes answer
202 with a command id; the outcome arrives on the WebSocket as an
X-DPT-CAB-ID message (command_status 2 done, 3 rejected) or by polling
/request-status/{id}. Knobs inject latency and faults so that a load test
against it teaches something; the same --seed gives the same decisions.

The first line on stdout gives the four URLs:
  pcflow sim: api=http://HOST:PORT ws=ws://HOST:PORT upstream=http://HOST:PORT downstream=http://HOST:PORT
It serves until interrupted (Ctrl-C / SIGTERM), then resolves in-flight
commands and closes sockets with 1001.

Example, by hand:
  pcflow sim --ack-latency 2ms..20ms &
  curl -s -d username=alice -d password=secret http://127.0.0.1:8009/profile/register-profile
      → ["<command id>"]
  curl -s -X POST -H 'Content-Type: application/json' -d '{}' \
      http://127.0.0.1:8009/request-status/<command id>
      → ["succeeded"]
  curl -s -d username=alice -d password=secret http://127.0.0.1:8009/profile/authenticate
      → {"authorizationToken":"T-…","expiresAt":"…"}
Then join on ws://127.0.0.1:8083 with
  {"action":"joinChannel","data":{"authorizationToken":"T-…"}}
and send further requests with the header X-DPT-AUTHORIZATION: T-….`

// simFlags holds the raw flag values that need parsing after fs.parse.
type simFlags struct {
	latency, stall, shape, voteLatency string
	maxStored                          string
	users                              []sim.User
	badUser                            int // 1-based position of the first malformed --user; 0 = none
}

func runSim(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("sim", "sim [flags]", simDescription, std)
	var opts sim.Options
	var raw simFlags
	defineSimFlags(fs, &opts, &raw)
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("sim: unexpected argument %q (see 'pcflow sim --help')", fs.Arg(0))
	}
	if err := finishSimOptions(&opts, raw); err != nil {
		return err
	}
	srv, err := sim.Start(opts)
	if err != nil {
		return err // already "sim: …"
	}
	u := srv.URLs()
	fmt.Fprintf(std.out, "pcflow sim: api=%s ws=%s upstream=%s downstream=%s\n", u.API, u.WS, u.Upstream, u.Downstream)
	<-ctx.Done()
	err = srv.Close()
	fmt.Fprintln(std.err, stoppedLine(srv.Stats()))
	return err
}

// stoppedLine is the last line 'pcflow sim' prints: what it served.
func stoppedLine(st sim.Stats) string {
	f := st.Faults
	faults := f.Rejections + f.DroppedAcks + f.DuplicateAcks + f.HTTPErrors + f.StalledAcks + f.WSDrops
	return fmt.Sprintf("pcflow sim: stopped; %s, %s, %s injected",
		counted(st.Commands, "command"), counted(st.Acks, "ack"), counted(faults, "fault"))
}

// counted is "1 ack" or "N acks".
func counted(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func defineSimFlags(fs *flagSet, o *sim.Options, raw *simFlags) {
	fs.StringVar(&o.APIAddr, "api-addr", "127.0.0.1:8009", "API listen `address` (port 0 = a free port)")
	fs.StringVar(&o.WSAddr, "ws-addr", "127.0.0.1:8083", "WebSocket proxy listen `address`")
	fs.StringVar(&o.UpstreamAddr, "upstream-addr", "127.0.0.1:8010", "upstream (streamed upload) listen `address`")
	fs.StringVar(&o.DownstreamAddr, "downstream-addr", "127.0.0.1:8011", "downstream (download) listen `address`")
	fs.StringVar(&raw.latency, "ack-latency", "0s", "delay before a command is resolved and acked: `D` (5ms) or MIN..MAX (2ms..20ms)")
	fs.Float64Var(&o.RejectRate, "reject-rate", 0, "`fraction` of commands rejected (command_status 3, sim.injected_rejection)")
	fs.Float64Var(&o.DropAckRate, "drop-ack-rate", 0, "`fraction` of acks never sent (request-status still knows the outcome)")
	fs.Float64Var(&o.DuplicateAckRate, "duplicate-ack-rate", 0, "`fraction` of acks sent twice")
	fs.Float64Var(&o.HTTPErrorRate, "http-error-rate", 0, "`fraction` of API requests answered 503")
	fs.DurationVar(&o.WSDropEvery, "ws-drop-every", 0, "drop every joined socket this often, `D` (0 = never)")
	fs.StringVar(&raw.stall, "stall", "", "hold the acks of HOLD out of every EVERY commands, `HOLD/EVERY` (e.g. 1/10)")
	fs.DurationVar(&o.StallFor, "stall-for", 0, "how long a stalled ack is held, `D` (0 = until shutdown)")
	fs.BoolVar(&o.AckBeforeResponse, "ack-before-response", false, "publish the ack before the 202 is written")
	fs.StringVar(&raw.shape, "command-id-shape", "array", "202 body shape: `array|string|object|mixed`")
	userSeen := 0
	// A malformed --user is reported by finishSimOptions, not here: the
	// flag package would quote the value, and with it the password.
	fs.Func("user", "pre-provisioned profile with a registered public key, `NAME:PASSWORD` (repeatable)", func(v string) error {
		userSeen++
		name, pw, ok := strings.Cut(v, ":")
		if (!ok || name == "" || pw == "") && raw.badUser == 0 {
			raw.badUser = userSeen
		}
		raw.users = append(raw.users, sim.User{Name: name, Password: pw})
		return nil
	})
	fs.Int64Var(&o.Seed, "seed", 0, "seed of the fault and latency decisions, `N` (0 = a fixed default)")
	fs.IntVar(&o.InlineThreshold, "inline-threshold", 50<<10, "request-data payloads up to this many `bytes` arrive inline, larger ones streamed")
	fs.IntVar(&o.Workers, "workers", 4, "`N` workers resolving commands")
	fs.DurationVar(&o.IdleTimeout, "idle-timeout", 300*time.Second, "close a socket silent (no frame, no pong) this long, `D`")
	fs.DurationVar(&o.PreJoinBufferTTL, "prejoin-buffer", 10*time.Second, "keep messages for a profile with no joined socket this long, `D` (negative = off)")
	fs.BoolVar(&o.RequirePublicKeyForAuth, "require-public-key-for-auth", false, "authenticate answers 401 until a public key is registered (the guides' order)")
	fs.StringVar(&o.Vote, "vote", "approve", "how virtual authenticators answer ballots: `approve|reject|silent`")
	fs.StringVar(&raw.voteLatency, "vote-latency", "0s", "when a virtual authenticator answers: `D` or MIN..MAX")
	fs.DurationVar(&o.PolicyVisibilityDelay, "policy-visibility-delay", 0, "retrieve-policy answers 404 this long after a policy registered, `D`")
	fs.BoolVar(&o.EmitPendingStatus, "emit-pending", false, "send one command_status 1 (body null) before every command's terminal ack")
	fs.StringVar(&o.Fanout, "fanout", "all", "messages of a profile go to `all|roundrobin` of its joined sockets (roundrobin: one each, in turn)")
	fs.StringVar(&o.OutputTypeMode, "output-type-mode", "guide", "streamed request-data: `guide|site` (guide: token body + STREAM-READY; site: download URL body)")
	fs.BoolVar(&o.RequireStorageDevice, "require-storage-device", false, "exchange of a profile with no storage device acks 3 storage.no_device")
	fs.StringVar(&raw.maxStored, "max-stored-bytes", "1GiB", "bound on the stored ciphertext of all profiles, `SIZE` like 512MiB or 2GiB (-1 = unlimited); beyond, stores are refused")
	fs.IntVar(&o.MaxProfiles, "max-profiles", 1_000_000, "bound on the number of profiles, `N` (-1 = unlimited); beyond, register-profile acks 3")
}

// finishSimOptions parses the flags that need it; a bad value is a usage error.
func finishSimOptions(o *sim.Options, raw simFlags) error {
	var err error
	if raw.badUser > 0 {
		return usagef("sim: --user #%d: want NAME:PASSWORD (the value is not shown: it may hold a password)", raw.badUser)
	}
	if o.AckLatency, err = sim.ParseLatency(raw.latency); err != nil {
		return usagef("sim: --ack-latency %q: want a duration like 5ms or a range like 2ms..20ms", raw.latency)
	}
	if o.VoteLatency, err = sim.ParseLatency(raw.voteLatency); err != nil {
		return usagef("sim: --vote-latency %q: want a duration like 5ms or a range like 2ms..20ms", raw.voteLatency)
	}
	if raw.stall != "" {
		if o.Stall, err = sim.ParseStall(raw.stall); err != nil {
			return usagef("sim: --stall %q: want HOLD/EVERY with 0 <= HOLD <= EVERY, like 1/10", raw.stall)
		}
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"reject-rate", o.RejectRate}, {"drop-ack-rate", o.DropAckRate}, {"duplicate-ack-rate", o.DuplicateAckRate}, {"http-error-rate", o.HTTPErrorRate}} {
		if !(r.v >= 0 && r.v <= 1) {
			return usagef("sim: --%s %v: want a fraction between 0 and 1", r.name, r.v)
		}
	}
	if o.MaxStoredBytes, err = sim.ParseSize(raw.maxStored); err != nil {
		return usagef("sim: --max-stored-bytes %q: want a size like 1048576, 512MiB or 2GiB (-1 = unlimited)", raw.maxStored)
	}
	o.CommandIDShape = raw.shape
	o.Users = raw.users
	if err := o.Validate(); err != nil {
		return usagef("%v (see 'pcflow sim --help')", err)
	}
	return nil
}
