package telemetry_test

import (
	"testing"

	"github.com/nakamawashi/nakamawashi/telemetry"
)

type light struct {
	sec     float64
	g, y, r bool
}

func TestStackLight(t *testing.T) {
	tests := []struct {
		name    string
		samples []light
		end     float64
		want    string
	}{
		{"steady green", []light{{0, true, false, false}}, 100, "running@0-100"},
		{"blinking green is on", []light{
			{0, true, false, false}, {0.5, false, false, false}, {1, true, false, false},
			{1.5, false, false, false}, {2, true, false, false}, {2.5, false, false, false},
		}, 3.5, "running@0-3.5"},
		{"green goes off: off after the debounce", []light{
			{0, true, false, false}, {10, false, false, false}, {20, false, false, false},
		}, 30, "running@0-11.5 off@11.5-30"},
		{"off just before the debounce ends, on again: never off", []light{
			{0, true, false, false}, {10, false, false, false}, {11.4, true, false, false},
		}, 20, "running@0-20"},
		{"red wins over green", []light{
			{0, true, false, false}, {5, true, false, true}, {8, true, false, false},
		}, 20, "running@0-5 alarm@5-9.5 running@9.5-20"},
		{"blinking red over steady green stays alarm", []light{
			{0, true, false, true}, {0.7, true, false, false}, {1.4, true, false, true}, {2.1, true, false, false},
		}, 3, "alarm@0-3"},
		{"yellow wins over green, red over yellow", []light{
			{0, true, true, false}, {4, true, true, true},
		}, 6, "setup@0-4 alarm@4-6"},
		{"all off from the start", []light{{0, false, false, false}, {3, false, true, false}}, 5, "off@0-3 setup@3-5"},
		{"several lamps expire between samples", []light{
			{0, true, true, true}, {1, true, false, false}, {1.2, false, false, false},
		}, 10, "alarm@0-2.5 running@2.5-2.7 off@2.7-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := telemetry.NewStackLight("m1")
			for _, x := range tt.samples {
				if err := s.Observe(telemetry.LightSample{Time: at(x.sec), Green: x.g, Yellow: x.y, Red: x.r}); err != nil {
					t.Fatal(err)
				}
			}
			if got := show(s.Close(at(tt.end))); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestStackLightOptions(t *testing.T) {
	s := telemetry.NewStackLight("m1")
	s.Yellow = telemetry.Idle
	s.Debounce = 3e9 // 3 s
	for _, x := range []light{{0, false, true, false}, {1, false, false, false}} {
		if err := s.Observe(telemetry.LightSample{Time: at(x.sec), Green: x.g, Yellow: x.y, Red: x.r}); err != nil {
			t.Fatal(err)
		}
	}
	if s.State() != telemetry.Idle {
		t.Errorf("state %v, want idle", s.State())
	}
	if got, want := show(s.Close(at(10))), "idle@0-4 off@4-10"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if err := s.Observe(telemetry.LightSample{Time: at(5)}); err == nil {
		t.Error("a sample back in time: no error")
	}
}
