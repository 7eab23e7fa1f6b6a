package sparkplug

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
)

// CompressedUUID is the uuid of a payload whose body holds another payload,
// compressed, as Tahu's clients send it when asked to compress. The metric
// "algorithm" names the compression, "DEFLATE" (the default) or "GZIP".
const CompressedUUID = "SPBV1.0_COMPRESSED"

// decompress returns the payload in the body of a compressed payload.
func decompress(p *Payload) ([]byte, error) {
	alg := "DEFLATE"
	if m, ok := p.Metric("algorithm"); ok {
		s, _ := m.Value.(string)
		alg = strings.ToUpper(s)
	}
	var r io.Reader
	var err error
	switch alg {
	case "DEFLATE":
		// Tahu writes the zlib format; a raw deflate stream is read too.
		if r, err = zlib.NewReader(bytes.NewReader(p.Body)); err != nil {
			r, err = flate.NewReader(bytes.NewReader(p.Body)), nil
		}
	case "GZIP":
		r, err = gzip.NewReader(bytes.NewReader(p.Body))
	default:
		return nil, fmt.Errorf("compressed with unknown algorithm %q", alg)
	}
	if err != nil {
		return nil, fmt.Errorf("%s body: %w", alg, err)
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxPayloadSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s body: %w", alg, err)
	}
	if len(b) > MaxPayloadSize {
		return nil, fmt.Errorf("%s body inflates past %d bytes", alg, MaxPayloadSize)
	}
	return b, nil
}
