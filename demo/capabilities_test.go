package demo_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/demo"
)

// TestCapabilities checks the profile and machine tables without a store:
// one profile per supplier, everything validates, every machine's process
// is offered by its shop, and the figures are in the ranges a small shop
// or a regional factory has.
func TestCapabilities(t *testing.T) {
	kinds := map[string]nakamawashi.Company{}
	suppliers := 0
	for _, c := range demo.Companies() {
		kinds[c.Name] = c
		if c.Kind.Supplier() {
			suppliers++
		}
	}
	caps := demo.Capabilities()
	if len(caps) != suppliers {
		t.Errorf("got %d profiles, want one for each of %d suppliers", len(caps), suppliers)
	}
	seen := map[string]bool{}
	machines, records, located := 0, 0, 0
	certified := map[string]int{}
	for _, c := range caps {
		co, ok := kinds[c.Company]
		if !ok || !co.Kind.Supplier() {
			t.Errorf("%s: not a demo supplier", c.Company)
			continue
		}
		if seen[c.Company] {
			t.Errorf("%s: two profiles", c.Company)
		}
		seen[c.Company] = true

		p := c.Profile
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", c.Company, err)
		}
		if len(p.Processes) != len(c.Profile.Processes) || len(p.Materials) != len(c.Profile.Materials) ||
			len(p.Certifications) != len(c.Profile.Certifications) || len(p.LotSizes) != len(c.Profile.LotSizes) {
			t.Errorf("%s: duplicate codes in the table", c.Company)
		}
		if len(p.Processes) == 0 || len(p.Materials) == 0 || len(p.LotSizes) == 0 {
			t.Errorf("%s: processes, materials or lot sizes missing", c.Company)
		}
		if p.HourlyRate < 4000 || p.HourlyRate > 12000 {
			t.Errorf("%s: hourly rate ¥%d, want ¥4,000 to ¥12,000", c.Company, p.HourlyRate)
		}
		if p.CapacityHours < 20 || p.CapacityHours > 300 {
			t.Errorf("%s: capacity %d h a week, want 20 to 300", c.Company, p.CapacityHours)
		}
		switch co.Kind {
		case nakamawashi.KindMember:
			if p.Employees < 1 || p.Employees > 30 {
				t.Errorf("%s: %d employees, want 1 to 30 in Ota", c.Company, p.Employees)
			}
		case nakamawashi.KindPartner:
			if p.Employees < 20 || p.Employees > 300 {
				t.Errorf("%s: %d employees, want 20 to 300 for a regional factory", c.Company, p.Employees)
			}
			if co.Region == "日立市" && !slices.Contains(p.LotSizes, nakamawashi.LotVolume) {
				t.Errorf("%s: a Hitachi partner without volume", c.Company)
			}
		}
		if p.Latitude != nil {
			located++
			co := kinds[c.Company]
			est, _, _ := nakamawashi.Locate(co.Prefecture, co.City)
			if d := nakamawashi.DistanceKM(est, nakamawashi.LatLon{Lat: *p.Latitude, Lon: *p.Longitude}); d > 15 {
				t.Errorf("%s: located %.1f km from %s%s", c.Company, d, co.Prefecture, co.City)
			}
		}
		for _, cert := range p.Certifications {
			certified[cert]++
		}

		machineShop := false
		for _, code := range p.Processes {
			if pr, _ := nakamawashi.ProcessByCode(code); pr.Kind == nakamawashi.MachineProcess {
				machineShop = true
			}
		}
		if machineShop && len(c.Machines) == 0 {
			t.Errorf("%s: offers machine processes %v but lists no machine", c.Company, p.Processes)
		}
		for _, m := range c.Machines {
			records++
			machines += max(m.Count, 1)
			v := m
			if err := v.Validate(); err != nil {
				t.Errorf("%s: %s %s: %v", c.Company, m.Maker, m.Model, err)
			}
			if v.Maker != m.Maker || v.Model != m.Model || v.Envelope != m.Envelope {
				t.Errorf("%s: Validate changed %s %s to %s %s %+v", c.Company, m.Maker, m.Model, v.Maker, v.Model, v.Envelope)
			}
			if !p.Offers(m.Process) {
				t.Errorf("%s: machine %s %s does %s, which the profile does not offer", c.Company, m.Maker, m.Model, m.Process)
			}
			if m.ToleranceUM <= 0 {
				t.Errorf("%s: %s %s: no tolerance", c.Company, m.Maker, m.Model)
			}
		}
	}
	for name, co := range kinds {
		if co.Kind.Supplier() && !seen[name] {
			t.Errorf("%s: no profile", name)
		}
	}
	if machines < 150 || machines > 320 {
		t.Errorf("got %d machines in %d records, want about 150 to 300", machines, records)
	}
	t.Logf("%d suppliers, %d machines in %d records, certifications %v", len(caps), machines, records, certified)
	if located != len(caps) {
		t.Errorf("%d of %d profiles have coordinates, want all (transport legs need distances)", located, len(caps))
	}
	if certified["ISO9001"] < 10 || certified["JISQ9100"]+certified["ISO13485"] < 1 || certified["JISQ9100"]+certified["ISO13485"] > 3 {
		t.Errorf("certifications %v: want some ISO9001 and one or two JISQ9100/ISO13485", certified)
	}
}

// TestCapabilitiesFresh checks that callers cannot change the tables through
// what Capabilities returns.
func TestCapabilitiesFresh(t *testing.T) {
	a := demo.Capabilities()
	a[0].Profile.Processes[0] = "changed"
	*a[5].Profile.Latitude = 0
	a[0].Machines[0].Model = "changed"
	b := demo.Capabilities()
	if b[0].Profile.Processes[0] == "changed" || *b[5].Profile.Latitude == 0 || b[0].Machines[0].Model == "changed" {
		t.Error("Capabilities returned shared records")
	}
}

// TestPosts checks the PR posts: they validate, come from suppliers, and a
// couple carry a small PNG that is the same on every call.
func TestPosts(t *testing.T) {
	names := map[string]bool{}
	for _, c := range demo.Companies() {
		if c.Kind.Supplier() {
			names[c.Name] = true
		}
	}
	emails := map[string]string{}
	for _, l := range demo.Logins(demo.Options{}) {
		emails[l.Email] = l.CompanyName
	}
	ps := demo.Posts()
	if len(ps) < 5 || len(ps) > 8 {
		t.Errorf("got %d posts, want 5 to 8", len(ps))
	}
	companies := map[string]bool{}
	photos := 0
	for _, sp := range ps {
		companies[sp.Company] = true
		if !names[sp.Company] {
			t.Errorf("%q: %s is not a supplier", sp.Post.Title, sp.Company)
		}
		if sp.Author != "" && emails[sp.Author] != sp.Company {
			t.Errorf("%q: author %s is not a demo user of %s", sp.Post.Title, sp.Author, sp.Company)
		}
		if sp.Author == "" && sp.Post.AuthorName == "" {
			t.Errorf("%q: neither an author nor an author name", sp.Post.Title)
		}
		p := sp.Post
		if err := p.Validate(); err != nil {
			t.Errorf("%q: %v", sp.Post.Title, err)
		}
		for _, ph := range p.Photos {
			photos++
			if ph.ContentType != "image/png" || ph.Size > 4096 || ph.Width == 0 {
				t.Errorf("%q: photo %s of %d bytes, %d×%d", p.Title, ph.ContentType, ph.Size, ph.Width, ph.Height)
			}
		}
	}
	if len(companies) != len(ps) {
		t.Errorf("%d posts from %d companies, want each from a different shop", len(ps), len(companies))
	}
	if photos < 2 {
		t.Errorf("got %d photos, want a couple", photos)
	}
	a, b := demo.Posts(), demo.Posts()
	for i := range a {
		for j := range a[i].Post.Photos {
			if !bytes.Equal(a[i].Post.Photos[j].Data, b[i].Post.Photos[j].Data) {
				t.Errorf("%q: photo %d differs between calls", a[i].Post.Title, j)
			}
		}
	}
}
