package privicore

import (
	"sync"
	"time"
)

// Correlator limits; zero fields of SessionOptions fall back to these.
const (
	defaultEarlyTTL = 10 * time.Second
	defaultEarlyMax = 10000
	defaultDoneMax  = 16384
	// earlyMaxBytes bounds the bodies kept for unclaimed ids (inline
	// request-data payloads can be ~50 KB each).
	earlyMaxBytes = 64 << 20
)

// CorrelatorStats counts what the correlator saw. Delivered + Orphans +
// Duplicates + Late + Ignored accounts for every event frame.
type CorrelatorStats struct {
	Delivered  uint64 // terminal messages handed to their waiter
	Early      uint64 // messages that arrived before anyone waited on their id
	Duplicates uint64 // second terminal message for an id (dropped)
	Orphans    uint64 // early messages nobody claimed within the TTL or count bound
	Late       uint64 // messages for ids whose waiter had given up (timeout/cancel)
	// Ignored counts unknown types, pending statuses, frames without an id,
	// and a STREAM-READY for a request its download URL already settled.
	Ignored    uint64
	Reconciled uint64 // outcomes learned through request-status instead of the socket
}

// waiter is one caller awaiting the terminal message for an id. The
// correlator sets msg and then signals done once; the channel carries no
// Message itself, which saves an allocation per command (a buffered channel
// of a pointer-holding type allocates its buffer separately).
//
// done carries one token: the outcome (msg set, settled true), or the ack
// deadline passing (expired true, set before the token is sent; the session
// clock sends it). An expired waiter stays registered while its Wait asks
// request-status, so a message arriving meanwhile still settles it, but no
// second token is sent: the Wait reads msg under the correlator's lock
// (withdraw). expired and the outcome fields are written under c.mu.
type waiter struct {
	done     chan struct{} // cap 1
	msg      Message
	deadline time.Time // when the session clock expires it (zero: never)
	command  bool      // a command id (reconcilable through request-status)
	expired  bool      // the deadline token was sent
	settled  bool      // msg holds the outcome
	partial  *Message  // streamed X-DPT-CAB-REQUEST-ID awaiting STREAM-READY
}

// accepts reports whether m may settle w: a command settles only by its
// X-DPT-CAB-ID, so a request's message that shares the id (a server bug,
// or hostile input) cannot complete it as a success. A request takes all
// three types (a rejection may come as X-DPT-CAB-ID).
func (w *waiter) accepts(m *Message) bool { return !w.command || m.Type == TypeCommandStatus }

func newWaiter(command bool) waiter { return waiter{done: make(chan struct{}, 1), command: command} }

// earlyEntry keeps a message that arrived before its waiter registered.
type earlyEntry struct {
	msg     Message
	at      time.Time // when it was queued (matches its earlyRef)
	partial bool      // a streamed REQUEST-ID still waiting for its STREAM-READY
}

type earlyRef struct {
	id string
	at time.Time
}

// doneRef is a settled id and when it settled (UnixNano: 24 bytes, not 40,
// as a busy session holds up to doneMax of them).
type doneRef struct {
	id string
	at int64
}

// correlator routes messages to waiters by id. It tolerates acks that
// arrive before the waiter registers (kept up to ttl and max entries, then
// counted as orphans) and drops duplicates by remembering the ids settled
// within ttl, at most doneMax. All methods are safe for concurrent use.
type correlator struct {
	mu       sync.Mutex
	waiters  map[string]*waiter
	early    map[string]*earlyEntry
	queue    []earlyRef // arrival order of early entries, for expiry
	head     int
	bytes    int // body bytes held by early entries
	maxBytes int
	done     map[string]bool // settled ids → abandoned (true) or delivered
	doneRing []doneRef       // settled ids, oldest at doneHead; grows by doubling up to doneMax
	doneHead int
	doneLen  int
	doneMax  int
	ttl      time.Duration
	max      int
	stats    CorrelatorStats
}

func newCorrelator(ttl time.Duration, max, doneMax int) *correlator {
	if ttl <= 0 {
		ttl = defaultEarlyTTL
	}
	if max <= 0 {
		max = defaultEarlyMax
	}
	if doneMax <= 0 {
		doneMax = defaultDoneMax
	}
	// Every map and the ring start empty and grow with what the session
	// holds: sized for their caps up front (16,384 ids, a 256 KiB ring)
	// they made 98.75 % of the heap of 10,000 idle sessions (issue 12).
	return &correlator{waiters: make(map[string]*waiter), early: make(map[string]*earlyEntry),
		done: make(map[string]bool), doneMax: doneMax, ttl: ttl, max: max, maxBytes: earlyMaxBytes}
}

// register makes w the waiter for id, delivering at once a message that
// already arrived. Registering an id twice replaces nothing: the second
// caller gets false.
func (c *correlator) register(id string, w *waiter) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweep(time.Now())
	if _, busy := c.waiters[id]; busy {
		return false
	}
	if e := c.early[id]; e != nil {
		c.forget(id, e)
		switch {
		case !w.accepts(&e.msg):
			c.stats.Ignored++
		case !e.partial:
			c.settleLocked(id, w, e.msg)
			return true
		default:
			msg := e.msg
			w.partial = &msg
		}
	}
	c.waiters[id] = w
	return true
}

// dispatch routes one message from the read loop. It reports whether the
// message was kept as early (so that the session's clock expires it).
func (c *correlator) dispatch(m Message) (early bool) {
	id := m.key()
	if id == "" || (m.Type != TypeCommandStatus && m.Type != TypeRequestData && m.Type != TypeStreamReady) {
		c.count(&c.stats.Ignored)
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if w := c.waiters[id]; w != nil {
		c.toWaiter(id, w, m)
		return false
	}
	return c.unclaimed(id, m)
}

func (c *correlator) toWaiter(id string, w *waiter, m Message) {
	switch {
	case !w.accepts(&m):
		c.stats.Ignored++
	case m.Type == TypeRequestData && !m.terminal():
		w.partial = new(Message) // allocated only on this rare branch, so m stays on the stack
		*w.partial = m
	case !m.terminal():
		c.stats.Ignored++
	default:
		if m.Type == TypeStreamReady && w.partial != nil {
			m.Stream, m.DataContext = w.partial.Body, w.partial.DataContext
		}
		delete(c.waiters, id)
		c.settleLocked(id, w, m)
	}
}

func (c *correlator) unclaimed(id string, m Message) (early bool) {
	if abandoned, seen := c.done[id]; seen {
		switch {
		case abandoned:
			c.stats.Late++
		case m.Type == TypeStreamReady:
			c.stats.Ignored++ // the site's URL body settled it; the superset's STREAM-READY follows
		default:
			c.stats.Duplicates++
		}
		return false
	}
	if e := c.early[id]; e != nil {
		c.mergeEarly(e, m)
		return false
	}
	if !m.terminal() && m.Type != TypeRequestData {
		c.stats.Ignored++
		return false
	}
	now := time.Now()
	c.sweep(now)
	c.early[id] = &earlyEntry{msg: m, at: now, partial: !m.terminal()}
	c.bytes += len(m.Body)
	c.queue = append(c.queue, earlyRef{id: id, at: now})
	c.stats.Early++
	c.evictOverflow()
	return true
}

func (c *correlator) mergeEarly(e *earlyEntry, m Message) {
	switch {
	case e.partial && m.Type == TypeStreamReady:
		m.Stream, m.DataContext = e.msg.Body, e.msg.DataContext
		c.bytes += len(m.Body)
		e.msg, e.partial = m, false
	case !m.terminal() || m.Type == TypeStreamReady:
		c.stats.Ignored++
	default:
		c.stats.Duplicates++
	}
}

// settle delivers a reconciled outcome if id still has a waiter.
func (c *correlator) settle(id string, m Message) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.waiters[id]
	if w == nil {
		return false
	}
	delete(c.waiters, id)
	c.stats.Reconciled++
	c.settleLocked(id, w, m)
	return true
}

// withdraw removes id's waiter (timeout, cancel; a later message counts as
// Late) and returns its outcome if one arrived before: once withdrawn,
// nothing more can settle it.
func (c *correlator) withdraw(id string, w *waiter) (Message, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.waiters[id] == w {
		delete(c.waiters, id)
		c.remember(id, true)
	}
	return w.msg, w.settled
}

// tick is the session clock's work at now: expire early messages and
// settled ids, and send the deadline token to every waiter past its
// deadline. It returns the earliest thing still due (a waiter's deadline,
// an early message's or settled id's expiry), or the zero time.
func (c *correlator) tick(now time.Time) (due time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweep(now)
	for _, w := range c.waiters {
		switch {
		case w.expired || w.deadline.IsZero():
		case !now.Before(w.deadline):
			w.expired = true
			w.done <- struct{}{}
		default:
			due = minTime(due, w.deadline)
		}
	}
	if c.head < len(c.queue) {
		due = minTime(due, c.queue[c.head].at.Add(c.ttl))
	}
	if at, ok := c.oldestDone(); ok {
		due = minTime(due, at.Add(c.ttl))
	}
	return due
}

// pendingCommands lists ids of command waiters (for reconciliation).
func (c *correlator) pendingCommands() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, 0, len(c.waiters))
	for id, w := range c.waiters {
		if w.command {
			ids = append(ids, id)
		}
	}
	return ids
}

// settleLocked hands m to w and remembers id as delivered. An expired
// waiter already holds its one token: its Wait collects m through withdraw.
func (c *correlator) settleLocked(id string, w *waiter, m Message) {
	c.remember(id, false)
	c.stats.Delivered++
	w.msg, w.settled = m, true
	if !w.expired {
		w.done <- struct{}{}
	}
}

// remember records id as settled, for ttl and among the last doneMax
// settled ids (a duplicate or late message comes soon after its first, and
// the proxy sends nothing for an id older than its pre-join buffer). The
// ring grows with the session's recent traffic instead of being allocated
// for its cap; a re-settled id only updates its flag, so the map never
// holds more ids than the ring.
func (c *correlator) remember(id string, abandoned bool) {
	if _, known := c.done[id]; known {
		c.done[id] = abandoned
		return
	}
	if c.doneLen == c.doneMax {
		c.forgetOldestDone()
	}
	if c.doneLen == len(c.doneRing) {
		c.growDone()
	}
	c.doneRing[(c.doneHead+c.doneLen)%len(c.doneRing)] = doneRef{id: id, at: time.Now().UnixNano()}
	c.doneLen++
	c.done[id] = abandoned
}

// growDone doubles the ring (from 64, up to doneMax), oldest first.
func (c *correlator) growDone() {
	ring := make([]doneRef, min(max(2*len(c.doneRing), 64), c.doneMax))
	for i := range c.doneLen {
		ring[i] = c.doneRing[(c.doneHead+i)%len(c.doneRing)]
	}
	c.doneRing, c.doneHead = ring, 0
}

func (c *correlator) forgetOldestDone() {
	delete(c.done, c.doneRing[c.doneHead].id)
	c.doneRing[c.doneHead] = doneRef{}
	c.doneHead = (c.doneHead + 1) % len(c.doneRing)
	c.doneLen--
}

// oldestDone is when the oldest remembered id settled; ok is false for none.
func (c *correlator) oldestDone() (time.Time, bool) {
	if c.doneLen == 0 {
		return time.Time{}, false
	}
	return time.Unix(0, c.doneRing[c.doneHead].at), true
}

// sweepDone forgets settled ids older than ttl. Once none is left it drops
// the map and the ring, whose buckets and array Go never shrinks: a
// session that was busy and is now idle holds nothing for it.
func (c *correlator) sweepDone(now time.Time) {
	for at, ok := c.oldestDone(); ok && now.Sub(at) > c.ttl; at, ok = c.oldestDone() {
		c.forgetOldestDone()
	}
	if c.doneLen == 0 && c.doneRing != nil {
		c.done, c.doneRing, c.doneHead = make(map[string]bool), nil, 0
	}
}

// sweep expires early entries older than ttl as orphans, and forgets
// settled ids as old.
func (c *correlator) sweep(now time.Time) {
	for c.head < len(c.queue) && now.Sub(c.queue[c.head].at) > c.ttl {
		c.dropHead()
	}
	c.compact()
	c.sweepDone(now)
}

// forget removes an early entry and its bytes.
func (c *correlator) forget(id string, e *earlyEntry) {
	delete(c.early, id)
	c.bytes -= len(e.msg.Body)
	if e.msg.Type == TypeStreamReady {
		c.bytes -= len(e.msg.Stream)
	}
}

func (c *correlator) evictOverflow() {
	for (len(c.early) > c.max || c.bytes > c.maxBytes) && c.head < len(c.queue) {
		c.dropHead()
	}
}

// dropHead removes the oldest queued entry; it is an orphan if still unclaimed.
func (c *correlator) dropHead() {
	ref := c.queue[c.head]
	c.queue[c.head] = earlyRef{}
	c.head++
	if e := c.early[ref.id]; e != nil && e.at.Equal(ref.at) {
		c.forget(ref.id, e)
		c.stats.Orphans++
	}
}

func (c *correlator) compact() {
	if c.head == len(c.queue) && c.head > 0 {
		// Every queued ref has expired, so nothing is early: hold no array
		// or buckets for a past burst.
		c.queue, c.head = nil, 0
		if len(c.early) == 0 {
			c.early = make(map[string]*earlyEntry)
		}
		return
	}
	if c.head > 1024 && c.head*2 > len(c.queue) {
		n := copy(c.queue, c.queue[c.head:])
		c.queue = c.queue[:n]
		c.head = 0
	}
}

func (c *correlator) count(field *uint64) {
	c.mu.Lock()
	*field++
	c.mu.Unlock()
}

func (c *correlator) snapshot() CorrelatorStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}
