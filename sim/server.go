package sim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pcflow/pcflow/sim/internal/hub"
	"github.com/pcflow/pcflow/sim/internal/pipeline"
)

// Server is a running simulator. Its methods are safe for concurrent use.
type Server struct {
	opts    Options
	dice    dice
	ids     idSource
	state   *state
	hub     *hub.Hub
	stats   *stats
	streams *streamStore
	cabKey  string // the CAB's signed public key (K4)
	oauth   *oauthRegistry

	pipeline   *pipeline.Pipeline
	voting     *voting
	clock      Clock
	commandSeq atomic.Uint64
	requestSeq atomic.Uint64

	urls      URLs
	conns     *connLimit // open connections, bounded by MaxConnections
	uploads   uploadSlots
	servers   []*http.Server
	listeners []net.Listener
	stop      chan struct{}
	bg        sync.WaitGroup // janitor and socket dropper
	closeOnce sync.Once
	closeErr  error
}

// URLs are the base URLs of the four services, without a trailing slash.
type URLs struct {
	API, WS, Upstream, Downstream string
}

// Start validates opts, listens on the four addresses and serves in the
// background. It returns once every listener is open.
func Start(opts Options) (*Server, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	table := apiRoutes()
	now := opts.Clock.Now
	s := &Server{opts: opts, clock: opts.Clock, dice: dice{seed: uint64(opts.Seed)},
		state: newState(opts.MaxProfiles, opts.MaxStoredBytes, now), stats: newStats(opNames(table)), streams: newStreamStore(now), oauth: newOAuthRegistry(now),
		uploads: uploadSlots{max: int64(opts.MaxUploads)}, stop: make(chan struct{})}
	s.hub = hub.New(hub.Config{BufferTTL: opts.PreJoinBufferTTL, RoundRobin: opts.Fanout == FanoutRoundRobin,
		Now: now, Undelivered: &s.stats.undelivered, Drops: &s.stats.faults.wsDrops})
	s.cabKey = signedPublicKey(deterministicKey(uint64(opts.Seed), "cab"))
	if err := s.provision(opts.Users); err != nil {
		return nil, err
	}
	if err := s.listen(table); err != nil {
		return nil, err
	}
	s.pipeline = s.newPipeline()
	s.voting = &voting{clock: opts.Clock, stop: s.stop, dice: s.dice, ballot: opts.virtualVote(),
		latency: opts.VoteLatency, complete: s.complete}
	s.serve()
	return s, nil
}

// listen opens the four listeners; on failure it closes what it opened.
func (s *Server) listen(table []route) error {
	addrs := []string{s.opts.APIAddr, s.opts.WSAddr, s.opts.UpstreamAddr, s.opts.DownstreamAddr}
	handlers := []http.Handler{s.apiHandler(table), http.HandlerFunc(s.serveWS),
		recoverJSON(http.HandlerFunc(s.serveUpload)), recoverJSON(http.HandlerFunc(s.serveDownload))}
	names := []string{"API", "WebSocket", "upstream", "downstream"}
	// The WebSocket proxy's reads are timed by its idle timeout instead.
	readTimeouts := []time.Duration{s.opts.ReadTimeout, 0, max(s.opts.ReadTimeout, DefaultUploadTimeout), s.opts.ReadTimeout}
	var urls [4]string
	limit := newConnLimit(s.opts.MaxConnections)
	s.conns = limit
	for i, addr := range addrs {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range s.listeners {
				l.Close()
			}
			return fmt.Errorf("sim: %s listener on %s: %w", names[i], addr, err)
		}
		ln = limit.wrap(ln)
		s.listeners = append(s.listeners, ln)
		s.servers = append(s.servers, &http.Server{Handler: handlers[i], ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout: readTimeouts[i], IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10})
		urls[i] = ln.Addr().String()
	}
	s.urls = URLs{API: "http://" + urls[0], WS: "ws://" + urls[1], Upstream: "http://" + urls[2], Downstream: "http://" + urls[3]}
	return nil
}

func (s *Server) serve() {
	for i, srv := range s.servers {
		go srv.Serve(s.listeners[i])
	}
	s.bg.Add(1)
	go s.janitor()
	if s.opts.WSDropEvery > 0 {
		s.bg.Add(1)
		go s.dropSockets()
	}
}

// URLs returns the base URLs of the services.
func (s *Server) URLs() URLs { return s.urls }

// janitor evicts what expires: sessions (unbinding the sockets joined
// with them, as a revoke does), reservations, stream tokens, pre-join
// buffers and old command outcomes.
func (s *Server) janitor() {
	defer s.bg.Done()
	every(s.clock, time.Second, s.stop, func(now time.Time) {
		for _, se := range s.state.evictExpired(now) {
			s.hub.DetachToken(se.profile.id, se.token)
		}
		s.streams.evictExpired(now)
		s.oauth.evictExpired(now)
		s.hub.Sweep(now)
		s.pipeline.Sweep(now)
	})
}

// dropSockets is the WSDropEvery fault.
func (s *Server) dropSockets() {
	defer s.bg.Done()
	every(s.clock, s.opts.WSDropEvery, s.stop, func(time.Time) { s.hub.DropJoined() })
}

// Grace periods of Close: requests in flight get shutdownGrace to finish
// before their connections are cut (a half-sent request is its client's
// problem, and an operator's Ctrl-C should neither wait on it nor report
// it as a failure); sockets get socketGrace to flush their queued acks.
const (
	shutdownGrace = 300 * time.Millisecond
	socketGrace   = 500 * time.Millisecond
)

// Close shuts down: it stops accepting requests, lets those in flight
// finish for shutdownGrace and then cuts them, resolves every scheduled
// command now, reports held and pending ones as rejected
// ("sim.shutting_down"), delivers those acks, and closes every socket
// with 1001. It returns within about a second and is idempotent; cutting
// a request that did not finish in time is not an error.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		errs := make([]error, 3)
		var wg sync.WaitGroup
		for i, srv := range []*http.Server{s.servers[0], s.servers[2], s.servers[3]} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
				defer cancel()
				if errs[i] = srv.Shutdown(ctx); errors.Is(errs[i], context.DeadlineExceeded) {
					errs[i] = srv.Close()
				}
			}()
		}
		wg.Wait()
		close(s.stop)
		s.bg.Wait()
		s.pipeline.Close()
		s.servers[1].Close() // the WebSocket listener; hijacked sockets close below
		ctx, cancel := context.WithTimeout(context.Background(), socketGrace)
		defer cancel()
		s.closeSockets(ctx)
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// closeSockets closes every socket with 1001 and waits for the writers.
func (s *Server) closeSockets(ctx context.Context) {
	for _, sk := range s.hub.Close(closeGoingAway, "server shutting down") {
		k := sk.(*socket)
		select {
		case <-k.done:
		case <-ctx.Done():
			k.conn.NetConn().Close()
		}
	}
}
