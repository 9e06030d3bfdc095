package sim

import (
	"errors"
	"io"
	"net/http"
	"sync"
	"time"
)

// downloadTTL is how long a downstream token stays usable.
const downloadTTL = 5 * time.Minute

// streamStore holds the single-use credentials of the two stream
// services: upload tokens bound to a reservation, download tokens bound
// to a copy of the stored bytes. Both expire and are evicted.
type streamStore struct {
	now       func() time.Time // Options.Clock
	mu        sync.Mutex
	uploads   map[string]uploadTarget
	downloads map[string]download
}

type uploadTarget struct {
	profile   *profile
	tmp       string
	expiresAt time.Time
}

type download struct {
	blob      []byte
	expiresAt time.Time
}

func newStreamStore(now func() time.Time) *streamStore {
	return &streamStore{now: now, uploads: map[string]uploadTarget{}, downloads: map[string]download{}}
}

func (ss *streamStore) addUpload(tok string, t uploadTarget) {
	ss.mu.Lock()
	ss.uploads[tok] = t
	ss.mu.Unlock()
}

// takeUpload consumes an upload token.
func (ss *streamStore) takeUpload(tok string) (uploadTarget, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	t, ok := ss.uploads[tok]
	delete(ss.uploads, tok)
	return t, ok && ss.now().Before(t.expiresAt)
}

func (ss *streamStore) dropUpload(tok string) {
	ss.mu.Lock()
	delete(ss.uploads, tok)
	ss.mu.Unlock()
}

// addDownload issues a downstream token for blob.
func (ss *streamStore) addDownload(blob []byte) string {
	tok := secret("dl-")
	ss.mu.Lock()
	ss.downloads[tok] = download{blob: blob, expiresAt: ss.now().Add(downloadTTL)}
	ss.mu.Unlock()
	return tok
}

// takeDownload consumes a downstream token.
func (ss *streamStore) takeDownload(tok string) ([]byte, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	d, ok := ss.downloads[tok]
	delete(ss.downloads, tok)
	return d.blob, ok && ss.now().Before(d.expiresAt)
}

func (ss *streamStore) evictExpired(now time.Time) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for tok, u := range ss.uploads {
		if !now.Before(u.expiresAt) {
			delete(ss.uploads, tok)
		}
	}
	for tok, d := range ss.downloads {
		if !now.Before(d.expiresAt) {
			delete(ss.downloads, tok)
		}
	}
}

// streamAuth checks a stream service request's path ("/") and method,
// answering 404 or 405 itself, and returns its ?auth= token.
func streamAuth(w http.ResponseWriter, r *http.Request, method string) (string, bool) {
	if r.URL.Path != "/" {
		writeError(w, http.StatusNotFound, "request.unknown_path")
		return "", false
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		writeError(w, http.StatusMethodNotAllowed, "request.method_not_allowed")
		return "", false
	}
	return r.URL.Query().Get("auth"), true
}

// serveUpload is D4, the upstream service: POST /?auth=<stream token>
// with the raw ciphertext fills the reservation like an exchange would.
// Beyond MaxStoredBytes it answers 507 {"message":"storage.quota_exceeded"}:
// 413 already means "this upload alone is too large" (MaxUploadBytes),
// while 507 Insufficient Storage says the store is full, which deleting
// data can cure. The body is charged to MaxStoredBytes as it arrives, so
// the uploads being read together cannot hold more than the quota leaves;
// beyond MaxUploads at once it answers 503 "stream.too_many_uploads" with
// Retry-After before spending the stream token, so the client may retry.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	auth, ok := streamAuth(w, r, http.MethodPost)
	if !ok {
		return
	}
	if !s.uploads.acquire() {
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "stream.too_many_uploads")
		return
	}
	defer s.uploads.release()
	t, ok := s.streams.takeUpload(auth)
	if !ok {
		writeError(w, http.StatusUnauthorized, "stream.invalid_token")
		return
	}
	body := &chargedBody{r: http.MaxBytesReader(w, r.Body, s.opts.MaxUploadBytes), quota: &s.state.stored}
	blob, err := io.ReadAll(body)
	if err != nil {
		s.state.stored.give(body.charged)
		status, reason := http.StatusBadRequest, "stream.upload_failed"
		switch {
		case errors.Is(err, errQuotaFull):
			status, reason = http.StatusInsufficientStorage, reasonQuotaExceeded
		case errors.As(err, new(*http.MaxBytesError)):
			status = http.StatusRequestEntityTooLarge
		}
		writeError(w, status, reason)
		return
	}
	if status, reason := t.profile.fillReservation(t.tmp, blob, body.charged, &s.state.stored, s.clock.Now()); status != 0 {
		s.state.stored.give(body.charged)
		writeError(w, status, reason)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "size": len(blob)})
}

// serveDownload is D6, the downstream service: GET /?auth=<token>
// answers the stored bytes exactly as they were stored.
func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request) {
	auth, ok := streamAuth(w, r, http.MethodGet)
	if !ok {
		return
	}
	blob, ok := s.streams.takeDownload(auth)
	if !ok {
		writeError(w, http.StatusUnauthorized, "stream.invalid_token")
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(http.StatusOK)
	w.Write(blob)
}
