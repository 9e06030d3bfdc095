//go:build unix

package privicore

import "syscall"

// probeOnce peeks at an idle connection without blocking: no byte
// available (EAGAIN) means it is open and quiet; a byte (an answer nobody
// asked for), end of file (the server closed it) or an error (a reset)
// means it must not carry a request. It is RawConn.Read's callback and
// never asks to wait.
func (pc *h1Conn) probeOnce(fd uintptr) bool {
	var b [1]byte
	_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	pc.probeOK = err == syscall.EAGAIN || err == syscall.EWOULDBLOCK
	return true
}
