package mtconnect

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// MaxLineBytes bounds one SHDR line. Assets sent on one line are the
// longest lines an adapter writes.
const MaxLineBytes = 1 << 20

// SHDRLine is one line of an adapter's SHDR stream, read by
// ParseSHDRLine.
//
// A line is timestamp|key|value|key|value…, or a condition on a line of
// its own: timestamp|key|level|native_code|native_severity|qualifier|message.
// A key may name its device as device:key. Lines starting with "* " are
// protocol commands (* PONG 1000, * shdrVersion: 2) and fill Command only.
// Asset lines (@ASSET@, @REMOVE_ASSET@…) fill Asset only: this package does
// not read assets. A line whose last field is a --multiline--XXXX marker
// fills Multiline: the lines after it, up to a line reading the same
// marker, belong to it and are skipped by the Adapter.
type SHDRLine struct {
	Timestamp  time.Time
	TimeErr    error // the timestamp is missing or unreadable; the rest is read
	Items      []SHDRItem
	Conditions []SHDRCondition
	Command    string // the text after "* "
	Asset      string // the asset command, such as @ASSET@
	Multiline  string // the --multiline--XXXX marker that opens a block
}

// SHDRItem is one key and its value.
type SHDRItem struct {
	Device string // empty unless the key was device:key
	Key    string
	Value  string
}

// SHDRCondition is one condition. Level is NORMAL, WARNING, FAULT or
// UNAVAILABLE.
type SHDRCondition struct {
	Device         string
	Key            string
	Level          string
	NativeCode     string
	NativeSeverity string
	Qualifier      string
	Message        string
}

// ParseSHDRLine reads one SHDR line (without or with its line ending).
//
// Which keys are conditions cannot be told from a line alone: isCondition
// says it from the device model (Devices.IsCondition). When isCondition is
// nil, a key is read as a condition when exactly five fields follow it and
// the first is NORMAL, WARNING or FAULT, or UNAVAILABLE followed by empty
// fields; a line of three key/value pairs can look like that, so pass the
// model when there is one.
//
// Kept minimal on purpose: values are split on "|" without the quoting of
// newer SHDR versions, and the multi-field forms of MESSAGE, ALARM and
// TIME_SERIES items read as key/value pairs.
func ParseSHDRLine(s string, isCondition func(device, key string) bool) (SHDRLine, error) {
	var l SHDRLine
	s = strings.TrimRight(s, "\r\n")
	if len(s) > MaxLineBytes {
		return l, shdrError(fmt.Errorf("line over %d bytes", MaxLineBytes))
	}
	if strings.HasPrefix(s, "*") {
		l.Command = strings.TrimSpace(s[1:])
		return l, nil
	}
	if strings.TrimSpace(s) == "" {
		return l, shdrError(errors.New("empty line"))
	}
	f := strings.Split(s, "|")
	if len(f) < 2 {
		return l, shdrError(errors.New("no key after the timestamp"))
	}
	l.Timestamp, l.TimeErr = parseTime(f[0])
	if last := strings.TrimSpace(f[len(f)-1]); strings.HasPrefix(last, "--multiline--") {
		l.Multiline = last
	}
	for i := 1; i < len(f); {
		dev, key := splitKey(f[i])
		rest := f[i+1:]
		switch {
		case strings.HasPrefix(key, "@"):
			l.Asset = key
			l.Items, l.Conditions = nil, nil
			return l, nil
		case l.Multiline != "" && i+1 >= len(f)-1:
			// The value opening a multiline block is not read.
			return l, nil
		case key == "":
			return l, shdrError(fmt.Errorf("field %d: empty key", i))
		}
		cond := false
		if isCondition != nil {
			cond = isCondition(dev, key)
		} else {
			cond = looksLikeCondition(rest)
		}
		if cond {
			var c [5]string
			n := copy(c[:], rest)
			level := strings.ToUpper(strings.TrimSpace(c[0]))
			switch level {
			case "NORMAL", "WARNING", "FAULT", "UNAVAILABLE":
			default:
				return l, shdrError(fmt.Errorf("condition %s: level %q is not NORMAL, WARNING, FAULT or UNAVAILABLE", key, c[0]))
			}
			l.Conditions = append(l.Conditions, SHDRCondition{Device: dev, Key: key, Level: level,
				NativeCode: c[1], NativeSeverity: c[2], Qualifier: c[3], Message: c[4]})
			i += 1 + n
			continue
		}
		if len(rest) == 0 {
			return l, shdrError(fmt.Errorf("key %s has no value", key))
		}
		l.Items = append(l.Items, SHDRItem{Device: dev, Key: key, Value: rest[0]})
		i += 2
	}
	return l, nil
}

// splitKey splits device:key; a key without a colon has no device.
func splitKey(s string) (device, key string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ':'); i >= 0 && !strings.HasPrefix(s, "@") {
		return s[:i], s[i+1:]
	}
	return "", s
}

func looksLikeCondition(rest []string) bool {
	if len(rest) != 5 {
		return false
	}
	switch strings.ToUpper(strings.TrimSpace(rest[0])) {
	case "NORMAL", "WARNING", "FAULT":
		return true
	case "UNAVAILABLE":
		return rest[1] == "" && rest[2] == "" && rest[3] == "" && rest[4] == ""
	}
	return false
}

func shdrError(err error) error {
	return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg(msgSHDR), Op: "mtconnect.ParseSHDRLine", Err: err}
}
