package pipeline

import (
	"container/heap"
	"sync"
	"time"
)

// idleWait is how long the timer sleeps with nothing due; any earlier
// command wakes it.
const idleWait = time.Hour

// scheduler turns submitted commands into work for a fixed pool of
// workers. Commands due now go straight to the work queue; delayed ones
// wait in a min-heap ordered by due time, watched by one timer goroutine
// — no goroutine per command, so a load test costs a heap push per command.
type scheduler struct {
	work    chan *Command
	run     func(*Command)
	clock   Clock
	mu      sync.Mutex // guards due
	due     dueHeap
	wake    chan struct{} // nudges the timer goroutine when the earliest due time changes
	stop    chan struct{}
	gate    sync.RWMutex // senders on work hold it shared; close takes it to flip stopped
	stopped bool         // guarded by gate
	wg      sync.WaitGroup
	timerWG sync.WaitGroup
}

func newScheduler(workers int, clock Clock, run func(*Command)) *scheduler {
	k := &scheduler{work: make(chan *Command, 4096), run: run, clock: clock,
		wake: make(chan struct{}, 1), stop: make(chan struct{})}
	for range workers {
		k.wg.Add(1)
		go k.worker()
	}
	k.timerWG.Add(1)
	go k.timer()
	return k
}

func (k *scheduler) worker() {
	defer k.wg.Done()
	for c := range k.work {
		k.run(c)
	}
}

// now queues c for the next free worker.
func (k *scheduler) now(c *Command) {
	k.gate.RLock()
	if k.stopped { // Close is draining: run it here rather than lose it
		k.gate.RUnlock()
		k.run(c)
		return
	}
	k.work <- c
	k.gate.RUnlock()
}

// later queues c for its due time.
func (k *scheduler) later(c *Command) {
	k.gate.RLock()
	if k.stopped {
		k.gate.RUnlock()
		k.run(c)
		return
	}
	k.mu.Lock()
	heap.Push(&k.due, c)
	first := k.due[0] == c
	k.mu.Unlock()
	k.gate.RUnlock()
	if first {
		k.nudge()
	}
}

// timer moves due commands to the work queue. It sleeps until the
// earliest due time (an AfterFunc that nudges wake) or until later
// wakes it for an earlier command.
func (k *scheduler) timer() {
	defer k.timerWG.Done()
	for {
		now := k.clock.Now()
		next := now.Add(k.popDue(now))
		before := k.clock.Now()
		stop := k.clock.AfterFunc(next.Sub(before), k.nudge)
		// The clock may move between reading it and arming the timer, which
		// then fires that much late, or after next. A fake clock advanced by
		// a test jumps, then stays still, so such a timer would never fire:
		// look once more when the clock passed next or moved more than a
		// wall clock does between two reads (a preempted read costs only
		// one more pass).
		if after := k.clock.Now(); !after.Before(next) || after.Sub(before) > time.Microsecond {
			k.nudge()
		}
		select {
		case <-k.wake:
			stop()
		case <-k.stop:
			stop()
			return
		}
	}
}

// nudge wakes the timer goroutine; a wake already pending is enough.
func (k *scheduler) nudge() {
	select {
	case k.wake <- struct{}{}:
	default:
	}
}

// popDue sends every command due by now to the workers and returns how
// long until the next one.
func (k *scheduler) popDue(now time.Time) time.Duration {
	for {
		k.mu.Lock()
		if len(k.due) == 0 {
			k.mu.Unlock()
			return idleWait
		}
		c := k.due[0]
		if wait := c.due.Sub(now); wait > 0 {
			k.mu.Unlock()
			return wait
		}
		heap.Pop(&k.due)
		k.mu.Unlock()
		k.gate.RLock()
		if k.stopped {
			k.gate.RUnlock()
			k.mu.Lock()
			heap.Push(&k.due, c)
			k.mu.Unlock()
			return idleWait
		}
		k.work <- c
		k.gate.RUnlock()
	}
}

// close resolves every queued and delayed command now (ignoring the
// latency), then stops the workers. Commands submitted afterwards run on
// the submitter's goroutine.
func (k *scheduler) close() {
	k.gate.Lock()
	if k.stopped {
		k.gate.Unlock()
		return
	}
	k.stopped = true
	k.gate.Unlock()
	close(k.stop)
	k.timerWG.Wait()
	k.mu.Lock()
	rest := k.due
	k.due = nil
	k.mu.Unlock()
	for _, c := range rest {
		k.work <- c
	}
	close(k.work)
	k.wg.Wait()
}

// dueHeap orders commands by due time.
type dueHeap []*Command

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(*Command)) }
func (h *dueHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return c
}
