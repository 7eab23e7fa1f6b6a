package mtconnect

import "strings"

// Machine states as the shop floor names them. "setup" (段取り) is a state
// of the platform too, but MTConnect alone cannot tell it: a machine being
// set up reads READY or STOPPED like an idle one, and the controller mode
// (MANUAL, EDIT) is no reliable sign. Setup comes from the operator or the
// schedule, never from here.
const (
	StateOff     = "off"
	StateIdle    = "idle"
	StateRunning = "running"
	StateAlarm   = "alarm"
)

// StateTracker derives one machine's state from its observations, in the
// order of precedence:
//
//  1. Availability UNAVAILABLE: off;
//  2. any Condition at FAULT, or EmergencyStop TRIGGERED: alarm;
//  3. Execution ACTIVE: running;
//  4. anything else: idle.
//
// A condition data item can hold several active conditions, one per native
// code: a FAULT stays until a NORMAL for its code, or a NORMAL or
// UNAVAILABLE without a code, clears it. A WARNING is not an alarm.
//
// Feed it one device's observations (filter by Observation.Device, or use
// StatesByDevice). The zero value is ready to use; it is not safe for
// concurrent use.
type StateTracker struct {
	availability string
	execution    string
	estop        string
	faults       map[string]map[string]bool // data item → native codes at FAULT
}

// MapState returns the state the observations leave a machine in.
func MapState(obs ...Observation) string {
	var t StateTracker
	return t.Update(obs...)
}

// StatesByDevice returns the state of each device named in the
// observations.
func StatesByDevice(obs []Observation) map[string]string {
	trackers := map[string]*StateTracker{}
	for _, o := range obs {
		t := trackers[o.Device]
		if t == nil {
			t = &StateTracker{}
			trackers[o.Device] = t
		}
		t.Update(o)
	}
	out := make(map[string]string, len(trackers))
	for dev, t := range trackers {
		out[dev] = t.State()
	}
	return out
}

// Update takes observations in sequence order and returns the state after
// them.
func (t *StateTracker) Update(obs ...Observation) string {
	for _, o := range obs {
		if o.Category == "CONDITION" || o.Level != "" {
			key := o.DataItemID
			if key == "" {
				key = o.Name
			}
			t.condition(key, o.Level, o.NativeCode)
			continue
		}
		t.event(o.Type, o.Value)
	}
	return t.State()
}

// UpdateSHDR takes an adapter's line. SHDR keys are data item names or
// ids, not types: typeOf maps them (Devices.TypeOf); when it is nil, a key
// is taken as its own type (an adapter whose keys read avail, execution,
// estop… is common but not a rule, hence the model).
func (t *StateTracker) UpdateSHDR(l SHDRLine, typeOf func(device, key string) string) string {
	for _, it := range l.Items {
		typ := it.Key
		if typeOf != nil {
			typ = typeOf(it.Device, it.Key)
		}
		t.event(typ, it.Value)
	}
	for _, c := range l.Conditions {
		key := c.Key
		if c.Device != "" {
			key = c.Device + ":" + c.Key
		}
		t.condition(key, c.Level, c.NativeCode)
	}
	return t.State()
}

func (t *StateTracker) event(typ, value string) {
	value = strings.ToUpper(strings.TrimSpace(value))
	switch normType(typ) {
	case "AVAILABILITY", "AVAIL":
		t.availability = value
	case "EXECUTION", "EXEC":
		t.execution = value
	case "EMERGENCYSTOP", "ESTOP":
		t.estop = value
	}
}

func (t *StateTracker) condition(key, level, code string) {
	level = strings.ToUpper(level)
	switch level {
	case "FAULT":
		if t.faults == nil {
			t.faults = map[string]map[string]bool{}
		}
		if t.faults[key] == nil {
			t.faults[key] = map[string]bool{}
		}
		t.faults[key][code] = true
	case "NORMAL", "UNAVAILABLE":
		if code == "" {
			delete(t.faults, key)
		} else {
			delete(t.faults[key], code)
			if len(t.faults[key]) == 0 {
				delete(t.faults, key)
			}
		}
	case "WARNING":
		// A fault that falls back to a warning is no longer a fault.
		if t.faults[key] != nil {
			delete(t.faults[key], code)
			if len(t.faults[key]) == 0 {
				delete(t.faults, key)
			}
		}
	}
}

// State returns the current state.
func (t *StateTracker) State() string {
	switch {
	case t.availability == "UNAVAILABLE":
		return StateOff
	case len(t.faults) > 0 || t.estop == "TRIGGERED":
		return StateAlarm
	case t.execution == "ACTIVE":
		return StateRunning
	}
	return StateIdle
}

// normType spells a type alike in the model (EMERGENCY_STOP) and in streams
// (EmergencyStop): capitals without underscores.
func normType(s string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "_", ""))
}
