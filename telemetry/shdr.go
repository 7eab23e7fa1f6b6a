package telemetry

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// SHDRKind says what an SHDR line is.
type SHDRKind uint8

// The kinds of SHDR line.
const (
	SHDRData      SHDRKind = iota // observations
	SHDRBlank                     // an empty line or a "#" comment
	SHDRCommand                   // "* PING", "* PONG n" and other "*" protocol lines
	SHDRAsset                     // an asset command (@ASSET@, @REMOVE_ASSET@ …)
	SHDRMultiline                 // an asset whose body follows on the next lines, up to Terminator
)

// An SHDRLine is one parsed line of SHDR.
type SHDRLine struct {
	Kind         SHDRKind
	Time         time.Time     // SHDRData, SHDRAsset, SHDRMultiline
	Observations []Observation // SHDRData
	Command      string        // SHDRCommand: the text after "*", e.g. "PING"
	Terminator   string        // SHDRMultiline: the line that ends the block
}

// An Observation is one key and value of an SHDR line.
type Observation struct {
	Device string // from a "device:key" key; "" for the adapter's default device
	Key    string
	Value  string // for a condition, its level
	// Condition is set when the value is a condition level (see
	// ParseSHDRLine); the fields below belong to conditions.
	Condition      bool
	NativeCode     string
	NativeSeverity string
	Qualifier      string
	Message        string
}

const multilineMark = "--multiline--"

// ParseSHDRLine parses one line of SHDR: "timestamp|key|value|key|value…",
// with conditions as "timestamp|key|level|native_code|native_severity|qualifier|message".
// A value of NORMAL, WARNING or FAULT makes the key a condition, which takes
// the next four fields (or as many as there are); UNAVAILABLE does so only
// when the field after it is empty, because an empty key is impossible and
// so the field cannot start a key and value pair. The timestamp is RFC 3339
// with optional fractional seconds; without a zone it is UTC; a duration
// suffix (2024-05-13T08:00:00Z@12.5) is ignored.
//
// It is the one SHDR parser of the module: the replay reads recordings
// with it and the live adapter client (package mtconnect) its stream.
func ParseSHDRLine(line string) (SHDRLine, error) { return ParseSHDRLineModel(line, nil) }

// ParseSHDRLineModel is ParseSHDRLine with a device model: when
// isCondition is not nil it tells which keys are conditions (a device's
// probe says so), instead of their values. A condition key's value must
// then be a condition level.
func ParseSHDRLineModel(line string, isCondition func(device, key string) bool) (SHDRLine, error) {
	line = strings.TrimRight(line, "\r\n")
	trimmed := strings.TrimSpace(line)
	switch {
	case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		return SHDRLine{Kind: SHDRBlank}, nil
	case strings.HasPrefix(trimmed, "*"):
		return SHDRLine{Kind: SHDRCommand, Command: strings.TrimSpace(trimmed[1:])}, nil
	}
	f := strings.Split(line, "|")
	t, err := parseSHDRTime(strings.TrimSpace(f[0]))
	if err != nil {
		return SHDRLine{}, err
	}
	if len(f) < 2 {
		return SHDRLine{}, errors.New("no key and value after the timestamp")
	}
	if last := strings.TrimSpace(f[len(f)-1]); strings.HasPrefix(last, multilineMark) {
		return SHDRLine{Kind: SHDRMultiline, Time: t, Terminator: last}, nil
	}
	if strings.HasPrefix(strings.TrimSpace(f[1]), "@") {
		return SHDRLine{Kind: SHDRAsset, Time: t}, nil
	}
	l := SHDRLine{Kind: SHDRData, Time: t}
	for i := 1; i < len(f); {
		key := strings.TrimSpace(f[i])
		if i+1 >= len(f) {
			return SHDRLine{}, fmt.Errorf("key %q has no value", key)
		}
		o := Observation{Key: key, Value: strings.TrimSpace(f[i+1])}
		if dev, k, ok := strings.Cut(key, ":"); ok {
			o.Device, o.Key = dev, k
			if dev == "" {
				return SHDRLine{}, fmt.Errorf("key %q has an empty device name", key)
			}
		}
		if o.Key == "" {
			return SHDRLine{}, fmt.Errorf("empty key in field %d", i+1)
		}
		i += 2
		up := strings.ToUpper(o.Value)
		cond := up == Normal || up == Warning || up == Fault || up == Unavailable && i < len(f) && strings.TrimSpace(f[i]) == ""
		if isCondition != nil {
			cond = isCondition(o.Device, o.Key)
			if cond && !IsConditionLevel(up) {
				return SHDRLine{}, fmt.Errorf("condition %s: level %q is not NORMAL, WARNING, FAULT or UNAVAILABLE", key, o.Value)
			}
		}
		if cond {
			o.Condition, o.Value = true, up
			rest := [4]*string{&o.NativeCode, &o.NativeSeverity, &o.Qualifier, &o.Message}
			for j := 0; j < len(rest) && i < len(f); j++ {
				*rest[j] = strings.TrimSpace(f[i])
				i++
			}
		}
		l.Observations = append(l.Observations, o)
	}
	return l, nil
}

func parseSHDRTime(s string) (time.Time, error) {
	if i := strings.IndexByte(s, '@'); i > 0 {
		s = s[:i] // a duration suffix
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05.999999999", s); err == nil {
		return t, nil
	}
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return time.Time{}, fmt.Errorf("timestamp %q is not RFC 3339 (e.g. 2024-05-13T08:30:00.000Z)", s)
}

// A LineError is a line of a recording that could not be read.
type LineError struct {
	Line int // from 1
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the cause.
func (e *LineError) Unwrap() error { return e.Err }

// maxSHDRLine is the longest line read; an asset on one line can be long.
const maxSHDRLine = 4 << 20

// An SHDRScanner reads an SHDR recording line by line. It returns the data
// lines and the lines it could not read, and skips blank lines, comments,
// heartbeats, protocol commands and assets, multi-line ones whole.
type SHDRScanner struct {
	sc   *bufio.Scanner
	n    int
	line SHDRLine
	err  error
}

// NewSHDRScanner returns a scanner reading r.
func NewSHDRScanner(r io.Reader) *SHDRScanner {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxSHDRLine)
	return &SHDRScanner{sc: sc}
}

// Scan advances to the next data line or bad line; it returns false at
// the end of the input or on a read error (see Err).
func (s *SHDRScanner) Scan() bool {
	for s.sc.Scan() {
		s.n++
		l, err := ParseSHDRLine(s.sc.Text())
		if err != nil {
			s.line, s.err = SHDRLine{}, &LineError{Line: s.n, Err: err}
			return true
		}
		switch l.Kind {
		case SHDRData:
			s.line, s.err = l, nil
			return true
		case SHDRMultiline:
			start := s.n
			closed := false
			for s.sc.Scan() {
				s.n++
				if strings.TrimSpace(s.sc.Text()) == l.Terminator {
					closed = true
					break
				}
			}
			if !closed && s.sc.Err() == nil {
				s.line, s.err = SHDRLine{}, &LineError{Line: start, Err: fmt.Errorf("the multi-line asset is not closed by %s", l.Terminator)}
				return true
			}
		}
	}
	return false
}

// Line returns the current line and, for a bad line, a *LineError.
func (s *SHDRScanner) Line() (SHDRLine, error) { return s.line, s.err }

// LineNumber returns the number of the current line, from 1.
func (s *SHDRScanner) LineNumber() int { return s.n }

// Err returns the read error that stopped Scan, if any.
func (s *SHDRScanner) Err() error { return s.sc.Err() }
