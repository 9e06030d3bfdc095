package privicore

import (
	"net/http"
	"testing"
)

// The default pool must keep as many idle connections per host as a load
// test has requests in flight, with no global cap below that: a connection
// closed after use is redialled and leaves a socket in TIME_WAIT.
func TestTheDefaultTransportIsSizedForLoad(t *testing.T) {
	tr, ok := New(Options{}).http.Transport.(*http.Transport)
	if !ok {
		t.Fatal("default client has no *http.Transport")
	}
	if tr.MaxIdleConnsPerHost < 1024 {
		t.Errorf("MaxIdleConnsPerHost %d, want at least 1024", tr.MaxIdleConnsPerHost)
	}
	if tr.MaxIdleConns != 0 && tr.MaxIdleConns < tr.MaxIdleConnsPerHost {
		t.Errorf("MaxIdleConns %d caps the pool below MaxIdleConnsPerHost %d", tr.MaxIdleConns, tr.MaxIdleConnsPerHost)
	}
	if tr.DisableKeepAlives || tr.IdleConnTimeout == 0 {
		t.Errorf("keep-alives off (%v) or idle connections never reaped (IdleConnTimeout %v)", tr.DisableKeepAlives, tr.IdleConnTimeout)
	}
}
