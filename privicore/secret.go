package privicore

import "strings"

const redacted = "[redacted]"

// Secret holds a value that must never be printed: a password, an
// authorization token, an OAuth client secret, access or refresh token, or a
// URL carrying a single-use auth token. fmt prints it as [redacted]; Reveal
// returns the value for the wire.
type Secret string

// String redacts.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString redacts under %#v too.
func (s Secret) GoString() string { return `privicore.Secret("` + s.String() + `")` }

// MarshalText redacts, so a Secret inside a logged JSON struct stays hidden.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Reveal returns the secret value itself.
func (s Secret) Reveal() string { return string(s) }

// scrub replaces every occurrence of the given secrets in text.
func scrub(text string, secrets ...Secret) string {
	for _, s := range secrets {
		if len(s) >= 4 {
			text = strings.ReplaceAll(text, string(s), redacted)
		}
	}
	return redactQuery(text)
}
