package sim

import (
	"net/http"
	"slices"
	"time"
)

// reservation is a reserved token space (tmp-…) waiting for its bytes and
// its file meta.
type reservation struct {
	tmp, commandID, context, meta string
	streamToken                   string
	expiresAt                     time.Time
	blob                          []byte
	filled                        bool
}

// dataToken is a permanent data token (dtk-…): the stored ciphertext,
// exactly as received, and its metadata.
type dataToken struct {
	token, context, fileName, extension, path string
	size                                      int64
	blob                                      []byte
	riskMeta                                  map[string]string // configure-information-security-risk-meta
	meta                                      map[string]any    // update-data's meta object
	metaBytes                                 int               // meta's size as JSON, charged to the stored-bytes quota
	createdAt                                 time.Time
	seq                                       uint64
}

// liveReservation returns the reservation under key in m if it is live
// at now, or nil. Callers hold p.mu.
func liveReservation(m map[string]*reservation, key string, now time.Time) *reservation {
	r := m[key]
	if r == nil || !now.Before(r.expiresAt) {
		return nil
	}
	return r
}

// addReservation keeps r; false at maxReservationsPerProfile.
func (p *profile) addReservation(r *reservation) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.reservations) >= maxReservationsPerProfile {
		return false
	}
	p.reservations[r.tmp] = r
	p.reservedBy[r.commandID] = r
	return true
}

// reservationOf returns the live reservation that command id made.
func (p *profile) reservationOf(id string, now time.Time) (tmp, streamToken string, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := liveReservation(p.reservedBy, id, now)
	if r == nil {
		return "", "", false
	}
	return r.tmp, r.streamToken, true
}

// hasReservation reports whether tmp is one of p's live reservations.
func (p *profile) hasReservation(tmp string, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return liveReservation(p.reservations, tmp, now) != nil
}

// fillReservation stores blob in p's reservation tmp, counting it against
// stored (MaxStoredBytes), of which the caller took charged bytes already
// (an upload charges its body as it arrives); it returns an HTTP status
// and reason when it cannot (507 when the store is full: the upload's
// answer; an exchange acks 3 with the reason). On failure nothing more is
// taken, and the caller still owns what it charged.
func (p *profile) fillReservation(tmp string, blob []byte, charged int, stored *byteQuota, now time.Time) (int, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := liveReservation(p.reservations, tmp, now)
	switch {
	case r == nil:
		return http.StatusNotFound, "data_token.reservation_not_found"
	case r.filled:
		return http.StatusConflict, "data_token.reservation_already_filled"
	case !stored.resize(charged, len(blob)):
		return http.StatusInsufficientStorage, reasonQuotaExceeded
	}
	r.blob, r.filled = blob, true
	return 0, ""
}

// promote turns the filled reservation tmp into data token dt (named by
// dt.token), which takes its bytes; it returns the reservation's stream
// token, now useless. found and filled say why it could not.
func (p *profile) promote(tmp string, dt *dataToken, now time.Time) (streamToken string, found, filled bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := liveReservation(p.reservations, tmp, now)
	if r == nil || !r.filled {
		return "", r != nil, false
	}
	delete(p.reservations, tmp)
	delete(p.reservedBy, r.commandID)
	p.dataSeq++
	dt.blob, dt.seq = r.blob, p.dataSeq
	p.dataTokens[dt.token] = dt
	return r.streamToken, true, true
}

// hasDataToken reports whether token is one of p's data tokens.
func (p *profile) hasDataToken(token string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dataTokens[token] != nil
}

// storedData returns the bytes and context of p's data token.
func (p *profile) storedData(token string) (blob []byte, context string, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	dt := p.dataTokens[token]
	if dt == nil {
		return nil, "", false
	}
	return dt.blob, dt.context, true
}

// updateDataToken applies change to p's data token, or rejects when it
// was deleted meanwhile.
func (p *profile) updateDataToken(token string, change func(*dataToken)) outcome {
	p.mu.Lock()
	defer p.mu.Unlock()
	dt := p.dataTokens[token]
	if dt == nil {
		return rejected("data_token.not_found")
	}
	change(dt)
	return succeeded()
}

// replaceData replaces the bytes (and, if meta is not nil, the meta of
// metaBytes as JSON) of p's data token, counting the growth of both
// against stored — a meta object is stored too, and could otherwise grow
// the simulator past MaxStoredBytes; it returns the rejection reason
// when it cannot, else "".
func (p *profile) replaceData(token string, blob []byte, meta map[string]any, metaBytes int, stored *byteQuota) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	dt := p.dataTokens[token]
	if dt == nil {
		return "data_token.not_found"
	}
	if meta == nil {
		metaBytes = dt.metaBytes
	}
	if !stored.resize(len(dt.blob)+dt.metaBytes, len(blob)+metaBytes) {
		return reasonQuotaExceeded
	}
	dt.blob = blob
	if meta != nil {
		dt.meta, dt.metaBytes = meta, metaBytes
	}
	return ""
}

// deleteData forgets p's data token and gives its bytes back to stored.
func (p *profile) deleteData(token string, stored *byteQuota) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	dt := p.dataTokens[token]
	if dt == nil {
		return false
	}
	delete(p.dataTokens, token)
	stored.give(len(dt.blob) + dt.metaBytes)
	return true
}

// dataTokenPage is page (from 1) of p's data tokens, oldest first, as
// list records, and how many there are.
func (p *profile) dataTokenPage(page, perPage int64) ([]map[string]any, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	all := make([]*dataToken, 0, len(p.dataTokens))
	for _, dt := range p.dataTokens {
		all = append(all, dt)
	}
	slices.SortFunc(all, func(a, b *dataToken) int { return int(a.seq) - int(b.seq) })
	items := make([]map[string]any, 0, perPage)
	for i := (page - 1) * perPage; i < int64(len(all)) && i < page*perPage; i++ {
		dt := all[i]
		items = append(items, map[string]any{"token": dt.token, "context": dt.context, "fileName": dt.fileName,
			"extension": dt.extension, "size": dt.size, "path": dt.path, "createdAt": timestamp(dt.createdAt)})
	}
	return items, len(all)
}
