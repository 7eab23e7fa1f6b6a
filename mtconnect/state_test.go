package mtconnect_test

import (
	"testing"

	"github.com/nakamawashi/nakamawashi/mtconnect"
)

func ev(typ, value string) mtconnect.Observation {
	return mtconnect.Observation{Category: "EVENT", Type: typ, Value: value}
}

func cond(id, level, code string) mtconnect.Observation {
	return mtconnect.Observation{Category: "CONDITION", DataItemID: id, Type: "SYSTEM", Level: level, NativeCode: code}
}

func TestMapState(t *testing.T) {
	tests := []struct {
		name string
		obs  []mtconnect.Observation
		want string
	}{
		{"nothing known", nil, mtconnect.StateIdle},
		{"ready", []mtconnect.Observation{ev("Availability", "AVAILABLE"), ev("Execution", "READY")}, mtconnect.StateIdle},
		{"active", []mtconnect.Observation{ev("Availability", "AVAILABLE"), ev("Execution", "ACTIVE")}, mtconnect.StateRunning},
		{"feed hold", []mtconnect.Observation{ev("Execution", "ACTIVE"), ev("Execution", "FEED_HOLD")}, mtconnect.StateIdle},
		{"unavailable wins", []mtconnect.Observation{ev("Execution", "ACTIVE"), cond("sys", "FAULT", "1"), ev("Availability", "UNAVAILABLE")}, mtconnect.StateOff},
		{"model spelling", []mtconnect.Observation{ev("AVAILABILITY", "unavailable")}, mtconnect.StateOff},
		{"emergency stop", []mtconnect.Observation{ev("Execution", "ACTIVE"), ev("EmergencyStop", "TRIGGERED")}, mtconnect.StateAlarm},
		{"emergency stop armed", []mtconnect.Observation{ev("EMERGENCY_STOP", "TRIGGERED"), ev("EmergencyStop", "ARMED")}, mtconnect.StateIdle},
		{"fault", []mtconnect.Observation{ev("Execution", "ACTIVE"), cond("sys", "FAULT", "E1")}, mtconnect.StateAlarm},
		{"warning is no alarm", []mtconnect.Observation{ev("Execution", "ACTIVE"), cond("sys", "WARNING", "W1")}, mtconnect.StateRunning},
		{"fault cleared by its code", []mtconnect.Observation{cond("sys", "FAULT", "E1"), cond("sys", "NORMAL", "E1")}, mtconnect.StateIdle},
		{"one of two faults cleared", []mtconnect.Observation{cond("sys", "FAULT", "E1"), cond("sys", "FAULT", "E2"), cond("sys", "NORMAL", "E1")}, mtconnect.StateAlarm},
		{"all cleared by normal", []mtconnect.Observation{cond("sys", "FAULT", "E1"), cond("sys", "FAULT", "E2"), cond("sys", "NORMAL", "")}, mtconnect.StateIdle},
		{"fault on another item stays", []mtconnect.Observation{cond("sys", "FAULT", "E1"), cond("servo", "NORMAL", "")}, mtconnect.StateAlarm},
		{"fault down to warning", []mtconnect.Observation{cond("sys", "FAULT", "E1"), cond("sys", "WARNING", "E1")}, mtconnect.StateIdle},
		{"condition unavailable clears", []mtconnect.Observation{cond("sys", "FAULT", "E1"), cond("sys", "UNAVAILABLE", "")}, mtconnect.StateIdle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mtconnect.MapState(tt.obs...); got != tt.want {
				t.Errorf("MapState = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStatesByDevice(t *testing.T) {
	a, b := ev("Execution", "ACTIVE"), ev("Availability", "UNAVAILABLE")
	a.Device, b.Device = "Okuma", "Mazak"
	got := mtconnect.StatesByDevice([]mtconnect.Observation{a, b})
	if len(got) != 2 || got["Okuma"] != mtconnect.StateRunning || got["Mazak"] != mtconnect.StateOff {
		t.Errorf("StatesByDevice = %v, want Okuma running, Mazak off", got)
	}
}

func TestStateFromSHDRWithModel(t *testing.T) {
	d, err := mtconnect.ParseDevices(mustOpen(t, "probe-haas.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var tr mtconnect.StateTracker
	steps := []struct{ line, want string }{
		{"2024-05-01T00:00:00Z|avail|AVAILABLE|execution|ACTIVE", mtconnect.StateRunning},
		{"2024-05-01T00:00:01Z|system|FAULT|1001||HIGH|Overtravel", mtconnect.StateAlarm},
		{"2024-05-01T00:00:02Z|system|NORMAL||||", mtconnect.StateRunning},
		{"2024-05-01T00:00:03Z|estop|TRIGGERED", mtconnect.StateAlarm},
		{"2024-05-01T00:00:04Z|estop|ARMED|execution|STOPPED", mtconnect.StateIdle},
		{"2024-05-01T00:00:05Z|avail|UNAVAILABLE", mtconnect.StateOff},
	}
	for _, s := range steps {
		l, err := mtconnect.ParseSHDRLine(s.line, d.IsCondition)
		if err != nil {
			t.Fatal(err)
		}
		if got := tr.UpdateSHDR(l, d.TypeOf); got != s.want {
			t.Errorf("after %q: %q, want %q", s.line, got, s.want)
		}
	}
}
