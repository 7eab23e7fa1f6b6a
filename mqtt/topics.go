package mqtt

import (
	"fmt"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// Prefix starts every topic of the nakamawashi schema; the version lets a
// later schema live beside this one.
const Prefix = "nakamawashi/v1"

// Kind is the last element of a topic: what the message says.
type Kind string

// The kinds of message. A device publishes State, Light, Count and Status
// and subscribes to Command.
const (
	KindState   Kind = "state"  // the machine's state, as the device judged it
	KindLight   Kind = "light"  // the lamps of a stack light
	KindCount   Kind = "count"  // part counters
	KindStatus  Kind = "status" // online or offline: the device's birth and last will
	KindCommand Kind = "cmd"    // commands to the device
)

// Kinds lists every kind, in the order of the documentation.
var Kinds = []Kind{KindState, KindLight, KindCount, KindStatus, KindCommand}

// Published reports whether devices publish messages of this kind (all but
// commands, which only the application sends).
func (k Kind) Published() bool {
	return k == KindState || k == KindLight || k == KindCount || k == KindStatus
}

func (k Kind) valid() bool { return k.Published() || k == KindCommand }

// MaxCodeLen is the longest company or machine code.
const MaxCodeLen = 64

// ValidCode reports whether s can name a company or a machine in a topic:
// 1 to 64 of a-z, 0-9 and "-". The set keeps topics free of the MQTT
// wildcards and separators and of look-alike characters.
func ValidCode(s string) bool {
	if len(s) == 0 || len(s) > MaxCodeLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Topic is a parsed topic of the nakamawashi schema:
// nakamawashi/v1/{company}/{machine}/{kind}.
type Topic struct {
	Company string // the company's code
	Machine string // the machine's code
	Kind    Kind
}

// String formats the topic. It does not validate: call Validate first
// for codes that came from outside.
func (t Topic) String() string {
	return Prefix + "/" + t.Company + "/" + t.Machine + "/" + string(t.Kind)
}

// Validate checks the codes and the kind.
func (t Topic) Validate() error {
	const op = "mqtt.Topic"
	switch {
	case !ValidCode(t.Company):
		return invalid(op, "company code %q: want 1 to %d of a-z, 0-9 and -", t.Company, MaxCodeLen)
	case !ValidCode(t.Machine):
		return invalid(op, "machine code %q: want 1 to %d of a-z, 0-9 and -", t.Machine, MaxCodeLen)
	case !t.Kind.valid():
		return invalid(op, "kind %q: want one of state, light, count, status, cmd", t.Kind)
	}
	return nil
}

// ParseTopic parses nakamawashi/v1/{company}/{machine}/{kind}. A topic of
// another form is an EINVALID error that says what is wrong.
func ParseTopic(s string) (Topic, error) {
	const op = "mqtt.ParseTopic"
	rest, ok := strings.CutPrefix(s, Prefix+"/")
	if !ok {
		return Topic{}, invalid(op, "topic %q does not start with %s/", s, Prefix)
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return Topic{}, invalid(op, "topic %q: want %s/{company}/{machine}/{kind}", s, Prefix)
	}
	t := Topic{Company: parts[0], Machine: parts[1], Kind: Kind(parts[2])}
	if err := t.Validate(); err != nil {
		return Topic{}, err
	}
	return t, nil
}

// invalid returns an EINVALID error whose cause says what is wrong; the
// text is for logs and device developers, not for the UI.
func invalid(op, format string, args ...any) error {
	return &nakamawashi.Error{Code: nakamawashi.EINVALID, Op: op, Err: fmt.Errorf(format, args...)}
}
