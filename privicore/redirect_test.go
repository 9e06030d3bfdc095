package privicore_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/pcflow/pcflow/privicore"
)

// The client follows no redirect: the API answers none, and following one
// would send the session's token header wherever it points. A 3xx is an
// *APIError with its status, and the other host sees nothing.
func TestRedirectIsNotFollowed(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
	}))
	t.Cleanup(other.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(api.Close)
	c := privicore.New(privicore.Options{APIURL: api.URL})
	_, err := c.CheckServerHealth(context.Background())
	var ae *privicore.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusFound {
		t.Fatalf("err = %v; want an *APIError with status 302", err)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect's target got %d requests", n)
	}
}
