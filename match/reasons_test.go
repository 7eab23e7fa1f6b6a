package match_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/match"
)

var (
	ota   = nakamawashi.LatLon{Lat: 35.561, Lon: 139.716}
	osaka = nakamawashi.LatLon{Lat: 34.679, Lon: 135.601}
	t0    = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	lathe = func(id int64, d, l, tol, ra float64) *nakamawashi.Machine {
		return &nakamawashi.Machine{ID: id, Process: "turning.nc", Count: 1, Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: d, L: l}, ToleranceUM: tol, RoughnessRa: ra}
	}
)

// shop builds a candidate; mod may change its profile.
func shop(id int64, at nakamawashi.LatLon, processes []string, mod func(*nakamawashi.Profile), machines ...*nakamawashi.Machine) *match.Candidate {
	p := &nakamawashi.Profile{CompanyID: id, Processes: processes, Materials: []string{"S45C", "SUS304"}, Certifications: []string{"ISO9001"}, CapacityHours: 40, HourlyRate: 6000}
	if mod != nil {
		mod(p)
	}
	c := &nakamawashi.Company{ID: id, Kind: nakamawashi.KindMember, Name: "shop " + string(rune('A'+id-1))}
	return &match.Candidate{Supplier: &nakamawashi.Supplier{Company: c, Profile: p, Machines: machines}, Location: at}
}

func TestExclusionReasons(t *testing.T) {
	good := func(id int64) *nakamawashi.Machine { return lathe(id, 200, 400, 3, 0.2) }
	heavy := shop(8, ota, []string{"turning.nc"}, nil, good(8))
	heavy.LoadHours = 1000
	customer := shop(12, ota, []string{"turning.nc"}, nil, good(12))
	customer.Supplier.Company.Kind = nakamawashi.KindCustomer
	cands := []*match.Candidate{
		shop(1, ota, []string{"mc.3axis"}, nil),
		shop(2, ota, []string{"turning.nc"}, nil),
		shop(3, ota, []string{"turning.nc"}, func(p *nakamawashi.Profile) { p.Materials = []string{"A5052"} }, good(3)),
		shop(4, ota, []string{"turning.nc"}, nil, lathe(4, 50, 300, 3, 0.2)),
		shop(5, ota, []string{"turning.nc"}, nil, lathe(5, 200, 400, 10, 0.2)),
		shop(6, ota, []string{"turning.nc"}, nil, lathe(6, 200, 400, 0, 0.2)),
		shop(7, ota, []string{"turning.nc"}, nil, lathe(7, 200, 400, 3, 1.6)),
		shop(9, ota, []string{"turning.nc"}, func(p *nakamawashi.Profile) { p.Certifications = nil }, good(9)),
		heavy,
		shop(10, ota, []string{"turning.nc"}, nil, lathe(101, 50, 300, 2, 0.1), lathe(102, 200, 400, 8, 0.1)),
		shop(11, ota, []string{"turning.multi"}, nil, &nakamawashi.Machine{ID: 11, Process: "turning.multi", Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 300, L: 600}, ToleranceUM: 2, RoughnessRa: 0.4}),
		customer,
		shop(13, ota, []string{"turning.nc"}, nil, good(13)),
	}
	net := match.NewNetwork(cands, match.Transport{})
	r := &match.Routing{
		Steps:    []match.Step{{Process: "turning.nc", Material: "S45C", Part: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 60, L: 100}, ToleranceUM: 5, RoughnessRa: 0.4, Certifications: []string{"ISO9001"}, SetupHours: 2, CycleMinutes: 6}},
		Quantity: 10, Start: t0, Due: t0.Add(7 * 24 * time.Hour),
	}
	res, err := net.Match(context.Background(), r, match.Options{K: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]match.Exclusion{}
	for _, x := range res.Steps[0].Excluded {
		got[x.CompanyID] = x
	}
	for _, tt := range []struct {
		id     int64
		reason match.Reason
	}{
		{1, match.ReasonProcess},       // offers something else
		{2, match.ReasonProcess},       // offers it but has no such machine
		{3, match.ReasonMaterial},      // does not list S45C
		{4, match.ReasonEnvelope},      // φ50 < φ60
		{5, match.ReasonTolerance},     // ±10 µm > ±5 µm
		{6, match.ReasonTolerance},     // tolerance not entered
		{7, match.ReasonRoughness},     // Ra 1.6 > Ra 0.4
		{9, match.ReasonCertification}, // no ISO 9001
		{8, match.ReasonCapacity},      // 1000 h of load in a 40 h week
		{10, match.ReasonTolerance},    // one machine too small, the other not precise: the most specific
	} {
		x, ok := got[tt.id]
		if !ok {
			t.Errorf("company %d: not excluded, want %s", tt.id, tt.reason)
			continue
		}
		if x.Reason != tt.reason || x.Detail == "" {
			t.Errorf("company %d: got %s (%q), want %s", tt.id, x.Reason, x.Detail, tt.reason)
		}
	}
	rep := res.Steps[0]
	if rep.Eligible != 2 || rep.ExcludedTotal != 10 || len(rep.Excluded) != 10 {
		t.Errorf("eligible %d, excluded %d (%d listed), want 2, 10, 10", rep.Eligible, rep.ExcludedTotal, len(rep.Excluded))
	}
	if rep.ExcludedByReason[match.ReasonTolerance] != 3 || rep.ExcludedByReason[match.ReasonProcess] != 2 {
		t.Errorf("by reason: %v", rep.ExcludedByReason)
	}
	if rep.Excluded[0].Reason != match.ReasonCapacity {
		t.Errorf("first listed %s, want the most specific reason first", rep.Excluded[0].Reason)
	}
	ids := map[int64]bool{}
	for _, ch := range res.Chains {
		ids[ch.Steps[0].CompanyID] = true
	}
	if len(res.Chains) != 2 || !ids[11] || !ids[13] {
		t.Errorf("chains take %v, want 11 (mill-turn covers turning) and 13", ids)
	}
	lim, _ := net.Match(context.Background(), r, match.Options{MaxExcluded: 3})
	if n := len(lim.Steps[0].Excluded); n != 3 || lim.Steps[0].ExcludedTotal != 10 {
		t.Errorf("MaxExcluded 3: %d listed of %d", n, lim.Steps[0].ExcludedTotal)
	}
}

// TestJointBeatsGreedy: the cheapest turner is in Higashi-Osaka, but only
// an Ota shop can grind; the joint choice turns in Ota too and saves the
// long haul, which greedy, choosing the turner alone, cannot see.
func TestJointBeatsGreedy(t *testing.T) {
	grinder := &nakamawashi.Machine{ID: 30, Process: "grinding.cylindrical", Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 200, L: 500}, ToleranceUM: 2, RoughnessRa: 0.2}
	cands := []*match.Candidate{
		shop(1, osaka, []string{"turning.nc"}, func(p *nakamawashi.Profile) { p.HourlyRate = 4500 }, lathe(10, 200, 400, 5, 0.8)),
		shop(2, nakamawashi.LatLon{Lat: 35.57, Lon: 139.73}, []string{"turning.nc"}, func(p *nakamawashi.Profile) { p.HourlyRate = 6000 }, lathe(20, 200, 400, 5, 0.8)),
		shop(3, ota, []string{"grinding.cylindrical"}, nil, grinder),
	}
	net := match.NewNetwork(cands, match.Transport{})
	r := &match.Routing{
		Steps:    []match.Step{{Process: "turning.nc", SetupHours: 2, CycleMinutes: 10}, {Process: "grinding.cylindrical", SetupHours: 1, CycleMinutes: 5}},
		Quantity: 100, Start: t0,
	}
	ctx := context.Background()
	joint, err := net.Match(ctx, r, match.Options{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	greedy, err := net.Greedy(ctx, r, match.Options{})
	if err != nil {
		t.Fatal(err)
	}
	j, g := joint.Chains[0], greedy.Chains[0]
	if g.Steps[0].CompanyID != 1 {
		t.Fatalf("greedy turns at %d, want 1 (the crafted case is wrong)", g.Steps[0].CompanyID)
	}
	if j.Steps[0].CompanyID != 2 || j.Score >= g.Score {
		t.Errorf("joint turns at %d scoring %.0f; greedy at %d scoring %.0f", j.Steps[0].CompanyID, j.Score, g.Steps[0].CompanyID, g.Score)
	}
	// The greedy chain is the joint second best, scored the same.
	if len(joint.Chains) != 2 || joint.Chains[1].Steps[0].CompanyID != 1 || math.Abs(joint.Chains[1].Score-g.Score) > 1e-6 {
		t.Errorf("second chain %+v, greedy %v", joint.Chains[1], g.Score)
	}
	if j.Steps[1].In == nil || j.Steps[1].In.FromCompanyID != 2 || j.Steps[0].In != nil {
		t.Errorf("legs: %+v, %+v", j.Steps[0].In, j.Steps[1].In)
	}
}

// TestSameCompanyConsecutive: a shop that can turn and mill saves the leg.
func TestSameCompanyConsecutive(t *testing.T) {
	mc := func(id int64) *nakamawashi.Machine {
		return &nakamawashi.Machine{ID: id, Process: "mc.3axis", Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: 500, Y: 400, Z: 300}, ToleranceUM: 5}
	}
	cands := []*match.Candidate{
		shop(1, ota, []string{"turning.nc"}, func(p *nakamawashi.Profile) { p.HourlyRate = 5800 }, lathe(10, 200, 400, 5, 0.8)),
		shop(2, nakamawashi.LatLon{Lat: 35.58, Lon: 139.70}, []string{"mc.3axis"}, func(p *nakamawashi.Profile) { p.HourlyRate = 5800 }, mc(20)),
		shop(3, nakamawashi.LatLon{Lat: 35.55, Lon: 139.75}, []string{"turning.nc", "mc.3axis"}, nil, lathe(30, 200, 400, 5, 0.8), mc(31)),
	}
	res, err := match.NewNetwork(cands, match.Transport{}).Match(context.Background(), &match.Routing{
		Steps: []match.Step{{Process: "turning.nc"}, {Process: "mc.3axis"}}, Quantity: 5, Start: t0,
	}, match.Options{K: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Chains) != 4 {
		t.Fatalf("%d chains, want all 4", len(res.Chains))
	}
	best := res.Chains[0]
	if best.Steps[0].CompanyID != 3 || best.Steps[1].CompanyID != 3 || best.Steps[1].In != nil || best.Cost.TransportYen != 0 {
		t.Errorf("best chain %d→%d, leg %+v", best.Steps[0].CompanyID, best.Steps[1].CompanyID, best.Steps[1].In)
	}
}
