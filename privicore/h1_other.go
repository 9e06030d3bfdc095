//go:build !unix

package privicore

// probeOnce has no non-blocking peek here: an idle connection counts as
// open, and a request that meets it closed fails (a GET is retried once).
func (pc *h1Conn) probeOnce(uintptr) bool {
	pc.probeOK = true
	return true
}
