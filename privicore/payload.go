package privicore

import (
	"context"
	"fmt"
)

// PayloadPath is how a blob travels to the vault.
type PayloadPath uint8

const (
	// PathAuto sends blobs up to Options.InlineLimit through
	// exchange-data-for-token and larger ones to the upstream stream URL.
	PathAuto PayloadPath = iota
	// PathInline forces exchange-data-for-token.
	PathInline
	// PathStream forces the upstream stream URL.
	PathStream
)

// String is "auto", "inline" or "stream".
func (p PayloadPath) String() string {
	return [...]string{"auto", "inline", "stream"}[min(int(p), 2)]
}

// StoreParams are the store flow's inputs.
type StoreParams struct {
	Key       AESKey      // required: the zero key is refused
	Plaintext []byte      // encrypted with Key before it leaves the process
	Context   string      // required
	FileName  string      // "" means "data"
	Extension string      // "" means "bin"
	Path      string      // virtual path; "" means "/"
	TTL       int         // reservation minutes; 0 means 5
	Via       PayloadPath // zero is PathAuto
}

// String shows the inputs but not the plaintext (nor the key).
func (p StoreParams) String() string {
	return fmt.Sprintf("privicore.StoreParams{context %q, %d bytes, via %v}", p.Context, len(p.Plaintext), p.Via)
}

// GoString is String.
func (p StoreParams) GoString() string { return p.String() }

// MarshalText is String, for encoding/json and other text encoders.
func (p StoreParams) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// Stored is the store flow's outcome with every step's timing.
type Stored struct {
	DataToken string         // dtk-…
	Via       PayloadPath    // PathInline or PathStream, as chosen
	Reserve   Ack            // reserve-token-space
	Temporary TemporaryToken // retrieve-temporary-data-token
	Exchange  Ack            // exchange-data-for-token (inline path)
	Upstream  Result         // upstream-file (stream path)
	FileMeta  DataToken      // configure-file-meta
}

// Store encrypts, reserves, uploads (inline or streamed) and configures
// file meta: reserve → retrieve-temporary-data-token → exchange or upstream
// → configure-file-meta. It returns the permanent data token.
func (s *Session) Store(ctx context.Context, p StoreParams) (Stored, error) {
	var out Stored
	if p.Key == (AESKey{}) {
		return out, invalid("store", "Key is the zero key (forgotten NewAESKey?)")
	}
	blob, err := p.Key.Seal(p.Plaintext)
	if err != nil {
		return out, err
	}
	if out.Reserve, err = s.ReserveTokenSpace(ctx, ReserveParams{Context: p.Context, TTL: p.TTL}); err != nil {
		return out, err
	}
	if out.Temporary, err = s.RetrieveTemporaryDataToken(ctx, out.Reserve.CommandID); err != nil {
		return out, err
	}
	if err = s.upload(ctx, &out, p.Via, blob); err != nil {
		return out, err
	}
	out.FileMeta, err = s.ConfigureFileMeta(ctx, FileMeta{TemporaryToken: out.Temporary.Token,
		FileName: def(p.FileName, "data"), Extension: def(p.Extension, "bin"), Context: p.Context,
		Size: int64(len(p.Plaintext)), Path: p.Path})
	out.DataToken = out.FileMeta.Token
	return out, err
}

func (s *Session) upload(ctx context.Context, out *Stored, via PayloadPath, blob []byte) error {
	out.Via = via
	if via == PathAuto {
		out.Via = PathInline
		if len(blob) > s.c.inline {
			out.Via = PathStream
		}
	}
	var err error
	if out.Via == PathInline {
		out.Exchange, err = s.ExchangeDataForToken(ctx, out.Temporary.Token, blob)
		return err
	}
	if out.Temporary.Stream == "" {
		return badBody("retrieve-temporary-data-token", nil, "no stream URL for an upstream payload")
	}
	out.Upstream, err = s.c.UpstreamFile(ctx, out.Temporary.Stream, blob)
	return err
}

func def(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// Retrieved is the retrieve flow's outcome.
type Retrieved struct {
	Plaintext []byte        // decrypted payload
	Request   RequestedData // request-data's outcome
	Download  Result        // download-data; zero when the payload came inline
}

// String shows the payload's size, never the plaintext.
func (r Retrieved) String() string {
	return fmt.Sprintf("privicore.Retrieved{%d bytes, %v}", len(r.Plaintext), r.Request)
}

// GoString is String.
func (r Retrieved) GoString() string { return r.String() }

// MarshalText is String, for encoding/json and other text encoders.
func (r Retrieved) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Retrieve requests the data token's blob, downloads it when the server
// streams it (output_type 1 / STREAM-READY), and decrypts it with key. The
// server chooses inline or streamed by size (its inline threshold).
func (s *Session) Retrieve(ctx context.Context, dataToken string, key AESKey) (Retrieved, error) {
	var out Retrieved
	var err error
	if out.Request, err = s.RequestData(ctx, dataToken); err != nil {
		return out, err
	}
	blob := out.Request.Inline
	if out.Request.Streamed() {
		if blob, out.Download, err = s.c.DownloadData(ctx, out.Request.Download); err != nil {
			return out, err
		}
	}
	out.Plaintext, err = key.Open(blob)
	return out, err
}
