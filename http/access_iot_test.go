package http_test

import (
	"net/url"

	"github.com/nakamawashi/nakamawashi"
)

// The IoT routes in the access matrix: B's devices are managed by those who
// edit B's profile, and not found for everyone else; B's boards show what
// B shares (status only, its default) to the people of the network, and
// everything to B and the office; B's machine day, its history, only to
// those who see everything of B.

// freshBDevice registers a device on B's machine, disabled if asked.
func (m *matrix) freshBDevice(disabled bool) int64 {
	m.t.Helper()
	d := &nakamawashi.Device{CompanyID: m.b.ID, MachineID: m.bMachine, Name: "秘密 信号灯", Kind: nakamawashi.DeviceStackLight}
	if _, err := m.e.store.CreateDevice(m.sys, d); err != nil {
		m.t.Fatal(err)
	}
	if disabled {
		if err := m.e.store.DisableDevice(m.sys, d.ID); err != nil {
			m.t.Fatal(err)
		}
	}
	m.forget()
	return d.ID
}

// freshBMTConnect registers a device of kind mtconnect on B's machine, and
// allows its agent's host, so that an allowed caller may set its source.
func (m *matrix) freshBMTConnect() int64 {
	m.t.Helper()
	m.e.server.MTConnectAllow = []string{"agent.example.jp"}
	d := &nakamawashi.Device{CompanyID: m.b.ID, MachineID: m.bMachine, Name: "秘密 MTConnect", Kind: nakamawashi.DeviceMTConnect}
	if _, err := m.e.store.CreateDevice(m.sys, d); err != nil {
		m.t.Fatal(err)
	}
	if err := m.e.store.SetMTConnectSource(m.sys, &nakamawashi.MTConnectSource{DeviceID: d.ID, AgentURL: "http://agent.example.jp:5000"}); err != nil {
		m.t.Fatal(err)
	}
	m.forget()
	return d.ID
}

// seesBoard: B's board is for whoever may read B and see its machines.
func seesBoard(m *matrix, a *nakamawashi.Actor) bool {
	return a.Can(nakamawashi.PermCompanyRead, m.b.ID) &&
		(a.Can(nakamawashi.PermTelemetryRead, m.b.ID) || a.Can(nakamawashi.PermTelemetryShared, m.b.ID))
}

// seesNetworkBoard: the network board is for the people of the network.
func seesNetworkBoard(m *matrix, a *nakamawashi.Actor) bool {
	return a.CanNetwork(nakamawashi.PermTelemetryShared) || a.CanNetwork(nakamawashi.PermTelemetryRead)
}

// seesDay: B shares status only, so its machines' days are B's and the
// office's.
func seesDay(m *matrix, a *nakamawashi.Actor) bool {
	return a.Can(nakamawashi.PermCompanyRead, m.b.ID) && a.Can(nakamawashi.PermTelemetryRead, m.b.ID)
}

func iotAccessRules() map[string]accessRule {
	companyID := map[string]func(*matrix) string{"id": bID}
	device := func(disabled bool) map[string]func(*matrix) string {
		return map[string]func(*matrix) string{"id": bID, "did": func(m *matrix) string { return itoa(m.freshBDevice(disabled)) }}
	}
	mtDevice := map[string]func(*matrix) string{"id": bID, "did": func(m *matrix) string { return itoa(m.freshBMTConnect()) }}
	machine := map[string]func(*matrix) string{"mid": func(m *matrix) string { return itoa(m.bMachine) }}
	once := func(*matrix) string { return "once=1" }
	edit := func() accessRule { return rule(onB(nakamawashi.PermProfileEdit)) }
	mutate := func(r accessRule, params map[string]func(*matrix) string) accessRule {
		return r.with(func(r *accessRule) { r.params, r.mutates = params, true })
	}
	deviceForm := func(m *matrix, p *principal) url.Values {
		return url.Values{"name": {"秘密 信号灯"}, "kind": {"stacklight"}, "machine_id": {itoa(m.bMachine)}}
	}
	deviceJSON := func(m *matrix, p *principal) string {
		return `{"name":"秘密 信号灯","kind":"stacklight","machine_id":` + itoa(m.bMachine) + `}`
	}
	shared := func(allow func(*matrix, *nakamawashi.Actor) bool) accessRule {
		return rule(nakamawashi.PermTelemetryShared, allow)
	}
	return map[string]accessRule{
		"device.list":    edit().with(func(r *accessRule) { r.params = companyID }),
		"device.create":  mutate(edit(), companyID).with(func(r *accessRule) { r.form = deviceForm }),
		"device.rotate":  mutate(edit(), device(false)),
		"device.enable":  mutate(edit(), device(true)),
		"device.disable": mutate(edit(), device(false)),
		"device.delete":  mutate(edit(), device(false)),
		"device.mtconnect": mutate(edit(), mtDevice).with(func(r *accessRule) {
			r.form = func(*matrix, *principal) url.Values { return url.Values{"agent_url": {"http://agent.example.jp:5001"}} }
		}),
		"sharing.update": mutate(edit(), companyID).with(func(r *accessRule) {
			r.form = func(*matrix, *principal) url.Values { return url.Values{"sharing": {"status"}} }
		}),
		"board.company": shared(seesBoard).with(func(r *accessRule) { r.params, r.show = companyID, []string{bName} }),
		"board.company.events": shared(seesBoard).with(func(r *accessRule) {
			r.params, r.query, r.show = companyID, once, []string{"event: snapshot"}
		}),
		"board.network":        shared(seesNetworkBoard),
		"board.network.events": shared(seesNetworkBoard).with(func(r *accessRule) { r.query = once }),
		"machine.day":          shared(seesDay).with(func(r *accessRule) { r.params = machine }),

		"api.device.list":          edit().with(func(r *accessRule) { r.params = companyID }),
		"api.device.create":        mutate(edit(), companyID).with(func(r *accessRule) { r.json = deviceJSON }),
		"api.device.rotate":        mutate(edit(), device(false)),
		"api.device.enable":        mutate(edit(), device(true)),
		"api.device.disable":       mutate(edit(), device(false)),
		"api.device.delete":        mutate(edit(), device(false)),
		"api.device.mtconnect.get": edit().with(func(r *accessRule) { r.params, r.show = mtDevice, []string{"agent.example.jp:5000"} }),
		"api.device.mtconnect.set": mutate(edit(), mtDevice).with(func(r *accessRule) {
			r.json = func(*matrix, *principal) string { return `{"adapter_addr":"agent.example.jp:7878"}` }
		}),
		"api.sharing.get": rule(onB(nakamawashi.PermCompanyRead)).with(func(r *accessRule) { r.params = companyID }),
		"api.sharing.set": mutate(edit(), companyID).with(func(r *accessRule) {
			r.json = func(*matrix, *principal) string { return `{"sharing":"status"}` }
		}),
		"api.board.company": shared(seesBoard).with(func(r *accessRule) { r.params, r.show = companyID, []string{bName} }),
		"api.board.network": shared(seesNetworkBoard),
		"api.machine.day":   shared(seesDay).with(func(r *accessRule) { r.params = machine }),
	}
}
