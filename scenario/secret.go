package scenario

// revealer is a value that holds a secret — a password, a token, a key, a
// client secret — and gives its text only when asked, for the wire. The
// client's privicore.Secret is one; scenario cannot name that type (it
// imports nothing of the client), so it recognises the method.
type revealer interface{ Reveal() string }

// SecretText is a template's result when one of its parts was a secret:
// "Bearer ${token}" is as secret as the token. It prints as [redacted]
// through fmt and encoding/json and gives its text only through Reveal,
// so a step that sends it reveals it and a trace or diagnosis that prints
// it does not.
type SecretText string

// Reveal returns the text, for the wire.
func (s SecretText) Reveal() string { return string(s) }

// String returns "[redacted]".
func (SecretText) String() string { return "[redacted]" }

// GoString returns "[redacted]", for %#v.
func (SecretText) GoString() string { return "[redacted]" }

// MarshalText redacts the text in encoding/json and other encoders.
func (SecretText) MarshalText() ([]byte, error) { return []byte("[redacted]"), nil }
