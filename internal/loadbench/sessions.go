package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/pcflow/pcflow/privicore"
)

// idleSettle is how long opened sessions sit before their RSS is read, so
// that join-time buffers are gone and every read loop is parked.
const idleSettle = time.Second

// runSessions opens -n idle joined sessions and reports the client's RSS
// per session at 1,000 (when -n is larger) and at -n:
//
//	per session = (settled RSS with k sessions − settled RSS before the first) / k
func runSessions(ctx context.Context, cfg config, urls simURLs, out io.Writer) error {
	c := privicore.New(privicore.Options{APIURL: urls.API, WSURL: urls.WS})
	began := time.Now()
	tokens, err := provision(ctx, c, cfg.n, cfg.openers)
	if err != nil {
		return fmt.Errorf("provisioning %d profiles: %w", cfg.n, err)
	}
	fmt.Fprintf(out, "provisioned %d profiles in %.1fs\n", cfg.n, time.Since(began).Seconds())
	c.CloseIdleConnections() // the pool's size is not the sessions' cost
	stopProfile, err := profileWindow(cfg.cpuProfile, cfg.memProfile)
	if err != nil {
		return err
	}
	base := settledRSS()
	baseGoroutines := runtime.NumGoroutine()
	var opened []*privicore.Session
	defer func() { closeAll(opened) }()
	for _, k := range checkpoints(cfg.n) {
		began := time.Now()
		more, err := openSessions(ctx, c, tokens[len(opened):k], cfg.openers)
		opened = append(opened, more...)
		if err != nil {
			return fmt.Errorf("opening sessions %d..%d: %w", len(opened)-len(more)+1, k, err)
		}
		took := time.Since(began)
		time.Sleep(idleSettle)
		rss := settledRSS()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Fprintf(out, "sessions=%d rss_per_session_kib=%.1f rss_total_mib=%.1f heap_inuse_per_session_kib=%.1f goroutines_per_session=%.2f opened_in_s=%.2f\n",
			k, float64(rss-base)/float64(k), float64(rss)/1024, float64(ms.HeapInuse)/1024/float64(k),
			float64(runtime.NumGoroutine()-baseGoroutines)/float64(k), took.Seconds())
	}
	return stopProfile() // the allocation profile's inuse_space is what the sessions hold
}

// checkpoints are the session counts to report at: 1,000 when n is more,
// then n.
func checkpoints(n int) []int {
	if n > 1000 {
		return []int{1000, n}
	}
	return []int{n}
}
