package nakamawashi_test

import (
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

func TestDeviceValidate(t *testing.T) {
	ok := func() *nakamawashi.Device {
		return &nakamawashi.Device{CompanyID: 3, MachineID: 7, Name: "　２号機 信号灯 ", Kind: nakamawashi.DeviceStackLight}
	}
	d := ok()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if d.Name != "2号機 信号灯" {
		t.Fatalf("name: got %q, want %q", d.Name, "2号機 信号灯")
	}
	for _, tt := range []struct {
		name  string
		edit  func(d *nakamawashi.Device)
		field string
	}{
		{"no company", func(d *nakamawashi.Device) { d.CompanyID = 0 }, "company_id"},
		{"no machine", func(d *nakamawashi.Device) { d.MachineID = 0 }, "machine_id"},
		{"no name", func(d *nakamawashi.Device) { d.Name = " " }, "name"},
		{"long name", func(d *nakamawashi.Device) { d.Name = string(make([]rune, 101)) }, "name"},
		{"kind", func(d *nakamawashi.Device) { d.Kind = "toaster" }, "kind"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := ok()
			tt.edit(d)
			err := d.Validate()
			if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
			if _, has := err.(*nakamawashi.Error).Fields[tt.field]; !has {
				t.Fatalf("fields: got %v, want %q", err.(*nakamawashi.Error).Fields, tt.field)
			}
		})
	}
}

func TestDeviceTopic(t *testing.T) {
	d := &nakamawashi.Device{CompanyID: 12, MachineID: 345}
	if c, m := d.Topic(); c != "c12" || m != "m345" {
		t.Fatalf("got %q, %q, want c12, m345", c, m)
	}
}

func TestNewDeviceUsername(t *testing.T) {
	re := regexp.MustCompile(`^d-c12-[a-z2-9]{10}$`)
	seen := map[string]bool{}
	for range 100 {
		u := nakamawashi.NewDeviceUsername(12)
		if !re.MatchString(u) || seen[u] {
			t.Fatalf("username %q: malformed or repeated", u)
		}
		seen[u] = true
	}
	if s := nakamawashi.NewDeviceSecret(); len(s) != len(nakamawashi.DeviceSecretPrefix)+43 || s[:4] != nakamawashi.DeviceSecretPrefix {
		t.Fatalf("secret %q", s)
	}
}

// TestMachineStates keeps the stored state codes equal to telemetry's.
func TestMachineStates(t *testing.T) {
	var codes []string
	for s := range telemetry.State(telemetry.NumStates) {
		codes = append(codes, s.String())
	}
	if !slices.Equal(codes, nakamawashi.MachineStates) {
		t.Fatalf("got %v, want telemetry's %v", nakamawashi.MachineStates, codes)
	}
}

func TestStateIntervalValidate(t *testing.T) {
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 123456789, time.FixedZone("JST", 9*3600))
	iv := nakamawashi.StateInterval{MachineID: 1, DeviceID: 2, State: "running", Start: t0, End: t0.Add(time.Minute)}
	if err := iv.Validate(); err != nil {
		t.Fatal(err)
	}
	if iv.Start.Location() != time.UTC || iv.Start.Nanosecond() != 123456000 {
		t.Fatalf("start not brought to UTC microseconds: %v", iv.Start)
	}
	open := nakamawashi.StateInterval{MachineID: 1, State: "idle", Start: t0}
	if err := open.Validate(); err != nil || !open.Open() {
		t.Fatalf("open interval: %v, open %v", err, open.Open())
	}
	for _, tt := range []struct {
		name  string
		iv    nakamawashi.StateInterval
		field string
	}{
		{"no machine", nakamawashi.StateInterval{State: "idle", Start: t0}, "machine_id"},
		{"state", nakamawashi.StateInterval{MachineID: 1, State: "Running", Start: t0}, "state"},
		{"no start", nakamawashi.StateInterval{MachineID: 1, State: "idle"}, "start"},
		{"empty", nakamawashi.StateInterval{MachineID: 1, State: "idle", Start: t0, End: t0.Add(100 * time.Nanosecond)}, "end"},
		{"backwards", nakamawashi.StateInterval{MachineID: 1, State: "idle", Start: t0, End: t0.Add(-time.Second)}, "end"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.iv.Validate()
			var e *nakamawashi.Error
			if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
			e = err.(*nakamawashi.Error)
			if m, has := e.Fields[tt.field]; !has || !nakamawashi.HasMessage(m.Key) {
				t.Fatalf("fields: got %v, want %q with a catalog message", e.Fields, tt.field)
			}
		})
	}
}

func TestTelemetryReadPolicy(t *testing.T) {
	for _, tt := range []struct {
		a    *nakamawashi.Actor
		want bool
	}{
		{&nakamawashi.Actor{CompanyID: 1, Role: nakamawashi.RoleStaff, CompanyKind: nakamawashi.KindMember}, true},
		{&nakamawashi.Actor{CompanyID: 2, Role: nakamawashi.RoleOwner, CompanyKind: nakamawashi.KindMember}, false},
		{&nakamawashi.Actor{CompanyID: 9, Role: nakamawashi.RoleCoordinator, CompanyKind: nakamawashi.KindOffice}, true},
		{&nakamawashi.Actor{CompanyID: 9, Role: nakamawashi.RoleAdmin, CompanyKind: nakamawashi.KindOffice}, true},
		{&nakamawashi.Actor{CompanyID: 8, Role: nakamawashi.RoleLocalGov, CompanyKind: nakamawashi.KindGov}, false},
	} {
		if got := tt.a.Can(nakamawashi.PermTelemetryRead, 1); got != tt.want {
			t.Errorf("%s of company %d: got %v, want %v", tt.a.Role, tt.a.CompanyID, got, tt.want)
		}
	}
}
