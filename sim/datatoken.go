package sim

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pcflow/pcflow/sim/internal/pipeline"
)

// Reservation ttl is in minutes, 1..60, default 5 (§5.3 #4: reproduces
// both "300 → 422" and "5 works").
const (
	minReserveTTL     = 1
	maxReserveTTL     = 60
	defaultReserveTTL = 5
	minBlobLen        = 12 + 16 // IV + GCM tag: the smallest AES-GCM wire blob
	maxMetaFields     = 64
)

func dataTokenRoutes() []route {
	return []route{
		{"POST", "/data-token/reserve-token-space", "reserve-token-space", authToken, (*Server).reserveTokenSpace},
		{"GET", "/data-token/retrieve-temporary-data-token/{id}", "retrieve-temporary-data-token", authToken, (*Server).retrieveTemporaryToken},
		{"POST", "/data-token/exchange-data-for-token", "exchange-data-for-token", authToken, (*Server).exchangeData},
		{"POST", "/data-token/configure-file-meta", "configure-file-meta", authToken, (*Server).configureFileMeta},
		{"POST", "/data-token/request-data", "request-data", authToken, (*Server).requestData},
		{"POST", "/data-token/configure-information-security-risk-meta", "configure-information-security-risk-meta", authToken, (*Server).configureRiskMeta},
		{"GET", "/data-token/list-data-tokens", "list-data-tokens", authToken, (*Server).listDataTokens},
		{"POST", "/data-token/update-data-token", "update-data-token", authToken, (*Server).updateDataToken},
		{"POST", "/data-token/update-data", "update-data-token", authToken, (*Server).updateData},
		{"POST", "/data-token/delete-data", "delete-data", authToken, (*Server).deleteData},
	}
}

// reserveTokenSpace is D1; the reservation exists once the command resolved.
func (s *Server) reserveTokenSpace(c *call) {
	f := c.fields()
	context := f.str("context", true, maxFieldLen)
	ttl := f.integer("ttl", false, minReserveTTL, maxReserveTTL, defaultReserveTTL)
	if errs := f.errs["ttl"]; len(errs) > 0 && errs[0] == "validation.out_of_range" {
		f.errs["ttl"] = []string{"data_token.ttl_out_of_range"}
	}
	meta := f.str("meta", false, maxFieldLen)
	if !f.ok() {
		return
	}
	p := c.profile
	s.acceptWithID(c.w, p, c.op, func(id string) outcome {
		r := &reservation{tmp: "tmp-" + s.ids.uuid7(), commandID: id, context: context, meta: meta,
			streamToken: secret("st-"), expiresAt: s.clock.Now().Add(time.Duration(ttl) * time.Minute)}
		if !p.addReservation(r) {
			return rejected("data_token.too_many_reservations")
		}
		s.streams.addUpload(r.streamToken, uploadTarget{profile: p, tmp: r.tmp, expiresAt: r.expiresAt})
		return succeeded()
	})
}

// retrieveTemporaryToken is D2: 404 until the reservation settled, after
// it expired, and for another profile's command.
func (s *Server) retrieveTemporaryToken(c *call) {
	tmp, streamToken, ok := c.profile.reservationOf(c.r.PathValue("id"), s.clock.Now())
	if !ok {
		writeError(c.w, http.StatusNotFound, "data_token.reservation_not_found")
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]string{"token": tmp, "stream": s.urls.Upstream + "/?auth=" + streamToken})
}

// blob reads a base64 AES-GCM blob field (§1.11): at least IV and tag.
func (f *fields) blob(name string, max int) []byte {
	s := f.str(name, true, max)
	if s == "" {
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) < minBlobLen {
		f.fail(name, "data_token.invalid_data")
		return nil
	}
	return b
}

// exchangeData is D3: the bytes land in the reservation when the command resolves.
func (s *Server) exchangeData(c *call) {
	f := c.fields()
	tmp := f.str("temporaryTokenSpace", true, maxFieldLen)
	blob := f.blob("data", int(s.opts.MaxBodyBytes))
	if !f.ok() {
		return
	}
	p := c.profile
	if !p.hasReservation(tmp, s.clock.Now()) {
		writeError(c.w, http.StatusNotFound, "data_token.reservation_not_found")
		return
	}
	s.acceptGated(c.w, p, c.op, eventExchangeData, func() outcome {
		if s.opts.RequireStorageDevice && !p.hasStorageDevice() {
			return rejected("storage.no_device")
		}
		if status, reason := p.fillReservation(tmp, blob, 0, &s.state.stored, s.clock.Now()); status != 0 {
			return rejected(reason)
		}
		return succeeded()
	})
}

// configureFileMeta is D8 (sync): it turns a filled tmp-… into a dtk-….
func (s *Server) configureFileMeta(c *call) {
	f := c.fields()
	tmp := f.str("token", true, maxFieldLen)
	dt := &dataToken{fileName: f.str("fileName", true, maxFieldLen), extension: f.str("extension", true, maxFieldLen),
		context: f.str("context", true, maxFieldLen), path: f.str("path", true, maxFieldLen),
		size: f.integer("size", true, 0, 1<<40, 0), createdAt: s.clock.Now()}
	if !f.ok() {
		return
	}
	dt.token = "dtk-" + s.ids.uuid7()
	streamToken, found, filled := c.profile.promote(tmp, dt, s.clock.Now())
	switch {
	case !found:
		writeError(c.w, http.StatusNotFound, "data_token.reservation_not_found")
		return
	case !filled:
		f.fail("token", "data_token.not_filled")
		f.ok()
		return
	}
	s.streams.dropUpload(streamToken)
	writeJSON(c.w, http.StatusOK, map[string]string{"token": dt.token})
}

// ownDataToken answers 404 unless token names one of c's data tokens.
func (c *call) ownDataToken(token string) bool {
	if !c.profile.hasDataToken(token) {
		writeError(c.w, http.StatusNotFound, "data_token.not_found")
		return false
	}
	return true
}

// requestData is D5, the async request: 202 with x-dpt-cab-id and
// x-dpt-cab-request-id headers and a null body ([D]); the payload follows
// on the socket inline (≤ InlineThreshold) or through the downstream service.
func (s *Server) requestData(c *call) {
	f := c.fields()
	token := f.str("token", true, maxFieldLen)
	if !f.ok() || !c.ownDataToken(token) {
		return
	}
	p, requestID := c.profile, s.ids.uuid7()
	cmd := s.newCommand(p, c.op, s.gatedRequest(p, token, requestID))
	s.submit(cmd, func() {
		h := c.w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("X-Dpt-Cab-Id", cmd.ID)
		h.Set("X-Dpt-Cab-Request-Id", requestID)
		c.w.WriteHeader(http.StatusAccepted)
		c.w.Write([]byte("null"))
	})
}

// deliverData builds the request-data messages for token: inline, or
// streamed as OutputTypeMode reads output_type 1 (guide: token body and
// STREAM-READY; site: the full download URL as body, nothing after).
func (s *Server) deliverData(p *profile, token, requestID string) outcome {
	blob, context, ok := p.storedData(token)
	if !ok {
		return requestRejected(requestID, "data_token.not_found")
	}
	o := succeeded()
	if len(blob) <= s.opts.InlineThreshold {
		o.Messages = [][]byte{requestDataMessage(requestID, context, 0, base64.StdEncoding.EncodeToString(blob))}
		return o
	}
	tok := s.streams.addDownload(blob)
	url := s.urls.Downstream + "/?auth=" + tok
	if s.opts.OutputTypeMode == OutputTypeSite {
		o.Messages = [][]byte{requestDataMessage(requestID, context, 1, url)}
		return o
	}
	o.Messages = [][]byte{requestDataMessage(requestID, context, 1, tok), streamReadyMessage(requestID, url)}
	return o
}

// requestRejected is a request-data outcome refused for reason: the
// X-DPT-CAB-REQUEST-ID message its caller waits for, with status 3.
func requestRejected(requestID, reason string) outcome {
	o := rejected(reason)
	o.Messages = [][]byte{envelope(map[string]any{"type": typeRequestData, "id": requestID,
		"command_status": pipeline.Rejected, "body": reason})}
	return o
}

// configureRiskMeta is D7: every field but token is kept as sent.
func (s *Server) configureRiskMeta(c *call) {
	f := c.fields()
	token := f.str("token", true, maxFieldLen)
	meta := map[string]string{}
	for _, k := range c.keys() {
		if k != "token" {
			meta[strings.TrimSuffix(k, "[]")] = f.str(k, false, maxFieldLen)
		}
	}
	if len(meta) > maxMetaFields {
		f.fail("token", "data_token.too_many_meta_fields")
	}
	if !f.ok() || !c.ownDataToken(token) {
		return
	}
	p := c.profile
	s.accept(c.w, p, c.op, func() outcome {
		return p.updateDataToken(token, func(dt *dataToken) { dt.riskMeta = meta })
	})
}

// keys lists the request's field names, sorted.
func (c *call) keys() []string {
	var ks []string
	for k := range c.json {
		ks = append(ks, k)
	}
	for k := range c.form {
		if _, dup := c.json[k]; !dup {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}
