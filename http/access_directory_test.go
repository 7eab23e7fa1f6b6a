package http_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/url"

	"github.com/nakamawashi/nakamawashi"
)

// B's directory records: a profile, a machine and a post with a photo.
const (
	bMachineModel = "秘密型式-X9"
	bPostTitle    = "秘密の新設備"
)

// pngBytes returns a small PNG image.
func pngBytes(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, x%h, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// seedDirectory gives B a profile, a machine and a post with a photo.
func (m *matrix) seedDirectory() {
	m.t.Helper()
	st, sys := m.e.store, m.sys
	if err := st.UpdateProfile(sys, &nakamawashi.Profile{CompanyID: m.b.ID, Processes: []string{"grinding.cylindrical", "turning.nc"},
		Materials: []string{"S45C"}, LotSizes: []nakamawashi.LotSize{nakamawashi.LotPrototype}, CapacityHours: 40, HourlyRate: 6000}); err != nil {
		m.t.Fatal(err)
	}
	m.bMachine = m.freshBMachine()
	m.bPhoto = 0
	post := &nakamawashi.Post{CompanyID: m.b.ID, Title: bPostTitle, Photos: []*nakamawashi.Photo{{Data: pngBytes(8, 6)}}}
	if err := st.CreatePost(sys, post); err != nil {
		m.t.Fatal(err)
	}
	m.bPhoto = post.Photos[0].ID
}

// freshBMachine adds a machine to B.
func (m *matrix) freshBMachine() int64 {
	m.t.Helper()
	mc := &nakamawashi.Machine{CompanyID: m.b.ID, Process: "grinding.cylindrical", Maker: "秘密工機", Model: bMachineModel, Count: 1,
		Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 200, L: 500}, ToleranceUM: 2, RoughnessRa: 0.2}
	if err := m.e.store.CreateMachine(m.sys, mc); err != nil {
		m.t.Fatal(err)
	}
	m.forget()
	return mc.ID
}

// freshBPost adds a post to B.
func (m *matrix) freshBPost() int64 {
	m.t.Helper()
	p := &nakamawashi.Post{CompanyID: m.b.ID, Title: bPostTitle}
	if err := m.e.store.CreatePost(m.sys, p); err != nil {
		m.t.Fatal(err)
	}
	m.forget()
	return p.ID
}

// directoryAccessRules are the matrix's rules for the partner directory
// and chain matching.
func directoryAccessRules() map[string]accessRule {
	companyID := map[string]func(*matrix) string{"id": bID}
	machine := map[string]func(*matrix) string{"id": bID, "mid": func(m *matrix) string { return itoa(m.bMachine) }}
	freshMachine := map[string]func(*matrix) string{"id": bID, "mid": func(m *matrix) string { return itoa(m.freshBMachine()) }}
	freshPost := map[string]func(*matrix) string{"id": bID, "pid": func(m *matrix) string { return itoa(m.freshBPost()) }}
	photo := map[string]func(*matrix) string{"id": func(m *matrix) string { return itoa(m.bPhoto) }}
	profileForm := func(*matrix, *principal) url.Values {
		return url.Values{"processes": {"grinding.cylindrical", "turning.nc"}, "materials": {"S45C"}, "lot_sizes": {"prototype"}, "capacity_hours": {"40"}}
	}
	machineForm := func(*matrix, *principal) url.Values {
		return url.Values{"process": {"grinding.cylindrical"}, "maker": {"秘密工機"}, "model": {bMachineModel}, "count": {"1"},
			"shape": {"round"}, "envelope_d": {"200"}, "envelope_l": {"500"}, "tolerance_um": {"2"}}
	}
	machineJSON := func(*matrix, *principal) string {
		return `{"process":"grinding.cylindrical","maker":"秘密工機","model":"` + bMachineModel + `","envelope":{"shape":"round","d":200,"l":500},"tolerance_um":2}`
	}
	routing := `{"routing":{"steps":[{"process":"grinding.cylindrical","material":"S45C"}],"quantity":5},"k":3}`
	return map[string]accessRule{
		"profile.edit": rule(onB(nakamawashi.PermProfileEdit)).with(func(r *accessRule) { r.params, r.show = companyID, []string{bName} }),
		"profile.update": rule(onB(nakamawashi.PermProfileEdit)).with(func(r *accessRule) {
			r.params, r.form, r.mutates = companyID, profileForm, true
		}),
		"machine.new": rule(onB(nakamawashi.PermProfileEdit)).with(func(r *accessRule) { r.params, r.show = companyID, []string{bName} }),
		"machine.create": rule(onB(nakamawashi.PermProfileEdit)).with(func(r *accessRule) {
			r.params, r.form, r.mutates = companyID, machineForm, true
		}),
		"machine.edit": rule(onB(nakamawashi.PermProfileEdit)).with(func(r *accessRule) {
			r.params, r.show = machine, []string{bMachineModel}
		}),
		"machine.update": rule(onB(nakamawashi.PermProfileEdit)).with(func(r *accessRule) {
			r.params, r.form, r.mutates = machine, machineForm, true
		}),
		"machine.delete": rule(onB(nakamawashi.PermProfileEdit)).with(func(r *accessRule) { r.params, r.mutates = freshMachine, true }),
		"post.new":       rule(onB(nakamawashi.PermPostWrite)).with(func(r *accessRule) { r.params, r.show = companyID, []string{bName} }),
		"post.create": rule(onB(nakamawashi.PermPostWrite)).with(func(r *accessRule) {
			r.params, r.mutates = companyID, true
			r.form = func(*matrix, *principal) url.Values { return url.Values{"title": {bPostTitle}, "body": {"本文"}} }
		}),
		"post.delete": rule(onB(nakamawashi.PermPostWrite)).with(func(r *accessRule) { r.params, r.mutates = freshPost, true }),
		"photo.show":  rule(onB(nakamawashi.PermCompanyRead)).with(func(r *accessRule) { r.params = photo }),
		"match.page":  rule(network(nakamawashi.PermMatch)),

		"api.vocabulary": rule("", always),
		"api.search": rule(network(nakamawashi.PermDirectoryRead)).with(func(r *accessRule) {
			r.query = func(*matrix) string { return "q=" + url.QueryEscape("秘密") }
			r.show = []string{bName}
		}),
		"api.profile.get": rule(onB(nakamawashi.PermCompanyRead)).with(func(r *accessRule) {
			r.params, r.show = companyID, []string{"grinding.cylindrical"}
		}),
		"api.profile.update": rule(onB(nakamawashi.PermProfileEdit)).with(func(r *accessRule) {
			r.params, r.mutates = companyID, true
			r.json = func(*matrix, *principal) string {
				return `{"processes":["grinding.cylindrical","turning.nc"],"materials":["S45C"],"lot_sizes":["prototype"],"capacity_hours":40}`
			}
		}),
		"api.machine.list": rule(onB(nakamawashi.PermCompanyRead)).with(func(r *accessRule) {
			r.params, r.show = companyID, []string{bMachineModel}
		}),
		"api.machine.create": rule(onB(nakamawashi.PermProfileEdit)).with(func(r *accessRule) {
			r.params, r.json, r.mutates = companyID, machineJSON, true
		}),
		"api.machine.update": rule(onB(nakamawashi.PermProfileEdit)).with(func(r *accessRule) {
			r.params, r.json, r.mutates = machine, machineJSON, true
		}),
		"api.machine.delete": rule(onB(nakamawashi.PermProfileEdit)).with(func(r *accessRule) { r.params, r.mutates = freshMachine, true }),
		"api.post.list": rule(onB(nakamawashi.PermCompanyRead)).with(func(r *accessRule) {
			r.params, r.show = companyID, []string{bPostTitle}
		}),
		"api.post.create": rule(onB(nakamawashi.PermPostWrite)).with(func(r *accessRule) {
			r.params, r.mutates = companyID, true
			r.json = func(*matrix, *principal) string { return `{"title":"` + bPostTitle + `","body":"本文"}` }
		}),
		"api.post.delete": rule(onB(nakamawashi.PermPostWrite)).with(func(r *accessRule) { r.params, r.mutates = freshPost, true }),
		"api.photo.get":   rule(onB(nakamawashi.PermCompanyRead)).with(func(r *accessRule) { r.params = photo }),
		"api.match": rule(network(nakamawashi.PermMatch)).with(func(r *accessRule) {
			r.json = func(*matrix, *principal) string { return routing }
		}),
	}
}
