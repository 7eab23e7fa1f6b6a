package sparkplug_test

import (
	"encoding/json"
	"testing"

	"github.com/nakamawashi/nakamawashi/sparkplug"
)

func metrics(kv ...any) map[string]sparkplug.Metric {
	m := map[string]sparkplug.Metric{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = sparkplug.Metric{Name: kv[i].(string), Value: kv[i+1]}
	}
	return m
}

func TestDefaultStateMap(t *testing.T) {
	sm := sparkplug.DefaultStateMap()
	if err := sm.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		metrics map[string]sparkplug.Metric
		want    string
	}{
		{"nothing known", metrics(), sparkplug.StateIdle},
		{"ready", metrics("Machine/Execution", "READY", "Machine/Power", true), sparkplug.StateIdle},
		{"active", metrics("Machine/Execution", "ACTIVE"), sparkplug.StateRunning},
		{"active, lower case", metrics("Machine/Execution", "active"), sparkplug.StateRunning},
		{"setup outranks running", metrics("Machine/Execution", "ACTIVE", "Machine/Mode", "SETUP"), sparkplug.StateSetup},
		{"alarm outranks running", metrics("Machine/Execution", "ACTIVE", "Machine/Alarm", true), sparkplug.StateAlarm},
		{"alarm cleared", metrics("Machine/Execution", "ACTIVE", "Machine/Alarm", false), sparkplug.StateRunning},
		{"power off outranks all", metrics("Machine/Power", false, "Machine/Alarm", true), sparkplug.StateOff},
		{"alarm of the wrong type", metrics("Machine/Alarm", "true"), sparkplug.StateIdle},
	} {
		if got := sm.State(tt.metrics); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
	null := map[string]sparkplug.Metric{"Machine/Power": {Name: "Machine/Power", IsNull: true, Value: false}}
	if got := sm.State(null); got != sparkplug.StateIdle {
		t.Errorf("a null metric: got %s, want idle", got)
	}
}

func TestStateMapFromConfig(t *testing.T) {
	// A shop whose controller reports a spindle speed and a status code.
	var sm sparkplug.StateMap
	err := json.Unmarshal([]byte(`{
		"off":     [{"metric": "Status", "value": 0}],
		"alarm":   [{"metric": "Status", "op": ">=", "value": 900}],
		"setup":   [{"metric": "Door/Open", "value": true}],
		"running": [{"metric": "Spindle/Speed", "op": ">", "value": 0}]
	}`), &sm)
	if err != nil {
		t.Fatal(err)
	}
	if err := sm.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		metrics map[string]sparkplug.Metric
		want    string
	}{
		{metrics("Status", uint16(0)), sparkplug.StateOff},
		{metrics("Status", int32(901)), sparkplug.StateAlarm},
		{metrics("Status", int32(1), "Spindle/Speed", float32(1200)), sparkplug.StateRunning},
		{metrics("Status", int32(1), "Spindle/Speed", uint32(0)), sparkplug.StateIdle},
		{metrics("Status", int32(1), "Door/Open", true, "Spindle/Speed", int64(10)), sparkplug.StateSetup},
	} {
		if got := sm.State(tt.metrics); got != tt.want {
			t.Errorf("%v: got %s, want %s", tt.metrics, got, tt.want)
		}
	}
}

func TestStateMapValidate(t *testing.T) {
	for _, r := range []sparkplug.Rule{
		{Value: true},
		{Metric: "m", Op: "~=", Value: "x"},
		{Metric: "m", Op: ">", Value: "x"},
		{Metric: "m", Value: []int{1}},
	} {
		if err := (sparkplug.StateMap{Running: []sparkplug.Rule{r}}).Validate(); err == nil {
			t.Errorf("%+v passed", r)
		}
	}
}

func TestRuleMatch(t *testing.T) {
	for _, tt := range []struct {
		r    sparkplug.Rule
		v    any
		want bool
	}{
		{sparkplug.Rule{Op: "!=", Value: "STOPPED"}, "ACTIVE", true},
		{sparkplug.Rule{Op: "!=", Value: "STOPPED"}, true, false}, // kinds differ
		{sparkplug.Rule{Op: "<=", Value: 5}, int8(-3), true},
		{sparkplug.Rule{Op: "<", Value: 5}, float64(5), false},
		{sparkplug.Rule{Op: ">", Value: 0}, float32(nan()), false},
		{sparkplug.Rule{Value: 1}, true, false},
	} {
		if got := tt.r.Match(tt.v); got != tt.want {
			t.Errorf("%+v on %#v: got %v, want %v", tt.r, tt.v, got, tt.want)
		}
	}
}

func nan() float64 { var z float64; return z / z }
