package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

func init() {
	register("DeviceEnableDelete", testDeviceEnableDelete)
	register("TelemetrySharing", testTelemetrySharing)
	register("Board", testBoard)
	register("CompanyLotEventsScope", testCompanyLotEventsScope)
}

func testDeviceEnableDelete(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	m := e.machine(w.a.ID)
	d, secret := e.device(m)

	_, err := s.EnableDevice(w.ownerA, d.ID)
	wantError(t, err, nakamawashi.ECONFLICT, "err.device.enabled")
	if err := s.DisableDevice(w.ownerA, d.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.EnableDevice(w.ownerB, d.ID)
	wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
	_, err = s.EnableDevice(w.custOwner, d.ID)
	wantError(t, err, nakamawashi.ENOTFOUND, "err.device.not_found")
	fresh, err := s.EnableDevice(w.ownerA, d.ID)
	if err != nil || fresh == secret {
		t.Fatalf("EnableDevice: %q, %v", fresh, err)
	}
	if ev := e.lastEvent(); ev.Action != "device.enable" || ev.EntityID != d.ID {
		t.Fatalf("event: %+v", ev)
	}
	if _, err := s.AuthenticateDevice(context.Background(), d.Username, secret); err == nil {
		t.Fatal("the secret from before the disable logs in again")
	}
	if _, err := s.AuthenticateDevice(context.Background(), d.Username, fresh); err != nil {
		t.Fatalf("the new secret: %v", err)
	}

	// Deleting keeps the intervals it reported, as its machine's.
	t0 := e.clock.Now().Add(-time.Hour)
	if err := s.AppendStateIntervals(e.sys, []nakamawashi.StateInterval{{MachineID: m.ID, DeviceID: d.ID, State: "running", Start: t0}}); err != nil {
		t.Fatal(err)
	}
	wantError(t, s.DeleteDevice(w.ownerB, d.ID), nakamawashi.EFORBIDDEN, "err.forbidden")
	wantError(t, s.DeleteDevice(w.custOwner, d.ID), nakamawashi.ENOTFOUND, "err.device.not_found")
	wantCode(t, s.DeleteDevice(context.Background(), d.ID), nakamawashi.EUNAUTHORIZED)
	if err := s.DeleteDevice(w.ownerA, d.ID); err != nil {
		t.Fatal(err)
	}
	if ev := e.lastEvent(); ev.Action != "device.delete" || ev.EntityID != d.ID {
		t.Fatalf("event: %+v", ev)
	}
	if ds, err := s.FindDevices(w.ownerA, w.a.ID); err != nil || len(ds) != 0 {
		t.Fatalf("after delete: %v, %v", ds, err)
	}
	ivs, err := s.FindStateIntervals(w.ownerA, m.ID, t0, e.clock.Now())
	if err != nil || len(ivs) != 1 || ivs[0].DeviceID != 0 || ivs[0].State != "running" {
		t.Fatalf("intervals after delete: %+v, %v", ivs, err)
	}
	if _, err := s.AuthenticateDevice(context.Background(), d.Username, fresh); err == nil {
		t.Fatal("a deleted device logs in")
	}
	wantError(t, s.DeleteDevice(w.ownerA, d.ID), nakamawashi.ENOTFOUND, "err.device.not_found")
}

func testTelemetrySharing(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	if got, err := s.TelemetrySharing(w.ownerB, w.a.ID); err != nil || got != nakamawashi.DefaultTelemetrySharing {
		t.Fatalf("default: %q, %v", got, err)
	}
	_, err := s.TelemetrySharing(w.custOwner, w.a.ID)
	wantError(t, err, nakamawashi.ENOTFOUND, "err.company.not_found")
	wantError(t, s.SetTelemetrySharing(w.ownerB, w.a.ID, nakamawashi.ShareNothing), nakamawashi.EFORBIDDEN, "err.forbidden")
	wantError(t, s.SetTelemetrySharing(w.staffA, w.a.ID, nakamawashi.ShareNothing), nakamawashi.EFORBIDDEN, "err.forbidden")
	wantField(t, s.SetTelemetrySharing(w.ownerA, w.a.ID, "everything"), "sharing", "err.telemetry.sharing")
	for _, level := range []nakamawashi.TelemetrySharing{nakamawashi.ShareUtilization, nakamawashi.ShareNothing} {
		if err := s.SetTelemetrySharing(w.ownerA, w.a.ID, level); err != nil {
			t.Fatal(err)
		}
		if got, err := s.TelemetrySharing(w.staffA, w.a.ID); err != nil || got != level {
			t.Fatalf("after setting %q: %q, %v", level, got, err)
		}
		if ev := e.lastEvent(); ev.Action != "telemetry.sharing" || ev.CompanyID != w.a.ID {
			t.Fatalf("event: %+v", ev)
		}
	}
}

func testBoard(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	e.user("coord@example.jp", w.office.ID, nakamawashi.RoleCoordinator)
	coord, _ := e.login("coord@example.jp")
	mA, mA2, mB := e.machine(w.a.ID), e.machine(w.a.ID), e.machine(w.b.ID)
	now := e.clock.Now()
	t0 := now.Add(-3 * time.Hour)
	if err := s.AppendStateIntervals(e.sys, []nakamawashi.StateInterval{
		{MachineID: mA.ID, State: "setup", Start: t0}, {MachineID: mA.ID, State: "running", Start: t0.Add(time.Hour)},
		{MachineID: mB.ID, State: "alarm", Start: t0.Add(2 * time.Hour)},
	}); err != nil {
		t.Fatal(err)
	}
	from, to := now.Add(-150*time.Minute), now.Add(time.Second)
	find := func(ctx context.Context, f nakamawashi.BoardFilter) map[int64]*nakamawashi.BoardMachine {
		t.Helper()
		ms, err := s.FindBoard(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]*nakamawashi.BoardMachine{}
		for _, m := range ms {
			out[m.Machine.ID] = m
		}
		return out
	}

	// A's own board: everything, with the interval that began before the range.
	own := find(w.staffA, nakamawashi.BoardFilter{CompanyID: w.a.ID, From: from, To: to})
	a := own[mA.ID]
	if len(own) != 2 || a == nil || a.View != nakamawashi.ShareUtilization || a.Current == nil || a.Current.State != "running" ||
		len(a.Intervals) != 2 || a.Intervals[0].State != "setup" || own[mA2.ID].Current != nil || a.CompanyName != w.a.Name {
		t.Fatalf("own board: %+v", own)
	}

	// B sees A's status only, by default; no history.
	net := find(w.ownerB, nakamawashi.BoardFilter{From: from, To: to})
	if b := net[mA.ID]; len(net) != 3 || b.View != nakamawashi.ShareStatus || b.Current.State != "running" || b.Intervals != nil {
		t.Fatalf("B's network board: %+v", net)
	}
	if net[mB.ID].View != nakamawashi.ShareUtilization || len(net[mB.ID].Intervals) != 1 {
		t.Fatalf("B's own machine on the network board: %+v", net[mB.ID])
	}
	ctxA := w.ownerA
	if err := s.SetTelemetrySharing(ctxA, w.a.ID, nakamawashi.ShareUtilization); err != nil {
		t.Fatal(err)
	}
	if b := find(w.ownerB, nakamawashi.BoardFilter{MachineID: mA.ID, From: from, To: to})[mA.ID]; b == nil || len(b.Intervals) != 2 {
		t.Fatalf("B with utilization shared: %+v", b)
	}
	if err := s.SetTelemetrySharing(ctxA, w.a.ID, nakamawashi.ShareNothing); err != nil {
		t.Fatal(err)
	}
	if got := find(w.ownerB, nakamawashi.BoardFilter{CompanyID: w.a.ID}); len(got) != 0 {
		t.Fatalf("B with nothing shared: %+v", got)
	}
	// The office and coordinators see everything whatever A shares.
	for _, ctx := range []context.Context{w.admin, coord} {
		if got := find(ctx, nakamawashi.BoardFilter{CompanyID: w.a.ID, From: from, To: to}); len(got) != 2 || len(got[mA.ID].Intervals) != 2 {
			t.Fatalf("office with nothing shared: %+v", got)
		}
	}
	// A customer sees no one's machines; another company is not found.
	if got := find(w.custOwner, nakamawashi.BoardFilter{}); len(got) != 0 {
		t.Fatalf("customer's network board: %+v", got)
	}
	_, err := s.FindBoard(w.custOwner, nakamawashi.BoardFilter{CompanyID: w.a.ID})
	wantError(t, err, nakamawashi.ENOTFOUND, "err.company.not_found")
	_, err = s.FindBoard(w.custOwner, nakamawashi.BoardFilter{MachineID: mA.ID})
	wantError(t, err, nakamawashi.ENOTFOUND, "err.machine.not_found")
	_, err = s.FindBoard(w.ownerA, nakamawashi.BoardFilter{MachineID: mB.ID + 1000})
	wantError(t, err, nakamawashi.ENOTFOUND, "err.machine.not_found")
	_, err = s.FindBoard(w.ownerA, nakamawashi.BoardFilter{From: to, To: from})
	wantError(t, err, nakamawashi.EINVALID, "err.telemetry.range")
	_, err = s.FindBoard(context.Background(), nakamawashi.BoardFilter{})
	wantCode(t, err, nakamawashi.EUNAUTHORIZED)
}

func testCompanyLotEventsScope(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	now := e.clock.Now()
	if evs, err := s.FindCompanyLotEvents(w.staffA, w.a.ID, now.Add(-time.Hour), now); err != nil || len(evs) != 0 {
		t.Fatalf("no scans: %v, %v", evs, err)
	}
	_, err := s.FindCompanyLotEvents(w.ownerB, w.a.ID, now.Add(-time.Hour), now)
	wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
	_, err = s.FindCompanyLotEvents(w.custOwner, w.a.ID, now.Add(-time.Hour), now)
	wantError(t, err, nakamawashi.ENOTFOUND, "err.company.not_found")
	_, err = s.FindCompanyLotEvents(w.ownerA, w.a.ID, now, now.Add(-time.Hour))
	wantError(t, err, nakamawashi.EINVALID, "err.telemetry.range")
	if _, err := s.FindCompanyLotEvents(w.admin, w.a.ID, now.Add(-time.Hour), now); err != nil {
		t.Fatal(err)
	}
}
