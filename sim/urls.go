package sim

import (
	"fmt"
	"strings"
)

// urlsPrefix starts the line `pcflow sim` prints first.
const urlsPrefix = "pcflow sim: "

// Line is the first line `pcflow sim` prints on stdout, the one programs
// that start it in another process read its addresses from:
//
//	pcflow sim: api=http://HOST:PORT ws=ws://HOST:PORT upstream=http://HOST:PORT downstream=http://HOST:PORT
func (u URLs) Line() string {
	return fmt.Sprintf("%sapi=%s ws=%s upstream=%s downstream=%s", urlsPrefix, u.API, u.WS, u.Upstream, u.Downstream)
}

// ParseURLsLine reads a Line back; every one of the four addresses must be
// there.
func ParseURLsLine(line string) (URLs, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), urlsPrefix)
	if !ok {
		return URLs{}, fmt.Errorf("sim: %q is not the line pcflow sim starts with (%q…)", line, urlsPrefix)
	}
	var u URLs
	for _, field := range strings.Fields(rest) {
		key, value, _ := strings.Cut(field, "=")
		switch key {
		case "api":
			u.API = value
		case "ws":
			u.WS = value
		case "upstream":
			u.Upstream = value
		case "downstream":
			u.Downstream = value
		}
	}
	if u.API == "" || u.WS == "" || u.Upstream == "" || u.Downstream == "" {
		return URLs{}, fmt.Errorf("sim: %q lacks one of api=, ws=, upstream=, downstream=", line)
	}
	return u, nil
}
