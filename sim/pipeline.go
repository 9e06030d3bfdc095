package sim

import (
	"net/http"
	"sync"
	"time"
)

// Terminal command statuses of the X-DPT-CAB-ID ack (§1.6).
const (
	statusStarted   = 1
	statusSucceeded = 2
	statusRejected  = 3
)

// Reasons the simulator itself puts in a status-3 body.
const (
	reasonInjected     = "sim.injected_rejection"
	reasonShuttingDown = "sim.shutting_down"
	reasonTooManyHeld  = "sim.too_many_held_commands"
	bodySucceeded      = "Command completed successfully."
)

// outcome is how a command ends. Status 0 means "pending": the command
// stays started until someone calls Server.complete (a voting pool).
type outcome struct {
	Status int    // statusSucceeded, statusRejected, or 0 for pending
	Body   string // the ack body: a sentence on success, a machine key on rejection
	// messages, when set, are published instead of the X-DPT-CAB-ID ack
	// (request-data answers with X-DPT-CAB-REQUEST-ID and STREAM-READY).
	messages [][]byte
}

// succeeded is the outcome of a command that did what it was asked.
func succeeded() outcome { return outcome{Status: statusSucceeded, Body: bodySucceeded} }

// rejected is the outcome of a command refused for reason (a domain.snake_case key).
func rejected(reason string) outcome { return outcome{Status: statusRejected, Body: reason} }

// pending is the outcome of a command whose terminal ack comes later.
func pending() outcome { return outcome{} }

// command is one accepted asynchronous command.
type command struct {
	id      string
	op      string
	counts  *opCounters // s.stats.op(op), looked up once per command
	owner   *profile    // whose sockets receive the ack
	seq     uint64
	plan    faultPlan
	due     time.Time
	resolve func() outcome
	// onReject undoes what the synchronous validation reserved (a
	// username) when the command ends rejected without resolving.
	onReject func()

	// guarded by commandTable.mu
	status   int
	body     string
	resolved time.Time
}

// accept makes a command of op owned by owner: it writes the 202 with the
// command id in the configured shape and schedules resolve on the worker
// pool after the configured latency.
func (s *Server) accept(w http.ResponseWriter, owner *profile, op string, resolve func() outcome) *command {
	c := s.newCommand(owner, op, resolve)
	s.submit(c, func() { s.writeAccepted(w, c) })
	return c
}

// acceptWithID is accept for a command whose resolution needs its own id
// (a device, configuration, policy, pool, reservation or OAuth application
// is named after, or mapped from, the command that made it [P]).
func (s *Server) acceptWithID(w http.ResponseWriter, owner *profile, op string, resolve func(id string) outcome) *command {
	c := s.newCommandWithID(owner, op, resolve)
	s.submit(c, func() { s.writeAccepted(w, c) })
	return c
}

// newCommandWithID is newCommand for a resolve that needs the command's id.
func (s *Server) newCommandWithID(owner *profile, op string, resolve func(id string) outcome) *command {
	c := s.newCommand(owner, op, nil)
	c.resolve = func() outcome { return resolve(c.id) }
	return c
}

// newCommand registers a started command and decides its faults.
func (s *Server) newCommand(owner *profile, op string, resolve func() outcome) *command {
	seq := s.commandSeq.Add(1)
	c := &command{id: s.ids.uuid7(), op: op, counts: s.stats.op(op), owner: owner, seq: seq,
		plan: s.dice.plan(seq, &s.opts), resolve: resolve, status: statusStarted}
	s.commands.add(c)
	c.counts.commands.Add(1)
	return c
}

// submit schedules c and calls respond (which writes the HTTP answer)
// before or after the ack as AckBeforeResponse says.
func (s *Server) submit(c *command, respond func()) {
	if s.opts.AckBeforeResponse && !c.plan.stall {
		s.run(c)
		respond()
		return
	}
	respond()
	s.schedule(c)
}

// schedule hands c to the clock, or holds it when the stall says so.
func (s *Server) schedule(c *command) {
	delay := c.plan.delay
	if c.plan.stall {
		s.stats.faults.stalled.Add(1)
		c.counts.faults.Add(1)
		if s.opts.StallFor == 0 {
			if !s.commands.hold(c) {
				s.finish(c, rejected(reasonTooManyHeld))
			}
			return
		}
		delay += s.opts.StallFor
	}
	if delay <= 0 {
		s.clock.now(c)
		return
	}
	c.due = time.Now().Add(delay)
	s.clock.later(c)
}

// run resolves c on the calling goroutine (a worker) and publishes its ack.
func (s *Server) run(c *command) {
	if c.plan.reject {
		s.stats.faults.rejected.Add(1)
		c.counts.faults.Add(1)
		if c.onReject != nil {
			c.onReject()
		}
		s.finish(c, rejected(reasonInjected))
		return
	}
	// Held while resolve runs, so that complete may end the command even
	// from inside resolve (a pool that decides at once); whoever releases
	// it first finishes it.
	resolve := c.resolve // read before hold: once held, complete may clear it
	if !s.commands.hold(c) {
		s.finish(c, rejected(reasonTooManyHeld))
		return
	}
	o := resolve()
	if o.Status == 0 || s.commands.release(c.id) == nil {
		return
	}
	s.finish(c, o)
}

// complete ends a pending command later (a voting pool resolving). It
// reports false when id is unknown or already ended.
func (s *Server) complete(id string, o outcome) bool {
	c := s.commands.release(id)
	if c == nil {
		return false
	}
	s.finish(c, o)
	return true
}

// finish records the outcome for request-status and publishes the ack,
// dropped or duplicated as the dice decided, after one status-1 ack when
// EmitPendingStatus is set (never dropped or duplicated: the faults are
// about the terminal ack).
func (s *Server) finish(c *command, o outcome) {
	if !s.commands.resolve(c, o) {
		return
	}
	if s.opts.EmitPendingStatus {
		s.hub.publish(c.owner.id, pendingAck(c.id))
	}
	st := c.counts
	if c.plan.drop {
		s.stats.faults.dropped.Add(1)
		st.faults.Add(1)
		return
	}
	copies := 1
	if c.plan.duplicate {
		s.stats.faults.duplicated.Add(1)
		st.faults.Add(1)
		copies = 2
	}
	var ack []byte
	if o.messages == nil {
		ack = appendAck(make([]byte, 0, 128+len(o.Body)), c.id, o.Status, o.Body)
	}
	for range copies {
		if ack != nil {
			s.hub.publish(c.owner.id, ack)
		}
		for _, m := range o.messages {
			s.hub.publish(c.owner.id, m)
		}
		st.acks.Add(1)
	}
}

// maxHeldCommands bounds the commands held at once: stalled without
// StallFor, pending on a vote, or resolving on a worker. A command that
// would exceed it is rejected with reasonTooManyHeld instead of resolving,
// so a stall or a flood of never-ending pools cannot grow memory forever.
const maxHeldCommands = 100_000

// commandTable keeps every command by id: started ones, held ones, and
// resolved outcomes until ResultTTL or MaxResults evicts them (oldest first).
type commandTable struct {
	mu       sync.Mutex
	byID     map[string]*command
	held     map[string]*command // stalled or pending: resolved by complete or Close
	maxHeld  int
	order    []*command // resolved commands, oldest first (a FIFO)
	head     int        // index of the oldest live entry in order
	ttl      time.Duration
	maxItems int
}

func newCommandTable(ttl time.Duration, maxItems int) *commandTable {
	return &commandTable{byID: map[string]*command{}, held: map[string]*command{}, maxHeld: maxHeldCommands,
		ttl: ttl, maxItems: maxItems}
}

func (t *commandTable) add(c *command) {
	t.mu.Lock()
	t.byID[c.id] = c
	t.mu.Unlock()
}

// hold parks c until complete or Close; false (and c not held) when
// maxHeld commands are held already.
func (t *commandTable) hold(c *command) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.held) >= t.maxHeld {
		return false
	}
	t.held[c.id] = c
	return true
}

// release takes c out of the held set; nil if it was not there.
func (t *commandTable) release(id string) *command {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.held[id]
	delete(t.held, id)
	return c
}

// releaseAll empties the held set (Close).
func (t *commandTable) releaseAll() []*command {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*command, 0, len(t.held))
	for id, c := range t.held {
		out = append(out, c)
		delete(t.held, id)
	}
	return out
}

// resolve records o as c's outcome once; false if c already ended.
func (t *commandTable) resolve(c *command, o outcome) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c.status != statusStarted {
		return false
	}
	c.status, c.body, c.resolved = o.Status, o.Body, time.Now()
	c.resolve, c.onReject = nil, nil // let the closures' captures go
	t.order = append(t.order, c)
	t.evictLocked(c.resolved)
	return true
}

// status returns the state of command id: its status, body, owner.
func (t *commandTable) status(id string) (status int, body string, owner *profile, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.byID[id]
	if c == nil {
		return 0, "", nil, false
	}
	return c.status, c.body, c.owner, true
}

// evictLocked drops resolved outcomes older than ttl or beyond maxItems.
func (t *commandTable) evictLocked(now time.Time) {
	for t.head < len(t.order) {
		c := t.order[t.head]
		if len(t.order)-t.head <= t.maxItems && now.Sub(c.resolved) < t.ttl {
			break
		}
		delete(t.byID, c.id)
		t.order[t.head] = nil
		t.head++
	}
	if t.head > 1024 && t.head*2 > len(t.order) {
		t.order = append(t.order[:0:0], t.order[t.head:]...)
		t.head = 0
	}
}

// sweep evicts by age even when no command resolves (the janitor).
func (t *commandTable) sweep(now time.Time) {
	t.mu.Lock()
	t.evictLocked(now)
	t.mu.Unlock()
}
