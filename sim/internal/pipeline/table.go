package pipeline

import (
	"sync"
	"time"
)

// table keeps every command by id: started ones, held ones, and resolved
// outcomes until the ttl or maxItems evicts them (oldest first). A held
// command (stalled, pending, or resolving on a worker: ended by Complete
// or Close) is marked on the command and counted, rather than kept in a
// second map, because every command is held while it resolves: a map
// would cost an insert and a delete on every command.
type table struct {
	mu       sync.Mutex
	byID     map[string]*Command
	held     int // commands with Command.held set
	maxHeld  int
	order    []*Command // resolved commands, oldest first (a FIFO)
	head     int        // index of the oldest live entry in order
	ttl      time.Duration
	maxItems int
}

func newTable(ttl time.Duration, maxItems, maxHeld int) *table {
	return &table{byID: map[string]*Command{}, maxHeld: maxHeld,
		ttl: ttl, maxItems: maxItems}
}

func (t *table) add(c *Command) {
	t.mu.Lock()
	t.byID[c.ID] = c
	t.mu.Unlock()
}

// hold parks c until Complete or Close; false (and c not held) when
// maxHeld commands are held already.
func (t *table) hold(c *Command) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.held >= t.maxHeld {
		return false
	}
	c.held = true
	t.held++
	return true
}

// release takes c out of the held set; false if it was not there.
func (t *table) release(c *Command) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.releaseLocked(c)
}

// releaseID is release of the command id; nil if it was not held.
func (t *table) releaseID(id string) *Command {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c := t.byID[id]; c != nil && t.releaseLocked(c) {
		return c
	}
	return nil
}

func (t *table) releaseLocked(c *Command) bool {
	if !c.held {
		return false
	}
	c.held = false
	t.held--
	return true
}

// releaseAll empties the held set (Close). Held commands have not ended,
// so none has been evicted from byID.
func (t *table) releaseAll() []*Command {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*Command, 0, t.held)
	for _, c := range t.byID {
		if t.releaseLocked(c) {
			out = append(out, c)
		}
	}
	return out
}

// resolve records o as c's outcome once; false if c already ended.
func (t *table) resolve(c *Command, o Outcome, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c.status != Started {
		return false
	}
	c.status, c.body, c.resolved = o.Status, o.Body, now
	c.resolve, c.onReject = nil, nil // let the closures' captures go
	t.order = append(t.order, c)
	t.evictLocked(now)
	return true
}

func (t *table) lookup(id string) (Snapshot, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.byID[id]
	if c == nil {
		return Snapshot{}, false
	}
	return Snapshot{Status: c.status, Body: c.body, Owner: c.Owner, Anonymous: c.Anonymous}, true
}

// evictLocked drops resolved outcomes older than ttl or beyond maxItems.
func (t *table) evictLocked(now time.Time) {
	for t.head < len(t.order) {
		c := t.order[t.head]
		if len(t.order)-t.head <= t.maxItems && now.Sub(c.resolved) < t.ttl {
			break
		}
		delete(t.byID, c.ID)
		t.order[t.head] = nil
		t.head++
	}
	// Compact once the dead prefix is both large and most of the slice,
	// so that copying stays amortised O(1) per command.
	if t.head > 1024 && t.head*2 > len(t.order) {
		t.order = append(t.order[:0:0], t.order[t.head:]...)
		t.head = 0
	}
}

func (t *table) sweep(now time.Time) {
	t.mu.Lock()
	t.evictLocked(now)
	t.mu.Unlock()
}
