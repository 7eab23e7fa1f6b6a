package sparkplug

import (
	"fmt"
	"strings"
	"time"
)

// The machine states a StateMap returns.
const (
	StateOff     = "off"
	StateIdle    = "idle"
	StateSetup   = "setup"
	StateRunning = "running"
	StateAlarm   = "alarm"
)

// Rule is one condition on a metric: the metric named Metric has a value
// that compares to Value by Op. Op is "==" (the default when empty), "!=",
// ">", ">=", "<" or "<=". Value is a bool, a string or a number; strings
// compare without regard to case, numbers of any Go type compare as
// numbers, and ordering applies to numbers only. A metric that is absent or
// null matches no rule.
type Rule struct {
	Metric string `json:"metric"`
	Op     string `json:"op,omitempty"`
	Value  any    `json:"value"`
}

// StateMap turns the metrics of a machine into its state. The lists are
// tried in the order off, alarm, setup, running; the first list with a
// matching rule gives the state, and a machine that matches none is idle.
// Power off comes first, as a machine that is off raises no alarm that
// counts, and an alarm outranks whatever the program is doing.
type StateMap struct {
	Off     []Rule `json:"off"`
	Alarm   []Rule `json:"alarm"`
	Setup   []Rule `json:"setup"`
	Running []Rule `json:"running"`
}

// DefaultStateMap returns the documented default rules, for an edge node
// that publishes MTConnect-like metrics:
//
//	off      Machine/Power == false
//	alarm    Machine/Alarm == true
//	setup    Machine/Mode == "SETUP"
//	running  Machine/Execution == "ACTIVE"
//	idle     otherwise
func DefaultStateMap() StateMap {
	return StateMap{
		Off:     []Rule{{Metric: "Machine/Power", Value: false}},
		Alarm:   []Rule{{Metric: "Machine/Alarm", Value: true}},
		Setup:   []Rule{{Metric: "Machine/Mode", Value: "SETUP"}},
		Running: []Rule{{Metric: "Machine/Execution", Value: "ACTIVE"}},
	}
}

// Validate checks every rule: a metric name, a known operator, a value of
// a supported type, and an ordering only on numbers.
func (sm StateMap) Validate() error {
	for _, l := range []struct {
		state string
		rules []Rule
	}{{StateOff, sm.Off}, {StateAlarm, sm.Alarm}, {StateSetup, sm.Setup}, {StateRunning, sm.Running}} {
		for i, r := range l.rules {
			if err := r.validate(); err != nil {
				return invalid("sparkplug.StateMap", "%s rule %d: %w", l.state, i, err)
			}
		}
	}
	return nil
}

func (r Rule) validate() error {
	if r.Metric == "" {
		return fmt.Errorf("no metric")
	}
	switch r.Op {
	case "", "==", "!=":
	case ">", ">=", "<", "<=":
		if _, ok := number(r.Value); !ok {
			return fmt.Errorf("%s needs a number, not %T", r.Op, r.Value)
		}
	default:
		return fmt.Errorf("unknown operator %q", r.Op)
	}
	switch r.Value.(type) {
	case bool, string:
		return nil
	}
	if _, ok := number(r.Value); !ok {
		return fmt.Errorf("value of type %T", r.Value)
	}
	return nil
}

// State returns the state of a machine from the last values of its
// metrics, as in Device.Metrics.
func (sm StateMap) State(metrics map[string]Metric) string {
	switch {
	case sm.any(sm.Off, metrics):
		return StateOff
	case sm.any(sm.Alarm, metrics):
		return StateAlarm
	case sm.any(sm.Setup, metrics):
		return StateSetup
	case sm.any(sm.Running, metrics):
		return StateRunning
	}
	return StateIdle
}

func (StateMap) any(rules []Rule, metrics map[string]Metric) bool {
	for _, r := range rules {
		if m, ok := metrics[r.Metric]; ok && !m.IsNull && m.Value != nil && r.Match(m.Value) {
			return true
		}
	}
	return false
}

// Match reports whether the value v satisfies the rule. Values of
// different kinds never match, not even with "!=".
func (r Rule) Match(v any) bool {
	c, ok := compare(v, r.Value)
	if !ok {
		return false
	}
	switch r.Op {
	case "", "==":
		return c == 0
	case "!=":
		return c != 0
	}
	if _, num := number(r.Value); !num || c == cmpUnordered {
		return false
	}
	switch r.Op {
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	}
	return false
}

const cmpUnordered = 2 // NaN, or strings and bools that differ

// compare returns -1, 0 or 1 for numbers, 0 or cmpUnordered for strings
// and bools, and false when a and b are not of one kind.
func compare(a, b any) (int, bool) {
	if x, ok := number(a); ok {
		y, ok := number(b)
		switch {
		case !ok:
			return 0, false
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		case x == y:
			return 0, true
		}
		return cmpUnordered, true
	}
	switch x := a.(type) {
	case bool:
		y, ok := b.(bool)
		if !ok {
			return 0, false
		}
		if x == y {
			return 0, true
		}
		return cmpUnordered, true
	case string:
		y, ok := b.(string)
		if !ok {
			return 0, false
		}
		if strings.EqualFold(x, y) {
			return 0, true
		}
		return cmpUnordered, true
	}
	return 0, false
}

// number converts any Go number, and a DateTime as milliseconds since the
// epoch, to a float64.
func number(x any) (float64, bool) {
	switch v := x.(type) {
	case float32:
		return float64(v), true
	case float64:
		return v, true
	case uint64:
		return float64(v), true
	case time.Time:
		return float64(v.UnixMilli()), true
	}
	if i, ok := asInt(x); ok {
		return float64(i), true
	}
	return 0, false
}
