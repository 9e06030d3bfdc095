package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pcflow/pcflow/privicore"
)

// due is when request n (0-based) of a constant-rate schedule starts: a
// pure function of n, like vegeta's pacer, so a slow answer cannot move
// later requests.
func due(n int64, rate int) time.Duration {
	return time.Duration(n * int64(time.Second) / int64(rate))
}

// runHTTP sends GET /health through the client's HTTP path
// (CheckServerHealth) at -rate for -duration, open model: a request whose
// turn comes with no idle worker gets a new one, as in vegeta. It reports
// the achieved rate and the CPU seconds per 1,000 requests of the window
// and of the whole process (the figure /usr/bin/time -v also gives).
func runHTTP(ctx context.Context, cfg config, urls simURLs, out io.Writer) error {
	c := privicore.New(privicore.Options{APIURL: urls.API})
	defer c.CloseIdleConnections()
	ticks := make(chan struct{})
	var ok, failed atomic.Int64
	var wg sync.WaitGroup
	worker := func() {
		ctx, cancel := context.WithCancel(ctx) // one per worker, as in commands mode
		defer cancel()
		for range ticks {
			if _, err := c.CheckServerHealth(ctx); err != nil {
				failed.Add(1)
			} else {
				ok.Add(1)
			}
		}
	}
	workers := 0
	stopProfile, err := profileWindow(cfg.cpuProfile, cfg.memProfile)
	if err != nil {
		return err
	}
	cpu0, t0 := cpuTime(), time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for n := int64(0); ctx.Err() == nil; n++ {
		at := due(n, cfg.rate)
		if at >= cfg.duration {
			break
		}
		if wait := at - time.Since(t0); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
			}
		}
		select {
		case ticks <- struct{}{}:
		default:
			workers++
			wg.Go(worker)
			ticks <- struct{}{}
		}
	}
	close(ticks)
	wg.Wait()
	cpu, wall := cpuTime()-cpu0, time.Since(t0)
	if err := stopProfile(); err != nil {
		return err
	}
	done := ok.Load() + failed.Load()
	fmt.Fprintf(out, "rate=%d requests=%d failed=%d achieved_per_s=%.0f workers=%d cpu_s_per_1000=%.4f process_cpu_s_per_1000=%.4f\n",
		cfg.rate, done, failed.Load(), float64(done)/wall.Seconds(), workers, perThousand(cpu, done), perThousand(cpuTime(), done))
	return nil
}
