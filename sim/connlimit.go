package sim

import (
	"net"
	"sync"
)

// connLimit bounds the connections open on all four listeners together
// (Options.MaxConnections): beyond it, Accept waits for one to close, so
// that a flood of idle connections or never-joining sockets queues in the
// kernel's backlog instead of exhausting the process's file descriptors.
type connLimit chan struct{}

// wrap returns ln limited by l; a nil l leaves ln unlimited.
func (l connLimit) wrap(ln net.Listener) net.Listener {
	if l == nil {
		return ln
	}
	return &limitedListener{Listener: ln, slots: l, closed: make(chan struct{})}
}

type limitedListener struct {
	net.Listener
	slots     connLimit
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
	select {
	case l.slots <- struct{}{}:
	case <-l.closed:
		c.Close()
		return nil, net.ErrClosed
	}
	return &limitedConn{Conn: c, release: sync.OnceFunc(func() { <-l.slots })}, nil
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
