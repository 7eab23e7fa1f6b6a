package telemetry

import (
	"fmt"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// A State is what a machine is doing.
type State uint8

// The states of a machine. The zero State is Off: a machine nobody has heard
// from is taken to be off.
const (
	Off     State = iota // power off or not reporting (電源断)
	Idle                 // on, not cutting (待機)
	Setup                // an operator is setting it up (段取り)
	Running              // cutting, running a program (稼働)
	Alarm                // alarm, emergency stop (異常)
)

// NumStates is the number of states; a State indexes arrays of this length.
const NumStates = 5

// States lists every state in the order of a report.
var States = [NumStates]State{Running, Idle, Setup, Alarm, Off}

var stateNames = [NumStates]string{"off", "idle", "setup", "running", "alarm"}

// String returns the state's code: off, idle, setup, running or alarm.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", s)
}

// Message returns the state's name in the message catalog.
func (s State) Message() nakamawashi.Message {
	return nakamawashi.Msg("telemetry.state." + s.String())
}

// ParseState returns the state with the given code.
func ParseState(code string) (State, error) {
	for i, n := range stateNames {
		if n == code {
			return State(i), nil
		}
	}
	return Off, fmt.Errorf("unknown machine state %q", code)
}

// MarshalText returns the state's code.
func (s State) MarshalText() ([]byte, error) {
	if int(s) >= NumStates {
		return nil, fmt.Errorf("unknown machine state %d", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a state's code.
func (s *State) UnmarshalText(b []byte) error {
	v, err := ParseState(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// An Interval is a time a machine spent in one state, [Start, End).
type Interval struct {
	Machine    string
	State      State
	Start, End time.Time
}

// Duration returns the interval's length.
func (iv Interval) Duration() time.Duration { return iv.End.Sub(iv.Start) }

// Intervals builds the state intervals of one machine from state changes
// in time order. Consecutive equal states merge; a change at the same
// instant as the last one replaces it, so no interval is empty.
type Intervals struct {
	machine string
	cur     Interval
	open    bool
	last    time.Time // the latest change
	done    []Interval
}

// NewIntervals returns a builder for the machine's intervals.
func NewIntervals(machine string) *Intervals { return &Intervals{machine: machine} }

// Set records that the machine is in state s from t on. A t before the
// latest change is taken as that change's time: intervals never overlap and
// never run backwards.
func (b *Intervals) Set(t time.Time, s State) {
	if len(b.done) > 0 || b.open {
		if t.Before(b.last) {
			t = b.last
		}
	}
	b.last = t
	if !b.open {
		// After a Close, a change where the last interval ended in the
		// same state carries that interval on.
		if n := len(b.done); n > 0 && b.done[n-1].State == s && b.done[n-1].End.Equal(t) {
			b.cur, b.open = b.done[n-1], true
			b.done = b.done[:n-1]
			return
		}
		b.cur, b.open = Interval{Machine: b.machine, State: s, Start: t}, true
		return
	}
	if s == b.cur.State {
		return
	}
	if t.Equal(b.cur.Start) {
		// The state we were in lasted no time: take it back, and merge
		// with the interval before if that was in state s.
		if n := len(b.done); n > 0 && b.done[n-1].State == s {
			b.cur = b.done[n-1]
			b.done = b.done[:n-1]
			return
		}
		b.cur.State = s
		return
	}
	b.cur.End = t
	b.done = append(b.done, b.cur)
	b.cur = Interval{Machine: b.machine, State: s, Start: t}
}

// Current returns the open interval's state and start; ok is false before
// the first Set.
func (b *Intervals) Current() (s State, since time.Time, ok bool) {
	return b.cur.State, b.cur.Start, b.open
}

// Close ends the open interval at t (or at the latest change, if t is earlier) and
// returns every interval. The builder can go on: the next Set starts a new
// interval after a gap.
func (b *Intervals) Close(t time.Time) []Interval {
	if b.open {
		if t.Before(b.last) {
			t = b.last
		}
		b.last = t
		if t.After(b.cur.Start) {
			b.cur.End = t
			b.done = append(b.done, b.cur)
		}
		b.open = false
	}
	return b.done
}

// Closed returns the intervals closed so far, without the open one.
func (b *Intervals) Closed() []Interval { return b.done }

// Take returns the intervals closed so far and forgets them, so that a
// builder that runs for months does not keep them all. After a Take, a
// change at the instant of the last one no longer merges with the
// interval before it.
func (b *Intervals) Take() []Interval {
	done := b.done
	b.done = nil
	return done
}

// Totals returns the time spent in each state, indexed by State.
func Totals(ivs []Interval) [NumStates]time.Duration {
	var t [NumStates]time.Duration
	for _, iv := range ivs {
		if int(iv.State) < NumStates {
			t[iv.State] += iv.Duration()
		}
	}
	return t
}
