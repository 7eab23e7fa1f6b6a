package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func init() {
	register("MTConnectSource", testMTConnectSource)
	register("MTConnectSourcesSystem", testMTConnectSourcesSystem)
}

// mtDevice registers a device of kind mtconnect on m as the system.
func (e *env) mtDevice(m *nakamawashi.Machine, name string) *nakamawashi.Device {
	e.t.Helper()
	d := &nakamawashi.Device{CompanyID: m.CompanyID, MachineID: m.ID, Name: name, Kind: nakamawashi.DeviceMTConnect}
	if _, err := e.s.CreateDevice(e.sys, d); err != nil {
		e.t.Fatalf("CreateDevice: %v", err)
	}
	return d
}

func testMTConnectSource(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	mA := e.machine(w.a.ID)
	d := e.mtDevice(mA, "1号機 MTConnect")

	t.Run("NoneYet", func(t *testing.T) {
		if src, err := s.FindMTConnectSource(w.ownerA, d.ID); err != nil || src != nil {
			t.Fatalf("FindMTConnectSource: got %+v, %v, want nil", src, err)
		}
	})

	t.Run("SetReadReplaceRemove", func(t *testing.T) {
		src := &nakamawashi.MTConnectSource{DeviceID: d.ID, AgentURL: " http://agent.example.jp:5000 ", AgentDevice: "Mazak01"}
		if err := s.SetMTConnectSource(w.ownerA, src); err != nil {
			t.Fatal(err)
		}
		if src.CompanyID != w.a.ID || src.MachineID != mA.ID || src.AgentURL != "http://agent.example.jp:5000" {
			t.Fatalf("saved: got %+v", src)
		}
		ev := e.lastEvent()
		if ev.Action != "device.mtconnect" || ev.EntityID != d.ID || ev.CompanyID != w.a.ID || !strings.Contains(ev.Detail, "agent.example.jp") {
			t.Fatalf("event: got %+v", ev)
		}
		got, err := s.FindMTConnectSource(w.ownerA, d.ID)
		if err != nil || got == nil || *got != *src {
			t.Fatalf("FindMTConnectSource: got %+v, %v, want %+v", got, err, src)
		}
		// The adapter replaces the agent.
		src = &nakamawashi.MTConnectSource{DeviceID: d.ID, AdapterAddr: "adapter.example.jp:7878"}
		if err := s.SetMTConnectSource(w.admin, src); err != nil {
			t.Fatalf("admin: %v", err)
		}
		got, err = s.FindMTConnectSource(w.ownerA, d.ID)
		if err != nil || got == nil || got.AgentURL != "" || got.AgentDevice != "" || got.AdapterAddr != "adapter.example.jp:7878" {
			t.Fatalf("replaced: got %+v, %v", got, err)
		}
		if n := e.count(`SELECT COUNT(*) FROM device_mtconnect WHERE device_id = ?`, d.ID); n != 1 {
			t.Fatalf("rows: got %d, want 1", n)
		}
		// Empty fields remove it.
		before := e.events()
		if err := s.SetMTConnectSource(w.ownerA, &nakamawashi.MTConnectSource{DeviceID: d.ID}); err != nil {
			t.Fatalf("remove: %v", err)
		}
		if got := e.events(); got != before+1 {
			t.Fatalf("audit events after removing: got %d, want %d", got, before+1)
		}
		if got, err := s.FindMTConnectSource(w.ownerA, d.ID); err != nil || got != nil {
			t.Fatalf("removed: got %+v, %v, want nil", got, err)
		}
	})

	t.Run("Refused", func(t *testing.T) {
		agent := func(id int64) *nakamawashi.MTConnectSource {
			return &nakamawashi.MTConnectSource{DeviceID: id, AgentURL: "http://agent.example.jp:5000"}
		}
		light, _ := e.device(mA)
		before := e.events()
		wantError(t, s.SetMTConnectSource(w.ownerA, agent(light.ID)), nakamawashi.EINVALID, "err.mtsource.kind")

		// Another member company sees the device's company (the network)
		// but may not manage it, as for the other device writes; a company
		// outside the network does not see it at all.
		err := s.SetMTConnectSource(w.ownerB, agent(d.ID))
		wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
		_, err = s.FindMTConnectSource(w.ownerB, d.ID)
		wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
		err = s.SetMTConnectSource(w.custOwner, agent(d.ID))
		wantError(t, err, nakamawashi.ENOTFOUND, "err.device.not_found")
		_, err = s.FindMTConnectSource(w.custOwner, d.ID)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.device.not_found")
		err = s.SetMTConnectSource(w.ownerA, agent(d.ID+1000))
		wantCode(t, err, nakamawashi.ENOTFOUND)

		// Staff do not manage devices (PermProfileEdit).
		err = s.SetMTConnectSource(w.staffA, agent(d.ID))
		if nakamawashi.ActorFromContext(w.staffA).Can(nakamawashi.PermProfileEdit, w.a.ID) {
			if err != nil {
				t.Fatalf("staff, allowed by the policy: %v", err)
			}
		} else {
			wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
		}

		err = s.SetMTConnectSource(context.Background(), agent(d.ID))
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)

		both := agent(d.ID)
		both.AdapterAddr = "adapter.example.jp:7878"
		err = s.SetMTConnectSource(w.ownerA, both)
		wantCode(t, err, nakamawashi.EINVALID)
		wantField(t, err, "adapter_addr", "err.mtsource.source")
		deviceOnly := &nakamawashi.MTConnectSource{DeviceID: d.ID, AgentDevice: "Mazak01"}
		err = s.SetMTConnectSource(w.ownerA, deviceOnly)
		wantCode(t, err, nakamawashi.EINVALID)
		wantField(t, err, "agent_url", "err.mtsource.source")
		long := agent(d.ID)
		long.AgentURL = "http://" + strings.Repeat("a", 300) + ".jp"
		err = s.SetMTConnectSource(w.ownerA, long)
		wantField(t, err, "agent_url", "err.text_max")

		if nakamawashi.ActorFromContext(w.staffA).Can(nakamawashi.PermProfileEdit, w.a.ID) {
			before++
		}
		if got := e.events(); got != before {
			t.Fatalf("audit events: got %d, want %d", got, before)
		}
		if n := e.count(`SELECT COUNT(*) FROM device_mtconnect`); n > 1 {
			t.Fatalf("rows: got %d", n)
		}
	})
}

func testMTConnectSourcesSystem(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	mA, mB := e.machine(w.a.ID), e.machine(w.b.ID)
	dA := e.mtDevice(mA, "A MTConnect")
	dB := e.mtDevice(mB, "B MTConnect")
	off := e.mtDevice(mA, "A 停止中")
	for _, src := range []*nakamawashi.MTConnectSource{
		{DeviceID: dA.ID, AgentURL: "http://agent-a.example.jp:5000"},
		{DeviceID: off.ID, AgentURL: "http://agent-off.example.jp:5000"},
	} {
		if err := s.SetMTConnectSource(w.ownerA, src); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetMTConnectSource(w.ownerB, &nakamawashi.MTConnectSource{DeviceID: dB.ID, AdapterAddr: "adapter-b.example.jp:7878"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DisableDevice(w.ownerA, off.ID); err != nil {
		t.Fatal(err)
	}

	for name, ctx := range map[string]context.Context{"owner": w.ownerA, "staff": w.staffA, "admin": w.admin, "anonymous": context.Background()} {
		if srcs, err := s.FindMTConnectSources(ctx); err == nil || srcs != nil {
			t.Fatalf("%s: got %v, %v, want refused", name, srcs, err)
		} else {
			wantCode(t, err, nakamawashi.EFORBIDDEN)
		}
	}
	srcs, err := s.FindMTConnectSources(e.sys)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 2 || srcs[0].DeviceID != dA.ID || srcs[1].DeviceID != dB.ID {
		t.Fatalf("sources: got %v, want devices %d and %d", srcs, dA.ID, dB.ID)
	}
	if a, b := srcs[0], srcs[1]; a.CompanyID != w.a.ID || a.MachineID != mA.ID || a.AgentURL != "http://agent-a.example.jp:5000" ||
		b.CompanyID != w.b.ID || b.MachineID != mB.ID || b.AdapterAddr != "adapter-b.example.jp:7878" || b.AgentURL != "" {
		t.Fatalf("sources: got %+v, %+v", a, b)
	}
}
