package telemetry

import (
	"errors"
	"fmt"
	"time"
)

// ClampConfig holds one machine's current thresholds, in amperes. Each level
// has an enter and an exit threshold: the hysteresis between them keeps a
// current hovering near a threshold from flapping between two states.
type ClampConfig struct {
	// IdleOn is the current at which an off machine counts as on (idle);
	// below IdleOff an idle or running machine counts as off.
	IdleOn, IdleOff float64
	// RunOn is the current at which the machine counts as running (spindle
	// and axes under load); below RunOff a running machine falls back to
	// idle.
	RunOn, RunOff float64
	// MinDwell is how long a new state must hold before it is believed; it
	// is then dated from its first sample. Zero takes every change at once.
	MinDwell time.Duration
}

// Validate reports thresholds that cannot work.
func (c ClampConfig) Validate() error {
	switch {
	case c.IdleOff < 0 || c.RunOff < 0:
		return errors.New("current thresholds must not be negative")
	case c.IdleOff > c.IdleOn:
		return fmt.Errorf("the idle exit threshold %.2f A is above its enter threshold %.2f A", c.IdleOff, c.IdleOn)
	case c.RunOff > c.RunOn:
		return fmt.Errorf("the running exit threshold %.2f A is above its enter threshold %.2f A", c.RunOff, c.RunOn)
	case c.RunOn <= c.IdleOn:
		return fmt.Errorf("the running threshold %.2f A must be above the idle threshold %.2f A", c.RunOn, c.IdleOn)
	case c.RunOff < c.IdleOff:
		return fmt.Errorf("the running exit threshold %.2f A is below the idle exit threshold %.2f A", c.RunOff, c.IdleOff)
	case c.MinDwell < 0:
		return errors.New("the minimum dwell must not be negative")
	}
	return nil
}

// A CurrentSample is a current-clamp reading: the RMS current at a time.
type CurrentSample struct {
	Time    time.Time
	Amperes float64
}

// CurrentClamp follows one machine's state from a current clamp on its
// supply: off, idle or running. A clamp cannot see setup or alarm.
type CurrentClamp struct {
	cfg     ClampConfig
	iv      *Intervals
	last    time.Time
	seen    bool
	pending bool
	next    State     // the state waiting for its dwell
	since   time.Time // when the pending state was first seen
}

// NewCurrentClamp returns the state machine of the machine's current clamp.
func NewCurrentClamp(machine string, cfg ClampConfig) (*CurrentClamp, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("current clamp of %s: %w", machine, err)
	}
	return &CurrentClamp{cfg: cfg, iv: NewIntervals(machine)}, nil
}

// level returns the state that amperes means coming from cur.
func (c *CurrentClamp) level(cur State, a float64) State {
	run, idle := c.cfg.RunOn, c.cfg.IdleOn
	if cur == Running {
		run = c.cfg.RunOff
	}
	if cur == Running || cur == Idle {
		idle = c.cfg.IdleOff
	}
	switch {
	case a >= run:
		return Running
	case a >= idle:
		return Idle
	}
	return Off
}

// Observe takes the next sample; samples must come in time order. A NaN
// reading is an error and changes nothing.
func (c *CurrentClamp) Observe(x CurrentSample) error {
	if x.Amperes != x.Amperes {
		return fmt.Errorf("current sample at %s is not a number", x.Time.Format(time.RFC3339Nano))
	}
	if c.seen && x.Time.Before(c.last) {
		return fmt.Errorf("current sample at %s is before the last one at %s", x.Time.Format(time.RFC3339Nano), c.last.Format(time.RFC3339Nano))
	}
	c.last = x.Time
	if !c.seen {
		c.seen = true
		c.iv.Set(x.Time, c.level(Off, x.Amperes))
		return nil
	}
	// A pending state lasted at least until this sample.
	c.commit(x.Time)
	cur := c.State()
	to := c.level(cur, x.Amperes)
	switch {
	case to == cur:
		c.pending = false
	case !c.pending || to != c.next:
		c.pending, c.next, c.since = true, to, x.Time
	}
	c.commit(x.Time)
	return nil
}

// commit takes the pending state once it has held for the minimum dwell at t.
func (c *CurrentClamp) commit(t time.Time) {
	if c.pending && t.Sub(c.since) >= c.cfg.MinDwell {
		c.iv.Set(c.since, c.next)
		c.pending = false
	}
}

// State returns the state believed at the last sample.
func (c *CurrentClamp) State() State {
	s, _, _ := c.iv.Current()
	return s
}

// Close ends the intervals at t and returns them; a pending state that has
// held for the dwell by t is taken.
func (c *CurrentClamp) Close(t time.Time) []Interval {
	if c.seen && !t.Before(c.last) {
		c.commit(t)
	}
	return c.iv.Close(t)
}

// Intervals returns the intervals closed so far.
func (c *CurrentClamp) Intervals() []Interval { return c.iv.Closed() }
