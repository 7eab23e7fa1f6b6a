package mtconnect_test

import (
	"testing"

	"github.com/nakamawashi/nakamawashi/mtconnect"
	"github.com/nakamawashi/nakamawashi/telemetry"
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
		want telemetry.State
	}{
		{"nothing known", nil, telemetry.Off},
		{"ready", []mtconnect.Observation{ev("Availability", "AVAILABLE"), ev("Execution", "READY")}, telemetry.Idle},
		{"active", []mtconnect.Observation{ev("Availability", "AVAILABLE"), ev("Execution", "ACTIVE")}, telemetry.Running},
		{"feed hold", []mtconnect.Observation{ev("Execution", "ACTIVE"), ev("Execution", "FEED_HOLD")}, telemetry.Idle},
		{"unavailable wins", []mtconnect.Observation{ev("Execution", "ACTIVE"), cond("sys", "FAULT", "1"), ev("Availability", "UNAVAILABLE")}, telemetry.Off},
		{"model spelling", []mtconnect.Observation{ev("AVAILABILITY", "unavailable")}, telemetry.Off},
		{"emergency stop", []mtconnect.Observation{ev("Execution", "ACTIVE"), ev("EmergencyStop", "TRIGGERED")}, telemetry.Alarm},
		{"emergency stop armed", []mtconnect.Observation{ev("Availability", "AVAILABLE"), ev("EMERGENCY_STOP", "TRIGGERED"), ev("EmergencyStop", "ARMED")}, telemetry.Idle},
		{"fault", []mtconnect.Observation{ev("Execution", "ACTIVE"), cond("sys", "FAULT", "E1")}, telemetry.Alarm},
		{"warning is no alarm", []mtconnect.Observation{ev("Execution", "ACTIVE"), cond("sys", "WARNING", "W1")}, telemetry.Running},
		{"fault cleared by its code", []mtconnect.Observation{ev("Execution", "READY"), cond("sys", "FAULT", "E1"), cond("sys", "NORMAL", "E1")}, telemetry.Idle},
		{"manual mode is setup", []mtconnect.Observation{ev("Availability", "AVAILABLE"), ev("ControllerMode", "MANUAL")}, telemetry.Setup},
		{"manual but active", []mtconnect.Observation{ev("Availability", "AVAILABLE"), ev("CONTROLLER_MODE", "MANUAL"), ev("Execution", "ACTIVE")}, telemetry.Running},
		{"one of two faults cleared", []mtconnect.Observation{ev("Availability", "AVAILABLE"), cond("sys", "FAULT", "E1"), cond("sys", "FAULT", "E2"), cond("sys", "NORMAL", "E1")}, telemetry.Alarm},
		{"all cleared by normal", []mtconnect.Observation{ev("Availability", "AVAILABLE"), cond("sys", "FAULT", "E1"), cond("sys", "FAULT", "E2"), cond("sys", "NORMAL", "")}, telemetry.Idle},
		{"fault on another item stays", []mtconnect.Observation{ev("Availability", "AVAILABLE"), cond("sys", "FAULT", "E1"), cond("servo", "NORMAL", "")}, telemetry.Alarm},
		{"fault down to warning", []mtconnect.Observation{ev("Availability", "AVAILABLE"), cond("sys", "FAULT", "E1"), cond("sys", "WARNING", "E1")}, telemetry.Idle},
		{"condition unavailable clears", []mtconnect.Observation{ev("Availability", "AVAILABLE"), cond("sys", "FAULT", "E1"), cond("sys", "UNAVAILABLE", "")}, telemetry.Idle},
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
	if len(got) != 2 || got["Okuma"] != telemetry.Running || got["Mazak"] != telemetry.Off {
		t.Errorf("StatesByDevice = %v, want Okuma running, Mazak off", got)
	}
}

func TestStateFromSHDRWithModel(t *testing.T) {
	d, err := mtconnect.ParseDevices(mustOpen(t, "probe-haas.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var tr mtconnect.StateTracker
	steps := []struct {
		line string
		want telemetry.State
	}{
		{"2024-05-01T00:00:00Z|avail|AVAILABLE|execution|ACTIVE", telemetry.Running},
		{"2024-05-01T00:00:01Z|system|FAULT|1001||HIGH|Overtravel", telemetry.Alarm},
		{"2024-05-01T00:00:02Z|system|NORMAL||||", telemetry.Running},
		{"2024-05-01T00:00:03Z|estop|TRIGGERED", telemetry.Alarm},
		{"2024-05-01T00:00:04Z|estop|ARMED|execution|STOPPED", telemetry.Idle},
		{"2024-05-01T00:00:05Z|avail|UNAVAILABLE", telemetry.Off},
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
