package main

import (
	"context"
	"fmt"

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

func runSim(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("sim", "sim [flags]", simDescription, std)
	knobs := defineSimKnobs(fs, "sim")
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("sim: unexpected argument %q (see 'pcflow sim --help')", fs.Arg(0))
	}
	opts, err := knobs.options()
	if err != nil {
		return err
	}
	srv, err := sim.Start(opts)
	if err != nil {
		return err // already "sim: …"
	}
	fmt.Fprintln(std.out, srv.URLs().Line())
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
