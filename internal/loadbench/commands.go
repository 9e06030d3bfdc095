package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pcflow/pcflow/privicore"
)

// runCommands keeps -inflight async commands in flight on each of
// -sessions sessions (one profile each) and reports, over -duration after
// -warmup, acked commands per second and the client's CPU seconds per
// 1,000 commands. The command is set-quorum-size: a 202 + X-DPT-CAB-ID
// round trip like any other, but one that leaves no state behind in the
// simulator (reservations would hit its bound of 10,000 live per profile
// within seconds at these rates).
func runCommands(ctx context.Context, cfg config, urls simURLs, out io.Writer) error {
	c := privicore.New(privicore.Options{APIURL: urls.API, WSURL: urls.WS})
	tokens, err := provision(ctx, c, cfg.sessions, cfg.openers)
	if err != nil {
		return fmt.Errorf("provisioning: %w", err)
	}
	ss, err := openSessions(ctx, c, tokens, cfg.openers)
	defer closeAll(ss)
	if err != nil {
		return fmt.Errorf("opening sessions: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var acks, failures atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	var paced chan struct{} // nil: closed loop, as fast as acks come back
	if cfg.commandRate > 0 {
		paced = make(chan struct{}, len(ss)*cfg.inflight)
		wg.Go(func() { pace(ctx, cfg.commandRate, paced) })
	}
	for _, s := range ss {
		for w := range cfg.inflight {
			wg.Go(func() {
				// A context per worker, as the engine gives each virtual
				// user its own: one shared by every worker would make each
				// call's derived context register with the same parent.
				ctx, cancel := context.WithCancel(ctx)
				defer cancel()
				for i := w; ctx.Err() == nil; i++ {
					if paced != nil {
						select {
						case <-paced:
						case <-ctx.Done():
							return
						}
					}
					_, err := s.SetQuorumSize(ctx, 1+i%5)
					switch {
					case err == nil:
						acks.Add(1)
					case ctx.Err() == nil:
						failures.Add(1)
						firstErr.CompareAndSwap(nil, err)
					}
				}
			})
		}
	}
	sleep(ctx, cfg.warmup)
	stopProfile, err := profileWindow(cfg.cpuProfile, cfg.memProfile)
	if err != nil {
		return err
	}
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	acks0, fail0, cpu0, sim0, t0 := acks.Load(), failures.Load(), cpuTime(), groupCPU(urls.pgid), time.Now()
	sleep(ctx, cfg.duration)
	acked, failed, cpu, wall := acks.Load()-acks0, failures.Load()-fail0, cpuTime()-cpu0, time.Since(t0)
	simCPU := groupCPU(urls.pgid) - sim0
	runtime.ReadMemStats(&ms1)
	if err := stopProfile(); err != nil {
		return err
	}
	cancel()
	wg.Wait()
	fmt.Fprintf(out, "sessions=%d inflight=%d rate=%d acked=%d failed=%d acks_per_s=%.0f client_cpu_s_per_1000=%.4f client_cpu_cores=%.2f sim_cpu_cores=%.2f client_allocs_per_command=%.1f client_bytes_per_command=%.0f\n",
		cfg.sessions, cfg.inflight, cfg.commandRate, acked, failed, float64(acked)/wall.Seconds(), perThousand(cpu, acked),
		cpu.Seconds()/wall.Seconds(), simCPU.Seconds()/wall.Seconds(),
		perOp(ms1.Mallocs-ms0.Mallocs, acked), perOp(ms1.TotalAlloc-ms0.TotalAlloc, acked))
	if err, _ := firstErr.Load().(error); err != nil {
		fmt.Fprintf(out, "first failure: %v\n", err)
	}
	return nil
}

// pace sends one token per command on the schedule due(n, rate) until ctx
// ends: with a fixed rate, the CPU per command of two versions compares
// at equal work (a closed loop runs each at its own throughput).
func pace(ctx context.Context, rate int, tokens chan<- struct{}) {
	t0 := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for n := int64(0); ; n++ {
		if wait := due(n, rate) - time.Since(t0); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return
			}
		}
		select {
		case tokens <- struct{}{}:
		case <-ctx.Done():
			return
		}
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// perOp divides a counter by the acked commands (0 for none).
func perOp(n uint64, ops int64) float64 {
	if ops == 0 {
		return 0
	}
	return float64(n) / float64(ops)
}
