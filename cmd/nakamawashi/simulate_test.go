package main_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// TestServeDemoSimulates: serve --demo registers a device for each demo
// machine, writes a week of history through the store and has the devices
// publish through the broker: on a fast clock, new intervals arrive.
func TestServeDemoSimulates(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo network")
	}
	m, out := MustRunServer(t, "--demo", "--demo-speed", "50000")
	if !strings.Contains(out.String(), "machines publish their states over MQTT") {
		t.Fatalf("no word of the simulator:\n%s", out)
	}
	cos, _, err := m.Store.FindCompanies(sys, nakamawashi.CompanyFilter{Kind: nakamawashi.KindMember, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	var machine *nakamawashi.Machine
	for _, c := range cos {
		ms, err := m.Store.FindMachines(sys, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) > 0 {
			machine = ms[0]
			break
		}
	}
	if machine == nil {
		t.Fatal("no demo machine")
	}
	devs, err := m.Store.FindDevices(sys, machine.CompanyID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range devs {
		found = found || d.MachineID == machine.ID
	}
	if !found {
		t.Fatalf("machine %d has no simulated device", machine.ID)
	}
	now := time.Now()
	history, err := m.Store.FindStateIntervals(sys, machine.ID, now.AddDate(0, 0, -7), now)
	if err != nil {
		t.Fatal(err)
	}
	running := 0
	for _, iv := range history {
		if iv.State == "running" {
			running++
		}
	}
	if running < 5 {
		t.Errorf("a week of history with %d running intervals: %v", running, history)
	}
	// Fourteen hours a second: within seconds, even from the evening
	// before a long weekend, some machine changes.
	deadline := time.Now().Add(15 * time.Second)
	for {
		n := 0
		for _, c := range cos {
			ms, _ := m.Store.FindMachines(sys, c.ID)
			for _, mc := range ms {
				ivs, err := m.Store.FindStateIntervals(sys, mc.ID, now.Add(time.Second), now.AddDate(0, 0, 30))
				if err != nil {
					t.Fatal(err)
				}
				for _, iv := range ivs {
					if iv.Start.After(now) {
						n++
					}
				}
			}
		}
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no interval published by the simulated devices after %s:\n%s", 15*time.Second, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
