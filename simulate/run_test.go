package simulate_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/ingest"
	"github.com/nakamawashi/nakamawashi/simulate"
	"github.com/nakamawashi/nakamawashi/sqlite"
)

var sys = nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)

// nextWorkDay returns a work day at least two days after now, so that a
// fast clock started there runs ahead of the wall clock.
func nextWorkDay(now time.Time) time.Time {
	day := simulate.Day(now).AddDate(0, 0, 2)
	for !simulate.WorkDay(day) {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// TestRunBroker runs three simulated devices (a stack light and two state
// gateways) on a fast clock through a real embedded broker into a SQLite
// store, and finds their machines' days there.
func TestRunBroker(t *testing.T) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "nakamawashi.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	co := &nakamawashi.Company{Kind: nakamawashi.KindMember, Name: "株式会社シミュレート製作所", NameKana: "シミュレートセイサクショ",
		PostalCode: "144-0051", Prefecture: "東京都", City: "大田区", Street: "西蒲田7-1-1", Phone: "03-1234-5678"}
	if err := s.CreateCompany(sys, co); err != nil {
		t.Fatal(err)
	}
	var machines []*nakamawashi.Machine
	for range 3 {
		m := &nakamawashi.Machine{CompanyID: co.ID, Process: "turning.nc", Maker: "オークマ", Model: "LB3000", Count: 1,
			Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 320, L: 500}, Axes: 2}
		if err := s.CreateMachine(sys, m); err != nil {
			t.Fatal(err)
		}
		machines = append(machines, m)
	}
	devs, err := simulate.Register(sys, s, machines)
	if err != nil {
		t.Fatal(err)
	}
	if devs[0].Kind != nakamawashi.DeviceStackLight || devs[1].Kind != nakamawashi.DeviceMTConnect {
		t.Fatalf("device kinds %s, %s", devs[0].Kind, devs[1].Kind)
	}
	// A second start keeps the devices, with new secrets.
	again, err := simulate.Register(sys, s, machines)
	if err != nil {
		t.Fatal(err)
	}
	if again[2].DeviceID != devs[2].DeviceID || again[2].Secret == devs[2].Secret {
		t.Fatalf("second Register: device %d secret changed %v", again[2].DeviceID, again[2].Secret != devs[2].Secret)
	}
	devs = again

	srv, err := ingest.Open(context.Background(), ingest.ServerConfig{Store: s, Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	// 7:30 to about 12:00 of a work day, at an hour per second.
	start := nextWorkDay(time.Now()).Add(7*time.Hour + 30*time.Minute)
	clock := simulate.NewFastClock(start, 3600)
	var mu sync.Mutex
	published := map[int64][]simulate.Change{}
	r := &simulate.Runner{Addr: srv.Addr(), Devices: devs, Clock: clock,
		Published: func(d simulate.Device, c simulate.Change) {
			mu.Lock()
			published[d.MachineID] = append(published[d.MachineID], c)
			mu.Unlock()
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	for clock.Now().Before(start.Add(4*time.Hour + 30*time.Minute)) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	end := clock.Now()

	for _, d := range devs {
		mu.Lock()
		pub := published[d.MachineID]
		mu.Unlock()
		ivs, err := s.FindStateIntervals(sys, d.MachineID, start.Add(-24*time.Hour), end.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		seen := map[string]bool{}
		for _, iv := range ivs {
			got = append(got, fmt.Sprintf("%s@%s", iv.State, iv.Start.In(start.Location()).Format("15:04:05")))
			seen[iv.State] = true
		}
		t.Logf("machine %d (%s): %d published, stored %v", d.MachineID, d.Kind, len(pub), got)
		if len(pub) < 4 {
			t.Errorf("machine %d: %d messages published in a morning", d.MachineID, len(pub))
		}
		if !seen["running"] || !seen["setup"] {
			t.Errorf("machine %d: no running or no setup stored: %v", d.MachineID, got)
		}
		if d.Kind == nakamawashi.DeviceStackLight {
			continue
		}
		// A gateway's states are stored as published, at the plan's times.
		// The plan's change at or before the start (off since midnight)
		// may have merged into the off the device's connection recorded.
		want := simulate.Changes(d.MachineID, start, end, simulate.DefaultShift)
		n, k := 0, 0
		for _, w := range want {
			for k < len(ivs) && ivs[k].Start.Before(w.At) {
				k++
			}
			if k < len(ivs) && ivs[k].Start.Equal(w.At) && ivs[k].State == w.State.String() {
				n++
				k++
			}
		}
		if n < len(pub) {
			t.Errorf("machine %d: %d of the %d published states stored at their times", d.MachineID, n, len(pub))
		}
		// The runner starts with the state the plan has at its start
		// (off before the shift), unless the clock ran past it while the
		// device connected; either way the first stored interval is the
		// device's first message.
		if ivs[0].State != pub[0].State.String() || ivs[0].DeviceID != d.DeviceID {
			t.Errorf("machine %d: first interval %+v, want %s from the device", d.MachineID, ivs[0], pub[0].State)
		}
	}
}
