package telemetry_test

import (
	"math"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/telemetry"
)

// lathe is a small lathe's clamp: about 1 A idle (control, coolant pump off),
// 6 A and more cutting.
var lathe = telemetry.ClampConfig{IdleOn: 0.8, IdleOff: 0.5, RunOn: 4, RunOff: 3, MinDwell: 5 * time.Second}

type amps struct {
	sec float64
	a   float64
}

func TestCurrentClamp(t *testing.T) {
	tests := []struct {
		name    string
		cfg     telemetry.ClampConfig
		samples []amps
		end     float64
		want    string
	}{
		{"power on, cut, stop", lathe, []amps{{0, 0}, {10, 1}, {20, 6}, {30, 6.5}, {40, 1}, {50, 1}, {60, 0}, {70, 0}}, 80,
			"off@0-10 idle@10-20 running@20-40 idle@40-60 off@60-80"},
		{"hysteresis: 3.5 A keeps running, does not start it", lathe, []amps{{0, 1}, {10, 3.5}, {20, 5}, {30, 3.5}, {40, 3.5}, {50, 2.9}, {60, 2.9}}, 70,
			"idle@0-20 running@20-50 idle@50-70"},
		{"a spike shorter than the dwell is ignored", lathe, []amps{{0, 1}, {10, 8}, {12, 1}, {20, 1}}, 30,
			"idle@0-30"},
		{"a change is dated from its first sample", lathe, []amps{{0, 1}, {10, 8}, {11, 8}, {14, 8}, {15, 8}}, 30,
			"idle@0-10 running@10-30"},
		{"a new candidate restarts the dwell", lathe, []amps{{0, 1}, {10, 8}, {13, 0}, {17, 0}, {18, 0}}, 30,
			"idle@0-13 off@13-30"},
		{"pending at the end is taken if it held", lathe, []amps{{0, 1}, {10, 8}}, 30,
			"idle@0-10 running@10-30"},
		{"no dwell", telemetry.ClampConfig{IdleOn: 1, IdleOff: 1, RunOn: 5, RunOff: 5}, []amps{{0, 0}, {1, 5}, {2, 1}, {3, 0.99}}, 4,
			"off@0-1 running@1-2 idle@2-3 off@3-4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := telemetry.NewCurrentClamp("lathe", tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range tt.samples {
				if err := c.Observe(telemetry.CurrentSample{Time: at(x.sec), Amperes: x.a}); err != nil {
					t.Fatal(err)
				}
			}
			if got := show(c.Close(at(tt.end))); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCurrentClampErrors(t *testing.T) {
	for _, cfg := range []telemetry.ClampConfig{
		{IdleOn: 1, IdleOff: 2, RunOn: 5, RunOff: 4},
		{IdleOn: 1, IdleOff: 0.5, RunOn: 5, RunOff: 6},
		{IdleOn: 5, IdleOff: 0.5, RunOn: 5, RunOff: 4},
		{IdleOn: 1, IdleOff: -1, RunOn: 5, RunOff: 4},
		{IdleOn: 1, IdleOff: 0.5, RunOn: 5, RunOff: 4, MinDwell: -1},
	} {
		if _, err := telemetry.NewCurrentClamp("m", cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
	c, err := telemetry.NewCurrentClamp("m", lathe)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Observe(telemetry.CurrentSample{Time: at(10), Amperes: 1}); err != nil {
		t.Fatal(err)
	}
	if err := c.Observe(telemetry.CurrentSample{Time: at(5), Amperes: 1}); err == nil {
		t.Error("sample back in time: no error")
	}
	if err := c.Observe(telemetry.CurrentSample{Time: at(20), Amperes: math.NaN()}); err == nil {
		t.Error("NaN: no error")
	}
}
