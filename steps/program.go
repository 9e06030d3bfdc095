package steps

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/pcflow/pcflow/engine"
	"github.com/pcflow/pcflow/metrics"
	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
)

// Options are what Compile needs beyond the scenario. The zero value runs
// against http://localhost:8009 and ws://localhost:8083 and records
// nothing.
type Options struct {
	// APIURL, WSURL and DownstreamURL locate the target (privicore.Options
	// says what "" means). Ignored when Client is set, except APIURL,
	// which the http kind and the simulator probe still use.
	APIURL, WSURL, DownstreamURL string
	// Client, when set, is the target's client, shared by every VU;
	// nil means one built from the URLs.
	Client *privicore.Client
	// HTTPClient is the connection pool of the client Compile builds and
	// of the http kind; nil means a pool sized for load.
	HTTPClient *http.Client
	// Sink receives every step sample and counter; nil means
	// metrics.Discard.
	Sink metrics.Sink
	// Trace, when set, receives one redacted line per step: the HTTP
	// call, the command id, the awaited message and the latencies. nil is
	// off. Writes are serialised across VUs.
	Trace io.Writer
	// Seed makes generated usernames, payloads and think times repeatable
	// (passwords and AES keys always come from crypto/rand); 0 means a
	// random seed, so that fresh names never collide across runs.
	Seed int64
	// StepTimeout bounds every HTTP exchange and every ack wait of a step
	// without its own timeout:, through the client's RequestTimeout and
	// the session's AckTimeout (no context per step on the hot path).
	// 0 means the client's defaults (30 s each). A step's timeout: can
	// shorten a wait; a longer one lengthens an operation kind's ack wait
	// by polling request-status past the session's AckTimeout (outlastAck;
	// a request such as request-data cannot be, and a composite's inner
	// waits stay at the session's), and vote polls its pool likewise.
	StepTimeout time.Duration
	// Catalogue is the set of kinds; nil means Builtin().
	Catalogue *Catalogue
}

// program is a compiled scenario: the engine.Program Compile returns.
type program struct {
	scn       *scenario.Scenario
	client    *privicore.Client
	http      *http.Client
	apiURL    string
	sink      metrics.Sink
	trace     *tracer
	seed      int64
	sessOpts  privicore.SessionOptions
	workloads map[string]*workload
	setup     []*cstep
	teardown  []*cstep
	// phase is the workload setup and teardown run as: named after the
	// scenario (the single form's workload name), since they belong to no
	// workload of a multi-workload file.
	phase       *workload
	dir         string   // the scenario file's directory, for upload's file:
	casting     []string // positions of vote steps that cast ballots through /_sim/
	castingInto []string // those that cast into a pool they did not open (pool:)

	ownsClient bool // Compile built the client and its pool

	mu      sync.Mutex
	setupVU *vu // runs setup and teardown; its captures are shared read-only
}

// workload is one compiled workload.
type workload struct {
	src                  *scenario.Workload
	vuSetup, steps, vuTd []*cstep
}

// Compile turns a validated scenario into the program the engine runs.
// It fails only on what the loader cannot know: a kind missing from the
// catalogue (a catalogue/loader mismatch) or a parameter of the wrong
// shape in a hand-built scenario.
func Compile(scn *scenario.Scenario, opts Options) (engine.Program, error) {
	if scn == nil || len(scn.Workloads) == 0 {
		return nil, fmt.Errorf("steps: scenario has no workload")
	}
	cat := opts.Catalogue
	if cat == nil {
		cat = Builtin()
	}
	p := &program{
		scn: scn, sink: opts.Sink, seed: opts.Seed, apiURL: opts.APIURL,
		workloads: map[string]*workload{}, dir: dirOf(scn.File),
		http:     opts.HTTPClient,
		sessOpts: privicore.SessionOptions{AckTimeout: opts.StepTimeout},
	}
	if p.sink == nil {
		p.sink = metrics.Discard{}
	}
	if p.http == nil {
		p.http = defaultHTTPClient(opts.StepTimeout)
	}
	if opts.Trace != nil {
		p.trace = &tracer{w: opts.Trace, cat: cat}
	}
	p.client = opts.Client
	p.ownsClient = p.client == nil && opts.HTTPClient == nil
	if p.client == nil {
		// Without an HTTPClient of the caller's, the client takes its own
		// default: its own HTTP/1.1 path for the API's small requests
		// (about half the CPU of net/http's per command) and a load-sized
		// transport for the rest. A caller's HTTPClient is shared without
		// its Timeout: the client bounds every call by RequestTimeout
		// itself, and a second, http.Client-level timer would only cost.
		var api *http.Client
		if !p.ownsClient {
			api = p.http
		}
		p.client = privicore.New(privicore.Options{
			APIURL: opts.APIURL, WSURL: opts.WSURL, DownstreamURL: opts.DownstreamURL,
			HTTPClient: api, RequestTimeout: opts.StepTimeout,
		})
	}
	cc := compiler{cat: cat}
	p.phase = &workload{src: &scenario.Workload{Name: scn.Name}}
	p.setup = cc.list(scn.Setup, 0)
	p.teardown = cc.list(scn.Teardown, 0)
	for _, w := range scn.Workloads {
		p.workloads[w.Name] = &workload{
			src:     w,
			vuSetup: cc.list(w.VUSetup, 0), steps: cc.list(w.Steps, 0), vuTd: cc.list(w.VUTeardown, 0),
		}
	}
	if len(cc.errs) > 0 {
		return nil, joinErrors(cc.errs)
	}
	p.casting, p.castingInto = cc.casting, cc.castingInto
	return p, nil
}

// defaultHTTPClient is the pool of the http kind (and of the client, when
// the caller gave none). Its Timeout bounds a plain http step the way the
// client's RequestTimeout bounds every operation: without it, a target that
// accepts and never answers would hold the step until graceful-stop.
func defaultHTTPClient(timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = defaultStepTimeout
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 1024, 256
	return &http.Client{Transport: t, Timeout: timeout}
}

// defaultStepTimeout is what Options.StepTimeout's zero means, as it does
// for the client's RequestTimeout and AckTimeout.
const defaultStepTimeout = 30 * time.Second

// Setup runs the scenario's setup steps in a VU of their own (id 0),
// whose captures every VU then reads.
func (p *program) Setup(ctx context.Context) error {
	if err := p.probeBallotHook(ctx); err != nil {
		return err
	}
	setup := newVU(p, p.phase, 0, nil)
	p.mu.Lock()
	p.setupVU = setup
	p.mu.Unlock()
	return setup.runPhase(ctx, p.setup)
}

// NewVU makes VU id of the named workload; it does no I/O.
func (p *program) NewVU(name string, id int) (engine.VU, error) {
	w, ok := p.workloads[name]
	if !ok {
		return nil, fmt.Errorf("steps: no workload %q", name)
	}
	p.mu.Lock()
	shared := p.setupVU
	p.mu.Unlock()
	var env *scenario.Env
	if shared != nil {
		env = shared.env
	}
	return newVU(p, w, id, env), nil
}

// Teardown runs the teardown steps in the setup VU (a fresh one when
// Setup never ran), then closes its session.
func (p *program) Teardown(ctx context.Context) error {
	p.mu.Lock()
	t := p.setupVU
	p.mu.Unlock()
	if t == nil {
		t = newVU(p, p.phase, 0, nil)
	}
	err := t.runPhase(ctx, p.teardown)
	t.closeSession()
	if p.ownsClient {
		p.client.CloseIdleConnections() // a caller's pool is the caller's to close
	}
	return err
}

// pollInterval is how often register-profile's outcome is polled: short,
// since a new profile's command resolves in milliseconds on the simulator
// and the poll's latency is part of what onboarding measures.
const pollInterval = 5 * time.Millisecond

// ackTimeout bounds waits the client leaves to the caller's context
// (register-profile's polling, vote outcomes).
func (p *program) ackTimeout() time.Duration {
	if p.sessOpts.AckTimeout > 0 {
		return p.sessOpts.AckTimeout
	}
	return 30 * time.Second
}
