package telemetry_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/telemetry"
)

func TestReplayShopDay(t *testing.T) {
	f, err := os.Open("testdata/shopday.shdr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := telemetry.Replay(f)
	if err != nil {
		t.Fatal(err)
	}
	// The hand-computed seconds in the header of testdata/shopday.shdr.
	want := map[string]map[telemetry.State]float64{
		"mazak": {telemetry.Running: 21224.75, telemetry.Idle: 5175.25, telemetry.Setup: 5400, telemetry.Alarm: 1200, telemetry.Off: 600},
		"okuma": {telemetry.Running: 23339.5, telemetry.Idle: 5110, telemetry.Setup: 2430.5, telemetry.Alarm: 1520, telemetry.Off: 1800},
	}
	if len(rep.Devices) != 2 || rep.Devices[0].Name != "mazak" || rep.Devices[1].Name != "okuma" {
		t.Fatalf("devices %+v", rep.Devices)
	}
	for _, d := range rep.Devices {
		for _, s := range telemetry.States {
			if got := d.Time[s].Seconds(); got != want[d.Name][s] {
				t.Errorf("%s %v: got %v s, want %v s", d.Name, s, got, want[d.Name][s])
			}
		}
		// Intervals tile the device's time: no gaps, no overlaps, no
		// two equal states in a row.
		for i := 1; i < len(d.Intervals); i++ {
			a, b := d.Intervals[i-1], d.Intervals[i]
			if !a.End.Equal(b.Start) || a.State == b.State || a.Machine != d.Name {
				t.Errorf("%s: intervals %d and %d: %+v %+v", d.Name, i-1, i, a, b)
			}
		}
	}
	okuma := rep.Devices[1].Intervals
	// setup idle running alarm idle setup running idle running alarm idle
	// running idle off
	if len(okuma) != 14 {
		t.Errorf("okuma: %d intervals, want 14", len(okuma))
	}
	first, last := okuma[0], okuma[len(okuma)-1]
	jst := time.FixedZone("JST", 9*3600)
	if first.State != telemetry.Setup || !first.Start.Equal(time.Date(2024, 5, 13, 8, 0, 0, 0, jst)) {
		t.Errorf("okuma's first interval %+v", first)
	}
	if last.State != telemetry.Off || !last.End.Equal(time.Date(2024, 5, 13, 17, 30, 0, 0, jst)) {
		t.Errorf("okuma's last interval %+v", last)
	}
	if len(rep.Bad) != 1 || rep.Bad[0].Line != 39 {
		t.Errorf("bad lines %v, want line 39 only", rep.Bad)
	}
	if rep.Lines != 36 {
		t.Errorf("%d data lines, want 36", rep.Lines)
	}
}

func TestReplayDefaultDeviceAndClockSkew(t *testing.T) {
	in := strings.Join([]string{
		"2024-05-13T08:00:00Z|avail|AVAILABLE|exec|ACTIVE",
		"2024-05-13T08:00:10Z|exec|READY",
		"2024-05-13T08:00:09Z|exec|ACTIVE", // a step back in time: taken at 08:00:10
		"2024-05-13T08:00:20Z|system|FAULT|1|||x",
		"2024-05-13T08:00:25Z|system|UNAVAILABLE", // a plain value for a condition key clears it
		"2024-05-13T08:00:30Z|other:exec|ACTIVE",
	}, "\n")
	rep, err := telemetry.Replay(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Devices) != 2 || rep.Devices[0].Name != telemetry.DefaultDevice || rep.Devices[1].Name != "other" {
		t.Fatalf("devices %+v", rep.Devices)
	}
	d := rep.Devices[0]
	// Running 08:00:00–08:00:20 (the READY at 10 lasted no time, since the
	// ACTIVE stamped 09 is taken at 10), alarm 20–25, running 25–30.
	want := [telemetry.NumStates]time.Duration{telemetry.Running: 25 * time.Second, telemetry.Alarm: 5 * time.Second}
	if d.Time != want {
		t.Errorf("default device: got %v, want %v", d.Time, want)
	}
	if n := len(d.Intervals); n != 3 {
		t.Errorf("default device: %d intervals %+v, want 3", n, d.Intervals)
	}
	// other has no Availability but runs: running, for no time at the end.
	if o := rep.Devices[1]; len(o.Intervals) != 0 {
		t.Errorf("other: %+v", o)
	}
}

func TestReplayEmpty(t *testing.T) {
	rep, err := telemetry.Replay(strings.NewReader("* PING\n\nnot shdr\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Devices) != 0 || rep.Lines != 0 || len(rep.Bad) != 1 {
		t.Errorf("got %+v", rep)
	}
}
