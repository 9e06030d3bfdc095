package sim

import (
	"net"
	"sync"
	"sync/atomic"
)

// connLimit counts the connections open on all four listeners together
// and bounds them (Options.MaxConnections): beyond the bound, Accept waits
// for one to close, so that a flood of idle connections or never-joining
// sockets queues in the kernel's backlog instead of exhausting the
// process's file descriptors. The count is Stats.Connections, so a test
// can assert the bound held rather than only that a connection waited.
type connLimit struct {
	slots chan struct{} // nil: unlimited, still counted
	open  atomic.Int64
}

// newConnLimit bounds connections at max; max ≤ 0 counts without a bound.
func newConnLimit(max int) *connLimit {
	l := &connLimit{}
	if max > 0 {
		l.slots = make(chan struct{}, max)
	}
	return l
}

// wrap returns ln counted, and limited when l has a bound.
func (l *connLimit) wrap(ln net.Listener) net.Listener {
	return &limitedListener{Listener: ln, limit: l, closed: make(chan struct{})}
}

type limitedListener struct {
	net.Listener
	limit     *connLimit
	closed    chan struct{}
	closeOnce sync.Once
}

// Accept takes a connection, then waits for a slot (so that the four
// listeners' waiting Accepts hold no slot; at most one accepted
// connection per listener waits beyond the bound). The slot is given back
// when the connection closes.
func (l *limitedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	slots := l.limit.slots
	if slots != nil {
		select {
		case slots <- struct{}{}:
		case <-l.closed:
			c.Close()
			return nil, net.ErrClosed
		}
	}
	open := &l.limit.open
	open.Add(1)
	return &limitedConn{Conn: c, release: sync.OnceFunc(func() {
		open.Add(-1)
		if slots != nil {
			<-slots
		}
	})}, nil
}

// Close also wakes an Accept waiting for a slot.
func (l *limitedListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

type limitedConn struct {
	net.Conn
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
