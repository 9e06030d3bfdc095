package report

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

// Options configure an Aggregator. The zero value is usable: no
// thresholds, first-seen step order, 4 shards per CPU, 2,000 points.
type Options struct {
	// Thresholds are evaluated by Snapshot and, for those with
	// AbortOnFail, by AbortFailed while the run goes on.
	Thresholds []metrics.Threshold
	// Workloads gives the order in which the summary lists workloads and
	// their steps (the scenario's order). Nil: the order samples first
	// arrived in, which is nearly the same for a scenario's first pass.
	Workloads []WorkloadOrder
	// Shards is the number of sample buffers VUs spread over; zero means
	// 4 × GOMAXPROCS, enough that two CPUs rarely want the same one.
	Shards int
	// MaxPoints bounds each metric's time series; zero means 2,000.
	MaxPoints int
}

// WorkloadOrder names a workload and its steps in the scenario's order.
type WorkloadOrder struct {
	Name  string
	Steps []string
}

// Aggregator is the run's metrics.Sink: it folds every sample into an
// HdrHistogram per metric and tag set, a time series per metric, and
// counters per workload.
//
// Concurrency: Record and Add may be called from any number of goroutines.
// They append to one of several shard buffers chosen at random per call
// (the runtime's per-thread generator, so no shared cache line), and a
// full buffer of 256 entries goes through a channel to one owner goroutine
// that alone touches the histograms — an HdrHistogram is not safe for
// concurrent use, and one per VU (~190 KB each) would not fit thousands of
// VUs. Snapshot, AbortFailed, Totals and a Prometheus scrape flush the
// buffers first, so they see every sample recorded before the call; they
// may race with Close. Close stops the owner; Record and Add after Close
// are dropped.
type Aggregator struct {
	shards []shard
	in     chan message
	free   chan *batch
	closed atomic.Bool
	exited chan struct{}
	st     *state // owned by the owner goroutine until exited is closed
	once   sync.Once
	// skipFold makes the owner drop batches unread: a benchmark's way to
	// time Record's own cost apart from the owner's.
	skipFold bool
}

// batchSize is how many entries a shard collects before handing them to
// the owner: one channel operation per 256 samples keeps the channel off
// the hot path.
const batchSize = 256

// entry is one Record or Add call. A sample carries no pointers but its
// strings, so copying it into a preallocated batch allocates nothing.
type entry struct {
	s       metrics.Sample
	n       int64 // the counter increment when counter is set
	counter metrics.Counter
	isCount bool
}

type batch struct {
	n int
	e [batchSize]entry
}

// shard is one buffer and its lock, padded to its own cache lines so that
// two CPUs working on neighbouring shards do not false-share.
type shard struct {
	mu  sync.Mutex
	buf *batch
	_   [48]byte
}

// message is what the owner goroutine receives: a full batch to fold in,
// or a function to run on its state (then done is closed).
type message struct {
	b    *batch
	fn   func(*state)
	done chan struct{}
	stop bool
}

// NewAggregator starts an aggregator's owner goroutine; call Close when
// the run is over.
func NewAggregator(opts Options) *Aggregator { return newAggregator(opts, false) }

func newAggregator(opts Options, skipFold bool) *Aggregator {
	n := opts.Shards
	if n <= 0 {
		n = 4 * runtime.GOMAXPROCS(0)
	}
	a := &Aggregator{
		shards:   make([]shard, n),
		in:       make(chan message, 4*n),
		free:     make(chan *batch, 4*n),
		exited:   make(chan struct{}),
		st:       newState(opts),
		skipFold: skipFold,
	}
	for i := range a.shards {
		a.shards[i].buf = new(batch)
	}
	go a.own()
	return a
}

// Record implements metrics.Sink.
func (a *Aggregator) Record(s metrics.Sample) { a.push(entry{s: s}) }

// Add implements metrics.Sink.
func (a *Aggregator) Add(c metrics.Counter, workload string, n int64) {
	a.push(entry{s: metrics.Sample{Workload: workload}, n: n, counter: c, isCount: true})
}

// push appends e to a random shard's buffer, handing the buffer to the
// owner when it is full; after Close it drops e.
func (a *Aggregator) push(e entry) {
	sh := &a.shards[rand.Uint32N(uint32(len(a.shards)))]
	sh.mu.Lock()
	if a.closed.Load() {
		sh.mu.Unlock()
		return
	}
	b := sh.buf
	b.e[b.n] = e
	b.n++
	if b.n == batchSize {
		a.handOff(sh)
	}
	sh.mu.Unlock()
}

// handOff sends sh's buffer to the owner and gives sh an empty one; the
// caller holds sh.mu. Buffers are recycled through a.free, so steady state
// allocates nothing; the send blocks only when the owner is 4 batches per
// shard behind, which bounds memory instead of dropping samples. Once the
// owner has exited (Close), a late buffer is dropped, as Record after Close
// is.
func (a *Aggregator) handOff(sh *shard) {
	select {
	case a.in <- message{b: sh.buf}:
	case <-a.exited:
		sh.buf.n = 0
		return
	}
	select {
	case sh.buf = <-a.free:
	default:
		sh.buf = new(batch)
	}
}

// own is the owner goroutine: the only code that touches a.st.
func (a *Aggregator) own() {
	defer close(a.exited)
	for m := range a.in {
		switch {
		case m.b != nil:
			if !a.skipFold {
				a.st.fold(m.b)
			}
			m.b.n = 0
			select {
			case a.free <- m.b:
			default: // enough spares; let this one go
			}
		case m.fn != nil:
			m.fn(a.st)
			close(m.done)
		}
		if m.stop {
			return
		}
	}
}

// do flushes every shard, then runs fn on the owner's state and waits for
// it. After Close (also when Close overtakes this call) it runs fn
// directly: the owner has folded everything and exited, and st.mu
// serialises such callers.
func (a *Aggregator) do(fn func(*state)) {
	direct := func() {
		a.st.mu.Lock()
		fn(a.st)
		a.st.mu.Unlock()
	}
	select {
	case <-a.exited:
		direct()
		return
	default:
	}
	a.flush()
	done := make(chan struct{})
	select {
	case a.in <- message{fn: fn, done: done}:
	case <-a.exited:
		direct()
		return
	}
	select {
	case <-done:
	case <-a.exited:
		select {
		case <-done: // the owner ran fn before it stopped
		default:
			direct()
		}
	}
}

// flush hands every non-empty shard buffer to the owner.
func (a *Aggregator) flush() {
	for i := range a.shards {
		sh := &a.shards[i]
		sh.mu.Lock()
		if sh.buf.n > 0 {
			a.handOff(sh)
		}
		sh.mu.Unlock()
	}
}

// Close folds what is buffered and stops the owner goroutine. It is
// idempotent; Snapshot still works afterwards.
func (a *Aggregator) Close() {
	a.once.Do(func() {
		// Set closed before taking each shard's lock: a Record that got the
		// lock first has appended before our flush; one after sees closed.
		a.closed.Store(true)
		a.flush()
		a.in <- message{fn: func(*state) {}, done: make(chan struct{}), stop: true}
		<-a.exited
	})
}

// Snapshot folds everything recorded so far into a Result with the run's
// facts and the thresholds evaluated. It may be called during the run (a
// copy is taken) and after Close.
func (a *Aggregator) Snapshot(facts RunFacts) *Result {
	var r *Result
	a.do(func(st *state) { r = st.result(facts) })
	evaluateAll(r)
	r.Warnings = append(warningsFor(r), facts.Warnings...)
	return r
}

// AbortFailed reports the first threshold with AbortOnFail that fails on
// the data so far, once elapsed (time since the run started) has passed
// its Delay. The run calls it periodically (every second or so) and stops
// with metrics.StopThreshold when ok is true.
func (a *Aggregator) AbortFailed(elapsed time.Duration) (failed ThresholdResult, ok bool) {
	a.do(func(st *state) { failed, ok = st.abortFailed(elapsed) })
	return failed, ok
}
