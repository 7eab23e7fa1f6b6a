package telemetry_test

import (
	"testing"

	"github.com/nakamawashi/nakamawashi/telemetry"
)

func TestMTConnectState(t *testing.T) {
	type step struct {
		do   func(m *telemetry.MTConnectState)
		want telemetry.State
	}
	avail := func(v string) func(*telemetry.MTConnectState) {
		return func(m *telemetry.MTConnectState) { m.SetAvailability(v) }
	}
	exec := func(v string) func(*telemetry.MTConnectState) {
		return func(m *telemetry.MTConnectState) { m.SetExecution(v) }
	}
	mode := func(v string) func(*telemetry.MTConnectState) {
		return func(m *telemetry.MTConnectState) { m.SetControllerMode(v) }
	}
	estop := func(v string) func(*telemetry.MTConnectState) {
		return func(m *telemetry.MTConnectState) { m.SetEmergencyStop(v) }
	}
	cond := func(item, level, code string) func(*telemetry.MTConnectState) {
		return func(m *telemetry.MTConnectState) { m.SetCondition(item, level, code) }
	}
	steps := []step{
		{func(*telemetry.MTConnectState) {}, telemetry.Off}, // nothing known
		{exec("READY"), telemetry.Idle},                     // no Availability item, but it talks
		{exec("UNAVAILABLE"), telemetry.Off},
		{avail("available"), telemetry.Idle}, // case does not matter
		{exec("active"), telemetry.Running},
		{mode("MANUAL"), telemetry.Running}, // a program running in MDI is running
		{exec("STOPPED"), telemetry.Setup},
		{mode("AUTOMATIC"), telemetry.Idle},
		{cond("system", "WARNING", "LUB"), telemetry.Idle},
		{cond("system", "FAULT", "2010"), telemetry.Alarm},
		{cond("servo", "FAULT", "SV0401"), telemetry.Alarm},
		{cond("system", "NORMAL", "2010"), telemetry.Alarm}, // servo still faulted
		{cond("servo", "NORMAL", ""), telemetry.Idle},       // clears every code of the item
		{estop("TRIGGERED"), telemetry.Alarm},
		{exec("ACTIVE"), telemetry.Alarm},
		{estop("ARMED"), telemetry.Running},
		{cond("system", "FAULT", ""), telemetry.Alarm},
		{cond("system", "UNAVAILABLE", ""), telemetry.Running},
		{exec("FEED_HOLD"), telemetry.Idle},
		{exec("SOMETHING_NEW"), telemetry.Idle},
		{avail("UNAVAILABLE"), telemetry.Off},
		{cond("system", "FAULT", "1"), telemetry.Off}, // off wins: the data is stale
	}
	var m telemetry.MTConnectState
	for i, s := range steps {
		s.do(&m)
		if got := m.State(); got != s.want {
			t.Errorf("step %d: got %v, want %v", i, got, s.want)
		}
	}
	if !m.HasCondition("system") || m.HasCondition("servo") {
		t.Error("HasCondition")
	}
	for v, want := range map[string]bool{"NORMAL": true, "warning": true, "FAULT": true, "UNAVAILABLE": true, "ACTIVE": false, "": false} {
		if telemetry.IsConditionLevel(v) != want {
			t.Errorf("IsConditionLevel(%q) != %v", v, want)
		}
	}
}
