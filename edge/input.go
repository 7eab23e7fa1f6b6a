package edge

import (
	"bufio"
	"context"
	"io"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi/telemetry"
)

// MaxLineLength bounds a line of sample input.
const MaxLineLength = 256

// ParseSample reads one line of sample input: a time (RFC 3339, with a
// fraction of a second if wanted, or "now" for the time it is read) and
// the lamps as three digits, red, yellow and green, 1 for lit:
//
//	2026-04-01T08:30:00.250+09:00 001
//
// Blank lines and lines starting with # are skipped (ok false).
func ParseSample(line string, now time.Time) (s telemetry.LightSample, ok bool, err error) {
	const op = "edge.ParseSample"
	if len(line) > MaxLineLength {
		return s, false, invalid(op, "line of %d bytes, at most %d", len(line), MaxLineLength)
	}
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' {
		return s, false, nil
	}
	f := strings.Fields(line)
	if len(f) != 2 {
		return s, false, invalid(op, "line %.60q: want a time and three lamp digits (red yellow green), e.g. 2026-04-01T08:30:00+09:00 001", line)
	}
	if f[0] == "now" {
		s.Time = now
	} else if s.Time, err = time.Parse(time.RFC3339Nano, f[0]); err != nil {
		return s, false, invalid(op, "time %.40q: want RFC 3339, e.g. 2026-04-01T08:30:00+09:00, or now", f[0])
	}
	bits := f[1]
	if len(bits) != 3 || strings.Trim(bits, "01") != "" {
		return s, false, invalid(op, "lamps %.20q: want three digits 0 or 1 (red yellow green), e.g. 001 for green", bits)
	}
	s.Red, s.Yellow, s.Green = bits[0] == '1', bits[1] == '1', bits[2] == '1'
	return s, true, nil
}

// ReadSamples sends the samples of r's lines to out until r ends (nil) or
// a line cannot be read (an error naming its number).
func ReadSamples(ctx context.Context, r io.Reader, out chan<- telemetry.LightSample) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1024), MaxLineLength+2)
	n := 0
	for sc.Scan() {
		n++
		s, ok, err := ParseSample(sc.Text(), time.Now())
		if err != nil {
			return invalid("edge.ReadSamples", "line %d: %v", n, err)
		}
		if !ok {
			continue
		}
		select {
		case out <- s:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := sc.Err(); err != nil {
		return invalid("edge.ReadSamples", "after line %d: %v", n, err)
	}
	return nil
}
