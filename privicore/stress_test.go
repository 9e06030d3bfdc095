package privicore_test

import (
	"context"
	"errors"
	"flag"
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
	const workers, sessions = 200, 4
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
			for next.Add(1) <= int64(total) && ctx.Err() == nil {
				stressOne(ctx, s, &out)
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

func stressOne(ctx context.Context, s *privicore.Session, out *stressOutcome) {
	r, _ := privicore.ReserveTokenSpaceRequest(privicore.ReserveParams{Context: "stress"})
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

// BenchmarkCommandsEndToEnd measures reserve-token-space commands (HTTP 202
// + WebSocket ack) against the simulator over loopback, from parallel
// goroutines sharing four sessions.
func BenchmarkCommandsEndToEnd(b *testing.B) {
	e := start(b, sim.Options{Workers: 8})
	ss := make([]*privicore.Session, 4)
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
		for pb.Next() {
			if _, err := s.ReserveTokenSpace(ctx, privicore.ReserveParams{Context: "bench"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "commands/s")
}
