package sim

import (
	"encoding/json"
	"net/http"
)

// listDataTokens is D9: the caller's data tokens, oldest first, paged.
func (s *Server) listDataTokens(c *call) {
	f := c.fields()
	page := f.integer("page", false, 1, 1<<31, 1)
	perPage := f.integer("perPage", false, 1, 100, 25)
	if !f.ok() {
		return
	}
	items, count := c.profile.dataTokenPage(page, perPage)
	writeJSON(c.w, http.StatusOK, map[string]any{"items": items,
		"meta": map[string]any{"count": count, "page": page, "perPage": perPage}})
}

// updateDataToken is D10 at the probe's path: metadata only, async.
func (s *Server) updateDataToken(c *call) {
	f := c.fields()
	token := f.str("token", true, maxFieldLen)
	fileName := f.str("fileName", false, maxFieldLen)
	extension := f.str("extension", false, maxFieldLen)
	context := f.str("context", false, maxFieldLen)
	if !f.ok() || !c.ownDataToken(token) {
		return
	}
	p := c.profile
	s.accept(c.w, p, c.op, func() outcome {
		return p.updateDataToken(token, func(dt *dataToken) {
			setIf(&dt.fileName, fileName)
			setIf(&dt.extension, extension)
			setIf(&dt.context, context)
		})
	})
}

func setIf(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// updateData is D10 at the site's path: JSON dataToken + data (+ meta
// object), replacing the stored bytes, mapped onto the same record; a
// replacement that grows the store past MaxStoredBytes acks 3.
func (s *Server) updateData(c *call) {
	f := c.fields()
	token := f.str("dataToken", true, maxFieldLen)
	blob := f.blob("data", int(s.opts.MaxBodyBytes))
	var meta map[string]any
	if v, ok := c.raw("meta"); ok {
		if meta, ok = v.(map[string]any); !ok {
			if str, isStr := v.(string); !isStr || json.Unmarshal([]byte(str), &meta) != nil {
				f.fail("meta", "validation.object_expected")
			}
		}
	}
	if !f.ok() || !c.ownDataToken(token) {
		return
	}
	p := c.profile
	s.accept(c.w, p, c.op, func() outcome {
		if reason := p.replaceData(token, blob, meta, jsonSize(meta), &s.state.stored); reason != "" {
			return rejected(reason)
		}
		return succeeded()
	})
}

// deleteData is D11: after the ack, request-data on the token is a 404,
// and its bytes no longer count against MaxStoredBytes.
func (s *Server) deleteData(c *call) {
	f := c.fields()
	token := f.str("token", true, maxFieldLen)
	if !f.ok() || !c.ownDataToken(token) {
		return
	}
	p := c.profile
	s.accept(c.w, p, c.op, func() outcome {
		if !p.deleteData(token, &s.state.stored) {
			return rejected("data_token.not_found")
		}
		return succeeded()
	})
}
