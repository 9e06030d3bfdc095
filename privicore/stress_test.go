package privicore_test

import (
	"context"
	"errors"
	"flag"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/sim"
)

// stressFull runs the correlation stress test at full size (100,000 commands).
var stressFull = flag.Bool("stress", false, "run the correlation stress test with 100,000 commands")

// stressOutcome tallies what the callers received.
type stressOutcome struct {
	ok, rejected, misrouted, failed atomic.Int64
}

// TestCorrelationStress drives commands from 200 goroutines over a few
// sessions with random ack latency, ack-before-response and rejections, and
// checks that every caller got exactly its own command's outcome.
func TestCorrelationStress(t *testing.T) {
	total, limit := 4000, 60*time.Second
	if *stressFull {
		total, limit = 100_000, 5*time.Minute
	}
	if testing.Short() {
		total = 1000
	}
	// Eight sessions and two alternating commands keep each profile under
	// the simulator's bound of 10,000 live reservations at full size.
	const workers, sessions = 200, 8
	e := start(t, sim.Options{AckLatency: sim.Latency{Min: 0, Max: 3 * time.Millisecond},
		AckBeforeResponse: true, RejectRate: 0.05, CommandIDShape: sim.ShapeMixed, Seed: 11, Workers: 8})
	ss := make([]*privicore.Session, sessions)
	for i := range ss {
		ss[i] = e.session(t, privicore.SessionOptions{AckTimeout: 30 * time.Second})
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var out stressOutcome
	var next atomic.Int64
	var wg sync.WaitGroup
	started := time.Now()
	for w := range workers {
		wg.Go(func() {
			s := ss[w%sessions]
			for i := next.Add(1); i <= int64(total) && ctx.Err() == nil; i = next.Add(1) {
				stressOne(ctx, s, commandFor(i), &out)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(started)
	got := out.ok.Load() + out.rejected.Load()
	if out.misrouted.Load() != 0 || out.failed.Load() != 0 || got != int64(total) {
		t.Fatalf("of %d commands: ok %d, rejected %d, misrouted %d, failed %d",
			total, out.ok.Load(), out.rejected.Load(), out.misrouted.Load(), out.failed.Load())
	}
	if st := e.srv.Stats(); st.Faults.Rejections != out.rejected.Load() {
		t.Fatalf("sim rejected %d commands, callers saw %d rejections", st.Faults.Rejections, out.rejected.Load())
	}
	var early uint64
	for _, s := range ss {
		early += s.Stats().Early
	}
	t.Logf("%d commands in %v (%.0f/s), %d acks before their response", total, elapsed, float64(total)/elapsed.Seconds(), early)
}

// commandFor alternates a reservation and a profile-level setting, two
// async commands with different handlers in the simulator.
func commandFor(i int64) privicore.Request {
	if i%2 == 0 {
		r, _ := privicore.ReserveTokenSpaceRequest(privicore.ReserveParams{Context: "stress"})
		return r
	}
	return privicore.Request{Op: "set-quorum-size", Method: "POST", Path: "/verified-authenticator/set-quorum-size",
		Form: url.Values{"quorumSize": {strconv.FormatInt(1+i%5, 10)}}}
}

func stressOne(ctx context.Context, s *privicore.Session, r privicore.Request, out *stressOutcome) {
	p, err := s.Submit(ctx, r)
	if err != nil {
		out.failed.Add(1)
		return
	}
	ack, err := p.Wait(ctx)
	var re *privicore.CommandRejectedError
	switch {
	case errors.As(err, &re) && re.CommandID == p.CommandID() && ack.Message.ID == p.CommandID():
		out.rejected.Add(1)
	case err != nil:
		out.failed.Add(1)
	case ack.Message.ID != p.CommandID() || ack.CommandID != p.CommandID():
		out.misrouted.Add(1)
	default:
		out.ok.Add(1)
	}
}

// BenchmarkCommandsEndToEnd measures async commands (HTTP 202 + WebSocket
// ack; reserve-token-space and set-quorum-size alternating) against the
// simulator over loopback, from 16×GOMAXPROCS goroutines sharing eight
// sessions. The simulator runs in the same process, so allocs/op counts
// both sides.
func BenchmarkCommandsEndToEnd(b *testing.B) {
	e := start(b, sim.Options{Workers: 8})
	ss := make([]*privicore.Session, 8)
	for i := range ss {
		ss[i] = e.session(b, privicore.SessionOptions{})
	}
	ctx := context.Background()
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		s := ss[n.Add(1)%int64(len(ss))]
		for i := int64(0); pb.Next(); i++ {
			p, err := s.Submit(ctx, commandFor(i))
			if err == nil {
				_, err = p.Wait(ctx)
			}
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "commands/s")
}
