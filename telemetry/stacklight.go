package telemetry

import (
	"fmt"
	"time"
)

// DefaultDebounce is how long a stack-light lamp must stay off before it
// counts as off; a lamp blinking faster than this counts as on.
const DefaultDebounce = 1500 * time.Millisecond

// A LightSample is a reading of a stack light's lamps at a time. A sensor
// reading of a blinking lamp gives on and off samples in turn.
type LightSample struct {
	Time               time.Time
	Green, Yellow, Red bool
}

// StackLight follows one machine's stack light (積層信号灯): red is alarm or
// stopped, yellow setup (or waiting, or a warning: Yellow says which), green
// running, all lamps off power off. Red wins over yellow, yellow over green.
// A lamp counts as on from the first sample that shows it on until it has
// been off for Debounce, so a blinking lamp is on; the machine is off once
// every lamp has been off that long. Time comes from the samples only.
type StackLight struct {
	// Debounce is DefaultDebounce when zero.
	Debounce time.Duration
	// Yellow is the state a yellow lamp means; Setup when zero (a yellow
	// lamp never means off). Shops that light yellow for "waiting for the
	// operator" set Idle.
	Yellow State

	iv    *Intervals
	last  time.Time
	seen  bool
	lamps [3]lamp // red, yellow, green
}

type lamp struct {
	on    bool      // the latest sample shows it on
	offAt time.Time // when it went off, if !on
	ever  bool      // it has been seen on
}

// NewStackLight returns the state machine of the machine's stack light.
func NewStackLight(machine string) *StackLight {
	return &StackLight{iv: NewIntervals(machine)}
}

func (s *StackLight) debounce() time.Duration {
	if s.Debounce <= 0 {
		return DefaultDebounce
	}
	return s.Debounce
}

// lit reports whether lamp i counts as on at t.
func (s *StackLight) lit(i int, t time.Time) bool {
	l := s.lamps[i]
	return l.on || l.ever && t.Sub(l.offAt) < s.debounce()
}

// stateAt returns the state the lamps show at t.
func (s *StackLight) stateAt(t time.Time) State {
	switch {
	case s.lit(0, t):
		return Alarm
	case s.lit(1, t):
		if s.Yellow == Off {
			return Setup
		}
		return s.Yellow
	case s.lit(2, t):
		return Running
	}
	return Off
}

// advance records the changes that the lamps' debounce brings between the
// last sample and t: a lamp that went off before counts as off from
// offAt+Debounce on.
func (s *StackLight) advance(t time.Time) {
	for {
		// The earliest debounce expiry after the last sample and not after t.
		var next time.Time
		found := false
		for _, l := range s.lamps {
			if l.on || !l.ever {
				continue
			}
			e := l.offAt.Add(s.debounce())
			if e.After(s.last) && !e.After(t) && (!found || e.Before(next)) {
				next, found = e, true
			}
		}
		if !found {
			return
		}
		s.last = next
		s.iv.Set(next, s.stateAt(next))
	}
}

// Observe takes the next sample. Samples must come in time order; an
// earlier sample than the last is an error and changes nothing.
func (s *StackLight) Observe(x LightSample) error {
	if s.seen && x.Time.Before(s.last) {
		return fmt.Errorf("stack light sample at %s is before the last one at %s", x.Time.Format(time.RFC3339Nano), s.last.Format(time.RFC3339Nano))
	}
	if s.seen {
		s.advance(x.Time)
	}
	for i, on := range [3]bool{x.Red, x.Yellow, x.Green} {
		l := &s.lamps[i]
		if on {
			l.on, l.ever = true, true
		} else if l.on {
			l.on, l.offAt = false, x.Time
		}
	}
	s.seen, s.last = true, x.Time
	s.iv.Set(x.Time, s.stateAt(x.Time))
	return nil
}

// State returns the state at the last sample.
func (s *StackLight) State() State {
	st, _, _ := s.iv.Current()
	return st
}

// Close ends the intervals at t, after the debounce changes up to t, and
// returns them.
func (s *StackLight) Close(t time.Time) []Interval {
	if s.seen && t.After(s.last) {
		s.advance(t)
		s.last = t
	}
	return s.iv.Close(t)
}

// Intervals returns the intervals closed so far.
func (s *StackLight) Intervals() []Interval { return s.iv.Closed() }

// Advance brings the state up to t without a sample: a lamp that went off
// counts as off once Debounce has passed, even when the sensor sends
// nothing more. A t before the last sample changes nothing, and a later sample
// may still come before t.
func (s *StackLight) Advance(t time.Time) {
	if s.seen && t.After(s.last) {
		s.advance(t)
		s.last = t
	}
}

// Take returns the intervals closed so far and forgets them (see
// Intervals.Take); Current gives the open one.
func (s *StackLight) Take() []Interval { return s.iv.Take() }

// Current returns the state and start of the open interval; ok is false
// before the first sample.
func (s *StackLight) Current() (st State, since time.Time, ok bool) { return s.iv.Current() }
