package pipeline

import (
	"sync/atomic"
	"time"
)

// Command statuses of the X-DPT-CAB-ID ack and of request-status (§1.6).
const (
	Started   = 1
	Succeeded = 2
	Rejected  = 3
)

// Reasons the pipeline itself puts in a status-3 body.
const (
	ReasonInjected     = "sim.injected_rejection"
	ReasonShuttingDown = "sim.shutting_down"
	ReasonTooManyHeld  = "sim.too_many_held_commands"
	// BodySucceeded is the body of a plain success ack.
	BodySucceeded = "Command completed successfully."
)

// DefaultMaxHeld bounds the commands held at once (stalled without
// StallFor, pending on a vote, or resolving on a worker): one that would
// exceed it ends with ReasonTooManyHeld instead of resolving, so that a
// stall or a flood of never-ending votes cannot grow memory for ever.
const DefaultMaxHeld = 100_000

// Outcome is how a command ends. Status 0 means pending: the command stays
// started until Complete ends it.
type Outcome struct {
	Status int    // Succeeded, Rejected, or 0 for pending
	Body   string // the ack body: a sentence on success, a machine key on rejection
	// Messages, when set, are published instead of the X-DPT-CAB-ID ack
	// (request-data answers with its own messages).
	Messages [][]byte
}

// Success is the outcome of a command that did what it was asked.
func Success() Outcome { return Outcome{Status: Succeeded, Body: BodySucceeded} }

// Rejection is the outcome of a command refused for reason (a domain.snake_case key).
func Rejection(reason string) Outcome { return Outcome{Status: Rejected, Body: reason} }

// Pending is the outcome of a command whose terminal ack comes later, by Complete.
func Pending() Outcome { return Outcome{} }

// Plan is what was decided for one command before it runs.
type Plan struct {
	Reject, Drop, Duplicate, Stall bool
	Delay                          time.Duration
}

// Counters count what the pipeline did with one kind of command (one
// operation); every command of that kind shares them.
type Counters struct {
	Commands, Acks, Faults atomic.Int64
}

// FaultCounts count the faults injected into all commands. Stalled counts
// the commands a count stall (Plan.Stall) or a freeze window held.
type FaultCounts struct {
	Rejected, Dropped, Duplicated, Stalled atomic.Int64
}

// Config is what a Pipeline needs from the simulator around it.
type Config struct {
	Workers           int           // resolving goroutines; < 1 → 1
	ResultTTL         time.Duration // how long an outcome stays for Status
	MaxResults        int           // outcomes kept at most, oldest evicted first
	MaxHeld           int           // 0 → DefaultMaxHeld
	StallFor          time.Duration // a stalled command's extra delay; 0 → held until Close
	AckBeforeResponse bool          // resolve before the HTTP answer is written
	EmitPending       bool          // publish StartedAck before every terminal message
	Clock             Clock         // nil → Wall
	// FreezeFor and FreezeEvery are a stall in time: no ack leaves during
	// the first FreezeFor of every FreezeEvery, counted on Clock from New
	// (windows [k·FreezeEvery, k·FreezeEvery+FreezeFor)). A command due
	// inside a window resolves when it closes, and an ack that would
	// leave inside one (a vote completed then, a worker running late)
	// waits for its end too. FreezeEvery 0 → never; New panics unless
	// 0 < FreezeFor < FreezeEvery when FreezeEvery is set (sim validates).
	FreezeFor, FreezeEvery time.Duration
	// Ack encodes a command's terminal X-DPT-CAB-ID message, StartedAck
	// its status-1 message; Publish delivers a message to owner's sockets.
	Ack        func(id string, status int, body string) []byte
	StartedAck func(id string) []byte
	Publish    func(owner string, msg []byte)
	Faults     *FaultCounts // nil → not counted
}

// Command is one accepted asynchronous command.
type Command struct {
	ID    string
	Owner string // whose sockets receive the ack; request-status checks it
	// Unpublished keeps the outcome for request-status only and sends it to
	// no socket, not even through a pre-join buffer: the command of an owner
	// that has no channel while it runs (register-profile: the profile gets
	// its first token afterwards, so the reference has its caller poll, and
	// its ack never reaches a socket). Set it before Submit.
	Unpublished bool
	// Anonymous lets request-status answer a caller without a token: the
	// onboarding commands the live wire's poller asks about before (or
	// without) holding the profile's token. Set it before Submit.
	Anonymous bool
	plan      Plan
	count     *Counters
	due       time.Time
	// resolve and onReject are cleared when the command ends, so that
	// their captures are not kept with the outcome. resolve is given the
	// command's id, so that a resolution named after its command needs no
	// closure of its own around it.
	resolve  func(id string) Outcome
	onReject func()
	// thaw is the outcome a freeze window holds until due; frozen says a
	// window held the command already (it is counted once).
	thaw   *Outcome
	frozen bool

	// guarded by table.mu
	held     bool // stalled, pending or resolving: ended by whoever releases it
	status   int
	body     string
	resolved time.Time
}

// OnReject sets what undoes the synchronous validation's reservations (a
// username) when an injected rejection ends the command without
// resolving. Call it before Submit.
func (c *Command) OnReject(f func()) { c.onReject = f }

// Pipeline runs commands from acceptance to their kept outcome.
type Pipeline struct {
	cfg     Config
	clock   Clock
	table   *table
	sched   *scheduler
	faults  *FaultCounts
	epoch   time.Time   // the freeze windows count from here
	closing atomic.Bool // set by Close: freeze windows hold nothing any more
}

// New starts a pipeline's workers and timer; Close stops them.
func New(cfg Config) *Pipeline {
	if cfg.Clock == nil {
		cfg.Clock = Wall{}
	}
	if cfg.MaxHeld == 0 {
		cfg.MaxHeld = DefaultMaxHeld
	}
	if cfg.Faults == nil {
		cfg.Faults = &FaultCounts{}
	}
	if cfg.FreezeEvery != 0 && !(cfg.FreezeFor > 0 && cfg.FreezeFor < cfg.FreezeEvery) {
		panic("pipeline: want 0 < FreezeFor < FreezeEvery")
	}
	p := &Pipeline{cfg: cfg, clock: cfg.Clock, table: newTable(cfg.ResultTTL, cfg.MaxResults, cfg.MaxHeld), faults: cfg.Faults,
		epoch: cfg.Clock.Now()}
	p.sched = newScheduler(max(cfg.Workers, 1), cfg.Clock, p.run)
	return p
}

// Accept registers a started command of owner under id, counted in
// count, with its plan and the function that resolves it on a worker
// (called with id).
func (p *Pipeline) Accept(id, owner string, plan Plan, count *Counters, resolve func(id string) Outcome) *Command {
	c := &Command{ID: id, Owner: owner, plan: plan, count: count, resolve: resolve, status: Started}
	p.table.add(c)
	count.Commands.Add(1)
	return c
}

// Submit schedules c and calls respond (which writes the HTTP answer)
// before the ack, or after it when AckBeforeResponse says so, c is not
// stalled and no freeze window is open (then it waits like any other).
func (p *Pipeline) Submit(c *Command, respond func()) {
	if p.cfg.AckBeforeResponse && !c.plan.Stall && !p.frozenNow() {
		p.run(c)
		respond()
		return
	}
	respond()
	p.schedule(c)
}

// schedule hands c to the scheduler, or holds it when the stall says so;
// a command due inside a freeze window is due at its end.
func (p *Pipeline) schedule(c *Command) {
	delay := c.plan.Delay
	if c.plan.Stall {
		p.faults.Stalled.Add(1)
		c.count.Faults.Add(1)
		if p.cfg.StallFor == 0 {
			if !p.table.hold(c) {
				p.finish(c, Rejection(ReasonTooManyHeld))
			}
			return
		}
		delay += p.cfg.StallFor
	}
	if delay <= 0 && p.cfg.FreezeEvery == 0 {
		p.sched.now(c)
		return
	}
	now := p.clock.Now()
	due := now.Add(max(delay, 0))
	if end, frozen := p.windowAt(due); frozen {
		p.countFrozen(c)
		due = end
	}
	if !due.After(now) {
		p.sched.now(c)
		return
	}
	c.due = due
	p.sched.later(c)
}

// windowAt reports whether t falls inside a freeze window, and when that
// window closes.
func (p *Pipeline) windowAt(t time.Time) (end time.Time, frozen bool) {
	every := p.cfg.FreezeEvery
	if every == 0 {
		return time.Time{}, false
	}
	phase := t.Sub(p.epoch) % every
	if phase < 0 { // a clock set back before New
		phase += every
	}
	if phase >= p.cfg.FreezeFor {
		return time.Time{}, false
	}
	return t.Add(p.cfg.FreezeFor - phase), true
}

// frozenNow reports whether a freeze window is open now.
func (p *Pipeline) frozenNow() bool {
	if p.cfg.FreezeEvery == 0 {
		return false
	}
	_, frozen := p.windowAt(p.clock.Now())
	return frozen
}

// countFrozen counts c as stalled the first time a window holds it.
func (p *Pipeline) countFrozen(c *Command) {
	if !c.frozen {
		c.frozen = true
		p.faults.Stalled.Add(1)
		c.count.Faults.Add(1)
	}
}

// holdForWindow keeps c's outcome o until the open freeze window closes,
// if one is open and Close has not begun: the due heap brings c back to
// run, which finishes it with o.
func (p *Pipeline) holdForWindow(c *Command, o Outcome) bool {
	if p.cfg.FreezeEvery == 0 || p.closing.Load() {
		return false
	}
	end, frozen := p.windowAt(p.clock.Now())
	if !frozen {
		return false
	}
	p.countFrozen(c)
	// A copy taken here, not &o: o's address escaping would move every
	// call's o to the heap, one allocation per command even outside windows.
	held := o
	c.thaw, c.due = &held, end
	p.sched.later(c)
	return true
}

// run resolves c on the calling goroutine (a worker) and publishes its
// ack, or publishes the outcome a freeze window held.
func (p *Pipeline) run(c *Command) {
	if o := c.thaw; o != nil {
		c.thaw = nil
		p.finish(c, *o)
		return
	}
	if c.plan.Reject {
		p.faults.Rejected.Add(1)
		c.count.Faults.Add(1)
		if c.onReject != nil {
			c.onReject()
		}
		p.finish(c, Rejection(ReasonInjected))
		return
	}
	// Held while resolve runs, so that Complete may end the command even
	// from inside resolve (a vote that decides at once); whoever releases
	// it first finishes it.
	resolve := c.resolve // read before hold: once held, Complete may clear it
	if !p.table.hold(c) {
		p.finish(c, Rejection(ReasonTooManyHeld))
		return
	}
	o := resolve(c.ID)
	if o.Status == 0 || !p.table.release(c) {
		return
	}
	p.finish(c, o)
}

// Complete ends a pending command (a vote that ended). It reports false
// when id is unknown or already ended.
func (p *Pipeline) Complete(id string, o Outcome) bool {
	c := p.table.releaseID(id)
	if c == nil {
		return false
	}
	p.finish(c, o)
	return true
}

// finish records the outcome for Status and publishes the ack, dropped or
// duplicated as the plan says, after one StartedAck when EmitPending is
// set (never dropped or duplicated: the faults are about the terminal ack).
// Inside a freeze window it does so when the window closes: until then
// the command stays started.
func (p *Pipeline) finish(c *Command, o Outcome) {
	if p.holdForWindow(c, o) {
		return
	}
	if !p.table.resolve(c, o, p.clock.Now()) || c.Unpublished {
		return
	}
	if p.cfg.EmitPending {
		p.cfg.Publish(c.Owner, p.cfg.StartedAck(c.ID))
	}
	if c.plan.Drop {
		p.faults.Dropped.Add(1)
		c.count.Faults.Add(1)
		return
	}
	copies := 1
	if c.plan.Duplicate {
		p.faults.Duplicated.Add(1)
		c.count.Faults.Add(1)
		copies = 2
	}
	var ack []byte
	if o.Messages == nil {
		ack = p.cfg.Ack(c.ID, o.Status, o.Body)
	}
	for range copies {
		if ack != nil {
			p.cfg.Publish(c.Owner, ack)
		}
		for _, m := range o.Messages {
			p.cfg.Publish(c.Owner, m)
		}
		c.count.Acks.Add(1)
	}
}

// Status returns command id's status and body and its owner; ok is false
// for an id never accepted or whose outcome aged out.
func (p *Pipeline) Status(id string) (status int, body, owner string, ok bool) {
	c, ok := p.table.lookup(id)
	return c.Status, c.Body, c.Owner, ok
}

// Snapshot is what request-status may tell about one command.
type Snapshot struct {
	Status    int
	Body      string
	Owner     string
	Anonymous bool // a caller without a token may see it (Command.Anonymous)
}

// Lookup is Status with Command.Anonymous, which decides whether a caller
// without a token may see the command.
func (p *Pipeline) Lookup(id string) (Snapshot, bool) { return p.table.lookup(id) }

// Sweep evicts outcomes older than ResultTTL even when no command ends.
func (p *Pipeline) Sweep(now time.Time) { p.table.sweep(now) }

// Close resolves every queued and delayed command now (ignoring their
// latency and any freeze window), stops the workers, and ends every held
// command rejected with ReasonShuttingDown. Commands submitted afterwards
// run on the submitter's goroutine. It is idempotent.
func (p *Pipeline) Close() {
	p.closing.Store(true)
	p.sched.close()
	for _, c := range p.table.releaseAll() {
		p.finish(c, Rejection(ReasonShuttingDown))
	}
}
