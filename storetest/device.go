package storetest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// stackLight returns a valid device on machine m.
func stackLight(m *nakamawashi.Machine) *nakamawashi.Device {
	return &nakamawashi.Device{CompanyID: m.CompanyID, MachineID: m.ID, Name: "1号機 信号灯", Kind: nakamawashi.DeviceStackLight}
}

// machine creates a lathe of company as the system.
func (e *env) machine(companyID int64) *nakamawashi.Machine {
	e.t.Helper()
	m := lathe(companyID)
	if err := e.s.CreateMachine(e.sys, m); err != nil {
		e.t.Fatalf("CreateMachine: %v", err)
	}
	return m
}

// device registers a device on m as the system and returns it with its secret.
func (e *env) device(m *nakamawashi.Machine) (*nakamawashi.Device, string) {
	e.t.Helper()
	d := stackLight(m)
	secret, err := e.s.CreateDevice(e.sys, d)
	if err != nil {
		e.t.Fatalf("CreateDevice: %v", err)
	}
	return d, secret
}

func testDevices(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	m := e.machine(w.a.ID)
	anon := context.Background()

	d := stackLight(m)
	d.Name = "　１号機 信号灯 "
	var secret string
	t.Run("Create", func(t *testing.T) {
		var err error
		if secret, err = s.CreateDevice(w.ownerA, d); err != nil {
			t.Fatal(err)
		}
		if d.ID == 0 || d.Name != "1号機 信号灯" || !d.CreatedAt.Equal(nakamawashi.TruncateTime(e.clock.Now())) || d.LastSeenAt != nil || d.Disabled {
			t.Fatalf("created: got %+v", d)
		}
		if re := regexp.MustCompile(fmt.Sprintf(`^d-c%d-[a-z2-9]{10}$`, w.a.ID)); !re.MatchString(d.Username) {
			t.Fatalf("username: got %q", d.Username)
		}
		if !strings.HasPrefix(secret, nakamawashi.DeviceSecretPrefix) || len(secret) < 40 {
			t.Fatalf("secret: got %q", secret)
		}
		ev := e.lastEvent()
		if ev.Action != "device.create" || ev.EntityID != d.ID || ev.CompanyID != w.a.ID || !strings.Contains(ev.Detail, d.Username) {
			t.Fatalf("event: got %+v", ev)
		}
		ds, err := s.FindDevices(w.ownerA, w.a.ID)
		if err != nil || len(ds) != 1 || *ds[0] != *d {
			t.Fatalf("FindDevices: got %v, %v, want [%+v]", ds, err, d)
		}
	})

	t.Run("StoredHashed", func(t *testing.T) {
		if n := e.count(`SELECT COUNT(*) FROM devices WHERE secret_hash = ?`, nakamawashi.HashToken(secret)); n != 1 {
			t.Fatalf("rows with the secret's hash: got %d, want 1", n)
		}
		like := "%" + secret[len(nakamawashi.DeviceSecretPrefix):] + "%"
		if n := e.count(`SELECT COUNT(*) FROM devices WHERE secret_hash LIKE ? OR name LIKE ? OR username LIKE ?`, like, like, like); n != 0 {
			t.Fatalf("rows holding the secret: got %d, want 0", n)
		}
		if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE detail LIKE ?`, like); n != 0 {
			t.Fatalf("audit events holding the secret: got %d, want 0", n)
		}
	})

	t.Run("Authenticate", func(t *testing.T) {
		got, err := s.AuthenticateDevice(anon, d.Username, secret)
		if err != nil {
			t.Fatal(err)
		}
		now := nakamawashi.TruncateTime(e.clock.Now())
		if got.ID != d.ID || got.MachineID != m.ID || got.LastSeenAt == nil || !got.LastSeenAt.Equal(now) {
			t.Fatalf("device: got %+v, want id %d seen at %v", got, d.ID, now)
		}
		if c, mc := got.Topic(); c != fmt.Sprintf("c%d", w.a.ID) || mc != fmt.Sprintf("m%d", m.ID) {
			t.Fatalf("topic: got %q, %q", c, mc)
		}
		// Within a minute the record is not written again.
		e.clock.Add(30 * time.Second)
		if got, err := s.AuthenticateDevice(anon, d.Username, secret); err != nil || !got.LastSeenAt.Equal(now) {
			t.Fatalf("after 30s: got %v, %v, want last seen %v", got, err, now)
		}
		e.clock.Add(31 * time.Second)
		later := nakamawashi.TruncateTime(e.clock.Now())
		if got, err := s.AuthenticateDevice(anon, d.Username, secret); err != nil || !got.LastSeenAt.Equal(later) {
			t.Fatalf("after 61s: got %v, %v, want last seen %v", got, err, later)
		}
		ds, err := s.FindDevices(w.ownerA, w.a.ID)
		if err != nil || ds[0].LastSeenAt == nil || !ds[0].LastSeenAt.Equal(later) {
			t.Fatalf("FindDevices after authentication: %v, %v", ds, err)
		}
	})

	t.Run("Rejected", func(t *testing.T) {
		before := e.events()
		for _, tt := range []struct{ name, user, pass string }{
			{"wrong secret", d.Username, secret + "x"},
			{"empty secret", d.Username, ""},
			{"unknown user", "d-c1-nobodyhere", secret},
			{"hash as secret", d.Username, nakamawashi.HashToken(secret)},
		} {
			_, err := s.AuthenticateDevice(anon, tt.user, tt.pass)
			wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.device.auth_failed")
		}
		if got := e.events(); got != before {
			t.Fatalf("audit events: got %d, want %d", got, before)
		}
	})

	t.Run("Rotate", func(t *testing.T) {
		fresh, err := s.RotateDeviceSecret(w.ownerA, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fresh == secret || !strings.HasPrefix(fresh, nakamawashi.DeviceSecretPrefix) {
			t.Fatalf("new secret: got %q", fresh)
		}
		_, err = s.AuthenticateDevice(anon, d.Username, secret)
		wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.device.auth_failed")
		if _, err := s.AuthenticateDevice(anon, d.Username, fresh); err != nil {
			t.Fatalf("new secret: %v", err)
		}
		ev := e.lastEvent()
		if ev.Action != "device.rotate_secret" || ev.EntityID != d.ID || strings.Contains(ev.Detail, fresh[4:]) {
			t.Fatalf("event: got %+v", ev)
		}
		secret = fresh
	})

	t.Run("Disable", func(t *testing.T) {
		if err := s.DisableDevice(w.ownerA, d.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.AuthenticateDevice(anon, d.Username, secret)
		wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.device.auth_failed")
		if ev := e.lastEvent(); ev.Action != "device.disable" || ev.EntityID != d.ID {
			t.Fatalf("event: got %+v", ev)
		}
		before := e.events()
		if err := s.DisableDevice(w.ownerA, d.ID); err != nil {
			t.Fatalf("disable again: %v", err)
		}
		if got := e.events(); got != before {
			t.Fatalf("disable again: audit events %d, want %d", got, before)
		}
		_, err = s.RotateDeviceSecret(w.ownerA, d.ID)
		wantError(t, err, nakamawashi.ECONFLICT, "err.device.disabled")
		ds, err := s.FindDevices(w.ownerA, w.a.ID)
		if err != nil || len(ds) != 1 || !ds[0].Disabled {
			t.Fatalf("FindDevices: got %v, %v", ds, err)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		before := e.events()
		bad := stackLight(m)
		bad.Kind = "toaster"
		_, err := s.CreateDevice(w.ownerA, bad)
		wantField(t, err, "kind", "err.device.kind")
		bad = stackLight(m)
		bad.Name = ""
		_, err = s.CreateDevice(w.ownerA, bad)
		wantField(t, err, "name", "err.required")
		_, err = s.CreateDevice(anon, stackLight(m))
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)
		if got := e.events(); got != before {
			t.Fatalf("audit events: got %d, want %d", got, before)
		}
	})

	// Deleting a machine takes its devices and its history with it.
	t.Run("DeleteMachine", func(t *testing.T) {
		m2 := e.machine(w.a.ID)
		d2, _ := e.device(m2)
		t0 := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
		if err := s.AppendStateIntervals(e.sys, []nakamawashi.StateInterval{{MachineID: m2.ID, DeviceID: d2.ID, State: "running", Start: t0}}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteMachine(w.ownerA, m2.ID); err != nil {
			t.Fatal(err)
		}
		if n := e.count(`SELECT COUNT(*) FROM devices WHERE machine_id = ?`, m2.ID) + e.count(`SELECT COUNT(*) FROM state_intervals WHERE machine_id = ?`, m2.ID); n != 0 {
			t.Fatalf("rows of the deleted machine: %d", n)
		}
	})
}

func testDeviceScope(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	e.user("coord@example.jp", w.office.ID, nakamawashi.RoleCoordinator)
	coord, _ := e.login("coord@example.jp")
	mA, mB := e.machine(w.a.ID), e.machine(w.b.ID)
	dA, _ := e.device(mA)
	dB, _ := e.device(mB)

	t.Run("Create", func(t *testing.T) {
		before := e.events()
		_, err := s.CreateDevice(w.ownerA, stackLight(mB))
		wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
		// A's own company with B's machine: not a machine of A.
		other := stackLight(mB)
		other.CompanyID = w.a.ID
		_, err = s.CreateDevice(w.ownerA, other)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.machine.not_found")
		missing := stackLight(mA)
		missing.MachineID = mB.ID + 1000
		_, err = s.CreateDevice(w.ownerA, missing)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.machine.not_found")
		_, err = s.CreateDevice(w.staffA, stackLight(mA))
		wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
		_, err = s.CreateDevice(w.custOwner, stackLight(mA))
		wantError(t, err, nakamawashi.ENOTFOUND, "err.company.not_found")
		if got := e.events(); got != before {
			t.Fatalf("audit events: got %d, want %d", got, before)
		}
		if _, err := s.CreateDevice(w.admin, stackLight(mB)); err != nil {
			t.Fatalf("admin: %v", err)
		}
	})

	t.Run("Manage", func(t *testing.T) {
		_, err := s.FindDevices(w.ownerA, w.b.ID)
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		_, err = s.FindDevices(w.staffA, w.a.ID)
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		_, err = s.FindDevices(w.custOwner, w.a.ID)
		wantCode(t, err, nakamawashi.ENOTFOUND)
		_, err = s.RotateDeviceSecret(w.ownerA, dB.ID)
		wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
		wantError(t, s.DisableDevice(w.ownerA, dB.ID), nakamawashi.EFORBIDDEN, "err.forbidden")
		_, err = s.RotateDeviceSecret(w.custOwner, dA.ID)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.device.not_found")
		_, err = s.RotateDeviceSecret(w.ownerA, dB.ID+1000)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.device.not_found")
		wantCode(t, s.DisableDevice(context.Background(), dA.ID), nakamawashi.EUNAUTHORIZED)
		if ds, err := s.FindDevices(w.admin, w.b.ID); err != nil || len(ds) != 2 {
			t.Fatalf("admin FindDevices: got %v, %v", ds, err)
		}
	})

	t0 := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	iv := nakamawashi.StateInterval{MachineID: mA.ID, DeviceID: dA.ID, State: "running", Start: t0}
	t.Run("Append", func(t *testing.T) {
		wantCode(t, s.AppendStateIntervals(context.Background(), []nakamawashi.StateInterval{iv}), nakamawashi.EUNAUTHORIZED)
		wantCode(t, s.AppendStateIntervals(w.ownerB, []nakamawashi.StateInterval{iv}), nakamawashi.EFORBIDDEN)
		wantCode(t, s.AppendStateIntervals(w.staffA, []nakamawashi.StateInterval{iv}), nakamawashi.EFORBIDDEN)
		// A device speaks for its own machine only.
		wrong := iv
		wrong.DeviceID = dB.ID
		wantError(t, s.AppendStateIntervals(e.sys, []nakamawashi.StateInterval{wrong}), nakamawashi.EFORBIDDEN, "err.device.wrong_machine")
		wrong.DeviceID = dB.ID + 1000
		wantError(t, s.AppendStateIntervals(e.sys, []nakamawashi.StateInterval{wrong}), nakamawashi.ENOTFOUND, "err.device.not_found")
		if err := s.AppendStateIntervals(e.sys, []nakamawashi.StateInterval{iv}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Read", func(t *testing.T) {
		from, to := t0.Add(-time.Hour), t0.Add(time.Hour)
		for name, ctx := range map[string]context.Context{"owner": w.ownerA, "staff": w.staffA, "admin": w.admin, "coordinator": coord} {
			got, err := s.FindStateIntervals(ctx, mA.ID, from, to)
			if err != nil || len(got) != 1 {
				t.Fatalf("%s: got %v, %v", name, got, err)
			}
		}
		_, err := s.FindStateIntervals(w.ownerB, mA.ID, from, to)
		wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
		_, err = s.FindStateIntervals(w.custOwner, mA.ID, from, to)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.machine.not_found")
		_, err = s.FindStateIntervals(context.Background(), mA.ID, from, to)
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)
	})
}

// span is an expected interval in minutes after t0; end -1 is open.
type span struct {
	state      string
	start, end int
}

func testStateIntervals(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	m := e.machine(w.a.ID)
	d, _ := e.device(m)
	t0 := time.Date(2026, 4, 1, 8, 0, 0, 0, time.FixedZone("JST", 9*3600))
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	iv := func(state string, start, end int) nakamawashi.StateInterval {
		v := nakamawashi.StateInterval{MachineID: m.ID, DeviceID: d.ID, State: state, Start: at(start)}
		if end >= 0 {
			v.End = at(end)
		}
		return v
	}
	want := func(t *testing.T, from, to int, spans ...span) {
		t.Helper()
		got, err := s.FindStateIntervals(w.ownerA, m.ID, at(from), at(to))
		if err != nil {
			t.Fatal(err)
		}
		var g, wnt []string
		for _, v := range got {
			end := "open"
			if !v.End.IsZero() {
				end = fmt.Sprint(int(v.End.Sub(t0) / time.Minute))
			}
			g = append(g, fmt.Sprintf("%s[%d,%s) d%d", v.State, int(v.Start.Sub(t0)/time.Minute), end, v.DeviceID))
			if v.Start.Location() != time.UTC || v.MachineID != m.ID {
				t.Fatalf("interval %+v: want UTC times of machine %d", v, m.ID)
			}
		}
		for _, sp := range spans {
			end := "open"
			if sp.end >= 0 {
				end = fmt.Sprint(sp.end)
			}
			wnt = append(wnt, fmt.Sprintf("%s[%d,%s) d%d", sp.state, sp.start, end, d.ID))
		}
		if strings.Join(g, " ") != strings.Join(wnt, " ") {
			t.Fatalf("intervals in [%d, %d):\n got %v\nwant %v", from, to, g, wnt)
		}
	}
	appendAll := func(t *testing.T, ivs ...nakamawashi.StateInterval) {
		t.Helper()
		if err := s.AppendStateIntervals(e.sys, ivs); err != nil {
			t.Fatal(err)
		}
	}

	batch := []nakamawashi.StateInterval{iv("idle", 0, -1), iv("running", 10, -1), iv("alarm", 50, -1)}
	t.Run("Batch", func(t *testing.T) {
		before := e.events()
		appendAll(t, batch...)
		want(t, -60, 120, span{"idle", 0, 10}, span{"running", 10, 50}, span{"alarm", 50, -1})
		if got := e.events(); got != before {
			t.Fatalf("audit events: got %d, want %d (intervals are not audited)", got, before)
		}
	})

	t.Run("Redelivery", func(t *testing.T) {
		appendAll(t, batch...)
		appendAll(t, batch[0])
		appendAll(t, iv("running", 10, 50))
		want(t, -60, 120, span{"idle", 0, 10}, span{"running", 10, 50}, span{"alarm", 50, -1})
		if n := e.count(`SELECT COUNT(*) FROM state_intervals WHERE machine_id = ?`, m.ID); n != 3 {
			t.Fatalf("rows: got %d, want 3", n)
		}
	})

	t.Run("CloseOpen", func(t *testing.T) {
		appendAll(t, iv("running", 60, -1))
		appendAll(t, iv("setup", 70, 80))
		want(t, 50, 120, span{"alarm", 50, 60}, span{"running", 60, 70}, span{"setup", 70, 80})
		// A redelivered open interval does not reopen a closed one.
		appendAll(t, iv("running", 60, -1))
		want(t, 60, 70, span{"running", 60, 70})
	})

	t.Run("LateMessage", func(t *testing.T) {
		// Sent before the setup but delivered after it: it ends where the
		// setup starts, and trims the interval before it.
		appendAll(t, iv("off", 65, -1))
		want(t, 60, 80, span{"running", 60, 65}, span{"off", 65, 70}, span{"setup", 70, 80})
	})

	t.Run("Range", func(t *testing.T) {
		appendAll(t, iv("idle", 90, -1))
		want(t, 15, 55, span{"running", 10, 50}, span{"alarm", 50, 60})
		want(t, 10, 11, span{"running", 10, 50})
		want(t, 80, 85)                           // the gap after the setup
		want(t, 85, 95, span{"idle", 90, -1})     // the open interval
		want(t, 1000, 2000, span{"idle", 90, -1}) // it is still going on
		want(t, -120, 0)                          // before anything; end is exclusive
		got, err := s.FindStateIntervals(w.ownerA, m.ID, at(-120), at(-60))
		if err != nil || got == nil {
			t.Fatalf("empty range: got %#v, %v, want an empty slice", got, err)
		}
		_, err = s.FindStateIntervals(w.ownerA, m.ID, at(10), at(10))
		wantError(t, err, nakamawashi.EINVALID, "err.telemetry.range")
		_, err = s.FindStateIntervals(w.ownerA, m.ID, t0, t0.Add(nakamawashi.MaxStateIntervalRange+time.Hour))
		wantError(t, err, nakamawashi.EINVALID, "err.telemetry.range")
		_, err = s.FindStateIntervals(w.ownerA, m.ID+1000, at(0), at(10))
		wantError(t, err, nakamawashi.ENOTFOUND, "err.machine.not_found")
	})

	t.Run("NoDevice", func(t *testing.T) {
		m2 := e.machine(w.a.ID)
		appendAll(t, nakamawashi.StateInterval{MachineID: m2.ID, State: "running", Start: t0, End: at(5)})
		got, err := s.FindStateIntervals(w.ownerA, m2.ID, at(0), at(5))
		if err != nil || len(got) != 1 || got[0].DeviceID != 0 || got[0].State != "running" {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
}

// testStateIntervalAtomicity checks that a batch lands whole or not at all:
// a failure in its middle leaves no interval of it stored, and leaves the
// open interval it would have closed open.
func testStateIntervalAtomicity(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	m, other := e.machine(w.a.ID), e.machine(w.b.ID)
	d, _ := e.device(m)
	dOther, _ := e.device(other)
	t0 := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	if err := s.AppendStateIntervals(e.sys, []nakamawashi.StateInterval{{MachineID: m.ID, DeviceID: d.ID, State: "idle", Start: t0}}); err != nil {
		t.Fatal(err)
	}
	stored := func() int { return e.count(`SELECT COUNT(*) FROM state_intervals`) }
	openRows := func() int { return e.count(`SELECT COUNT(*) FROM state_intervals WHERE end_at IS NULL`) }

	batch := func(bad func(iv *nakamawashi.StateInterval)) []nakamawashi.StateInterval {
		var ivs []nakamawashi.StateInterval
		for i := 1; i <= 20; i++ {
			iv := nakamawashi.StateInterval{MachineID: m.ID, DeviceID: d.ID, State: nakamawashi.MachineStates[i%5], Start: t0.Add(time.Duration(i) * time.Minute)}
			if i == 11 {
				bad(&iv)
			}
			ivs = append(ivs, iv)
		}
		return ivs
	}
	for _, tt := range []struct {
		name string
		bad  func(iv *nakamawashi.StateInterval)
		code string
	}{
		// Caught before the transaction.
		{"invalid state", func(iv *nakamawashi.StateInterval) { iv.State = "smoking" }, nakamawashi.EINVALID},
		// Caught in the transaction, after ten intervals were written in it.
		{"unknown machine", func(iv *nakamawashi.StateInterval) { iv.MachineID = other.ID + 1000; iv.DeviceID = 0 }, nakamawashi.ENOTFOUND},
		{"unknown device", func(iv *nakamawashi.StateInterval) { iv.DeviceID = dOther.ID + 1000 }, nakamawashi.ENOTFOUND},
		{"another machine's device", func(iv *nakamawashi.StateInterval) { iv.DeviceID = dOther.ID }, nakamawashi.EFORBIDDEN},
		{"machine of a company the caller does not manage", func(iv *nakamawashi.StateInterval) { iv.MachineID, iv.DeviceID = other.ID, 0 }, nakamawashi.EFORBIDDEN},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := s.AppendStateIntervals(w.ownerA, batch(tt.bad))
			wantCode(t, err, tt.code)
			if tt.code == nakamawashi.EINVALID {
				wantField(t, err, "10.state", "err.telemetry.state")
			}
			if n, open := stored(), openRows(); n != 1 || open != 1 {
				t.Fatalf("after a failed batch: %d rows, %d open, want the 1 open row from before", n, open)
			}
		})
	}
	t.Run("TooLarge", func(t *testing.T) {
		ivs := make([]nakamawashi.StateInterval, nakamawashi.MaxStateIntervalBatch+1)
		wantError(t, s.AppendStateIntervals(e.sys, ivs), nakamawashi.EINVALID, "err.telemetry.batch")
	})
	t.Run("Whole", func(t *testing.T) {
		if err := s.AppendStateIntervals(w.ownerA, batch(func(*nakamawashi.StateInterval) {})); err != nil {
			t.Fatal(err)
		}
		if n, open := stored(), openRows(); n != 21 || open != 1 {
			t.Fatalf("after the whole batch: %d rows, %d open, want 21 and 1", n, open)
		}
	})
	// The database itself fails in the middle of a batch, after a hundred
	// and more rows went in: a unique index on start_at alone makes a
	// second machine's interval at an instant already used fail on insert.
	t.Run("DatabaseFailure", func(t *testing.T) {
		if err := e.h.Exec(t, s, `CREATE UNIQUE INDEX boom ON state_intervals (start_at)`); err != nil {
			t.Fatal(err)
		}
		m2 := e.machine(w.a.ID)
		for _, redelivered := range []bool{false, true} {
			var ivs []nakamawashi.StateInterval
			if redelivered { // a batch that is not in order takes the other path
				ivs = append(ivs, nakamawashi.StateInterval{MachineID: m.ID, DeviceID: d.ID, State: "idle", Start: t0})
			}
			for i := 21; i <= 170; i++ {
				ivs = append(ivs, nakamawashi.StateInterval{MachineID: m.ID, DeviceID: d.ID, State: nakamawashi.MachineStates[i%5], Start: t0.Add(time.Duration(i) * time.Minute)})
				if i == 140 {
					ivs = append(ivs, nakamawashi.StateInterval{MachineID: m2.ID, State: "running", Start: t0.Add(30 * time.Minute)})
				}
			}
			err := s.AppendStateIntervals(e.sys, ivs)
			wantCode(t, err, nakamawashi.EINTERNAL)
			if n, open := stored(), openRows(); n != 21 || open != 1 {
				t.Fatalf("redelivered %v: after a failed batch: %d rows, %d open, want 21 and 1", redelivered, n, open)
			}
		}
	})
}
