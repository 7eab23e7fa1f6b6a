package telemetry

import "strings"

// MTConnect values of the data items that decide a machine's state.
const (
	Unavailable = "UNAVAILABLE" // any data item: the agent does not know

	Available = "AVAILABLE"
	Active    = "ACTIVE"    // Execution
	Triggered = "TRIGGERED" // EmergencyStop
	Armed     = "ARMED"     // EmergencyStop

	Normal  = "NORMAL" // Condition levels
	Warning = "WARNING"
	Fault   = "FAULT"
)

// IsConditionLevel reports whether v is the level of an MTConnect
// Condition: NORMAL, WARNING, FAULT or UNAVAILABLE.
func IsConditionLevel(v string) bool {
	switch strings.ToUpper(v) {
	case Normal, Warning, Fault, Unavailable:
		return true
	}
	return false
}

// MTConnectState folds the observations of one MTConnect device into its
// state: Availability UNAVAILABLE is Off; an active FAULT of any Condition
// or EmergencyStop TRIGGERED is Alarm; Execution ACTIVE is Running; a
// ControllerMode of MANUAL, MANUAL_DATA_INPUT or EDIT is Setup; anything
// else Idle. A device that reports no Availability is Off while its
// Execution is UNAVAILABLE or not yet reported. Values are compared without
// case; an unknown value is neither ACTIVE nor TRIGGERED nor FAULT.
// The zero MTConnectState is ready to use.
type MTConnectState struct {
	Availability   string // "" until reported
	Execution      string
	EmergencyStop  string
	ControllerMode string
	// conds holds the active levels of each Condition item by native code;
	// WARNINGs are kept too, but only a FAULT makes an alarm.
	conds map[string]map[string]string
}

// mtconnectItems are the data items that decide the state, by their type
// as a device model or a stream spells it (EMERGENCY_STOP, EmergencyStop)
// and by the SHDR keys adapters commonly use (estop), all brought to
// lower case without underscores by itemKey.
var mtconnectItems = map[string]string{
	"avail": Availability, "availability": Availability,
	"exec": Execution, "execution": Execution,
	"estop": EmergencyStop, "emergencystop": EmergencyStop,
	"mode": ControllerMode, "controllermode": ControllerMode,
}

// The data items MTConnectState follows, as MTConnectItem names them.
const (
	Availability   = "AVAILABILITY"
	Execution      = "EXECUTION"
	EmergencyStop  = "EMERGENCY_STOP"
	ControllerMode = "CONTROLLER_MODE"
)

func itemKey(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", ""))
}

// MTConnectItem returns which of the data items that decide the state typ
// is (Availability, Execution, EmergencyStop or ControllerMode), or "".
// typ is a data item type in any of MTConnect's spellings or an SHDR key
// such as avail, exec, estop or mode.
func MTConnectItem(typ string) string { return mtconnectItems[itemKey(typ)] }

// Set records the value of a data item of type typ (see MTConnectItem)
// and reports whether the item is one that decides the state.
func (m *MTConnectState) Set(typ, value string) bool {
	switch MTConnectItem(typ) {
	case Availability:
		m.SetAvailability(value)
	case Execution:
		m.SetExecution(value)
	case EmergencyStop:
		m.SetEmergencyStop(value)
	case ControllerMode:
		m.SetControllerMode(value)
	default:
		return false
	}
	return true
}

// ObserveSHDR records one observation of an SHDR line of this device. typ
// is the key's data item type when a device model tells it, or "" to take
// the key as its type. A condition key that later carries a plain value
// (UNAVAILABLE, say) no longer holds a known fault.
func (m *MTConnectState) ObserveSHDR(o Observation, typ string) {
	key := strings.ToLower(o.Key)
	if o.Condition {
		m.SetCondition(key, o.Value, o.NativeCode)
		return
	}
	if typ == "" {
		typ = o.Key
	}
	if !m.Set(typ, o.Value) && m.HasCondition(key) {
		m.SetCondition(key, o.Value, "")
	}
}

// SetAvailability records an Availability value.
func (m *MTConnectState) SetAvailability(v string) { m.Availability = strings.ToUpper(v) }

// SetExecution records an Execution value.
func (m *MTConnectState) SetExecution(v string) { m.Execution = strings.ToUpper(v) }

// SetEmergencyStop records an EmergencyStop value.
func (m *MTConnectState) SetEmergencyStop(v string) { m.EmergencyStop = strings.ToUpper(v) }

// SetControllerMode records a ControllerMode value.
func (m *MTConnectState) SetControllerMode(v string) { m.ControllerMode = strings.ToUpper(v) }

// SetCondition records the level of the Condition item for one native code,
// as MTConnect does: a Condition item can hold several active faults and
// warnings at once, one per native code. NORMAL with a native code clears
// that code; NORMAL or UNAVAILABLE without one clears the whole item. A
// level that is not a condition level clears the item too: the item's value
// is not known.
func (m *MTConnectState) SetCondition(item, level, nativeCode string) {
	level = strings.ToUpper(level)
	if m.conds == nil {
		m.conds = make(map[string]map[string]string)
	}
	switch {
	case level == Warning || level == Fault:
		codes := m.conds[item]
		if codes == nil {
			codes = make(map[string]string)
			m.conds[item] = codes
		}
		codes[nativeCode] = level
	case level == Normal && nativeCode != "":
		delete(m.conds[item], nativeCode)
	default:
		delete(m.conds, item)
	}
}

// HasCondition reports whether item has been seen as a Condition with an
// active level (WARNING or FAULT).
func (m *MTConnectState) HasCondition(item string) bool { return len(m.conds[item]) > 0 }

// Faulted reports whether any Condition has an active FAULT.
func (m *MTConnectState) Faulted() bool {
	for _, codes := range m.conds {
		for _, level := range codes {
			if level == Fault {
				return true
			}
		}
	}
	return false
}

// State returns the device's state by the rules above.
func (m *MTConnectState) State() State {
	switch {
	case m.Availability == Unavailable:
		return Off
	case m.Availability == "" && (m.Execution == "" || m.Execution == Unavailable):
		return Off
	case m.Faulted() || m.EmergencyStop == Triggered:
		return Alarm
	case m.Execution == Active:
		return Running
	}
	switch m.ControllerMode {
	case "MANUAL", "MANUAL_DATA_INPUT", "EDIT":
		return Setup
	}
	return Idle
}
