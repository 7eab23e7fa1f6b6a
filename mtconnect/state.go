package mtconnect

import (
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// StateTracker follows one machine's state through its observations with
// the one MTConnect mapping of the module, telemetry.MTConnectState:
// Availability UNAVAILABLE is off; a Condition at FAULT or EmergencyStop
// TRIGGERED is an alarm; Execution ACTIVE is running; a ControllerMode of
// MANUAL, MANUAL_DATA_INPUT or EDIT is setup; anything else idle. This
// type only routes what an agent or an adapter delivers to it.
//
// Feed it one device's observations (filter by Observation.Device, or use
// StatesByDevice). The zero value is ready to use; it is not safe for
// concurrent use.
type StateTracker struct {
	telemetry.MTConnectState
}

// MapState returns the state the observations leave a machine in.
func MapState(obs ...Observation) telemetry.State {
	var t StateTracker
	return t.Update(obs...)
}

// StatesByDevice returns the state of each device named in the
// observations.
func StatesByDevice(obs []Observation) map[string]telemetry.State {
	trackers := map[string]*StateTracker{}
	for _, o := range obs {
		t := trackers[o.Device]
		if t == nil {
			t = &StateTracker{}
			trackers[o.Device] = t
		}
		t.Update(o)
	}
	out := make(map[string]telemetry.State, len(trackers))
	for dev, t := range trackers {
		out[dev] = t.State()
	}
	return out
}

// Update takes observations of an agent's stream in sequence order and
// returns the state after them.
func (t *StateTracker) Update(obs ...Observation) telemetry.State {
	for _, o := range obs {
		if o.Category == "CONDITION" || o.Level != "" {
			key := o.DataItemID
			if key == "" {
				key = o.Name
			}
			t.SetCondition(key, o.Level, o.NativeCode)
			continue
		}
		t.Set(o.Type, o.Value)
	}
	return t.State()
}

// UpdateSHDR takes an adapter's data line. SHDR keys are data item names
// or ids, not types: typeOf maps them (Devices.TypeOf); when it is nil, a
// key is taken as its own type (avail, execution, estop, mode…).
func (t *StateTracker) UpdateSHDR(l telemetry.SHDRLine, typeOf func(device, key string) string) telemetry.State {
	for _, o := range l.Observations {
		typ := ""
		if typeOf != nil {
			typ = typeOf(o.Device, o.Key)
		}
		t.ObserveSHDR(o, typ)
	}
	return t.State()
}
