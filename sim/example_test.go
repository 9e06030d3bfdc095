package sim_test

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pcflow/pcflow/sim"
)

// ExampleStart registers a profile on a simulator over loopback and polls
// its command until it resolves.
func ExampleStart() {
	srv, err := sim.Start(sim.Options{AckLatency: sim.Latency{Min: 5 * time.Millisecond, Max: 5 * time.Millisecond}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	resp, err := http.PostForm(srv.URLs().API+"/profile/register-profile", url.Values{"username": {"alice"}, "password": {"secret"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := strings.Trim(string(body), `[]"`)
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Dpt-Cab-Id") == id)
	for range 100 {
		resp, err = http.Post(srv.URLs().API+"/request-status/"+id, "application/json", strings.NewReader("{}"))
		if err != nil {
			fmt.Println(err)
			return
		}
		status, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(status) != `["started"]` {
			fmt.Println(string(status))
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	fmt.Println(srv.Stats().Operations["register-profile"].Commands)
	// Output:
	// 202 true
	// ["succeeded"]
	// 1
}

func ExampleParseLatency() {
	l, _ := sim.ParseLatency("2ms..20ms")
	fmt.Println(l.Min, l.Max)
	_, err := sim.ParseLatency("fast")
	fmt.Println(err)
	// Output:
	// 2ms 20ms
	// sim: latency "fast": want a duration like 5ms or a range like 2ms..20ms
}

// ExampleRegisterFlags registers the simulator's knobs with the load
// engine's "sim-" prefix and reads them back as Options.
func ExampleRegisterFlags() {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	f := sim.RegisterFlags(fs, "sim-", sim.ListenFree)
	if err := fs.Parse([]string{"--sim-ack-latency", "2ms..20ms", "--sim-reject-rate", "0.1"}); err != nil {
		panic(err)
	}
	opts, err := f.Options()
	fmt.Println(opts.AckLatency.Min, opts.AckLatency.Max, opts.RejectRate, err)
	_, err = sim.RegisterFlags(flag.NewFlagSet("x", flag.ContinueOnError), "sim-", sim.ListenFree).Options()
	fmt.Println(err)
	// Output:
	// 2ms 20ms 0.1 <nil>
	// <nil>
}
