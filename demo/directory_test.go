package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/demo"
	"github.com/nakamawashi/nakamawashi/match"
)

// seededDirectory seeds a fresh store and returns it with the system's
// context and the company ids by name.
func seededDirectory(t *testing.T) (nakamawashi.Store, context.Context, map[string]int64) {
	t.Helper()
	s := MustOpenStore(t)
	if _, _, err := demo.Seed(context.Background(), s, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	_, companies := countByKind(t, s)
	ids := map[string]int64{}
	for _, c := range companies {
		ids[c.Name] = c.ID
	}
	return s, nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor), ids
}

// TestSeedDirectory checks that Seed stores every profile, machine and post
// and that the directory search finds them.
func TestSeedDirectory(t *testing.T) {
	s, ctx, ids := seededDirectory(t)

	for _, c := range demo.Capabilities() {
		id := ids[c.Company]
		p, err := s.FindProfile(ctx, id)
		if err != nil {
			t.Errorf("%s: %v", c.Company, err)
			continue
		}
		want := c.Profile
		want.Validate()
		if !slices.Equal(p.Processes, want.Processes) || !slices.Equal(p.Materials, want.Materials) ||
			!slices.Equal(p.Certifications, want.Certifications) || !slices.Equal(p.LotSizes, want.LotSizes) ||
			p.CapacityHours != want.CapacityHours || p.HourlyRate != want.HourlyRate || p.Employees != want.Employees ||
			(p.Latitude == nil) != (want.Latitude == nil) {
			t.Errorf("%s: got profile %+v, want %+v", c.Company, p, want)
		}
		ms, err := s.FindMachines(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != len(c.Machines) {
			t.Errorf("%s: got %d machines, want %d", c.Company, len(ms), len(c.Machines))
		}
	}

	posts, total, err := s.FindPosts(ctx, nakamawashi.PostFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(demo.Posts()); total != want || len(posts) != want {
		t.Errorf("got %d posts (total %d), want %d", len(posts), total, want)
	}
	photos, byUser := 0, 0
	for _, p := range posts {
		if p.AuthorID != 0 {
			byUser++
		}
		if p.AuthorName == "" || p.AuthorName == "system" {
			t.Errorf("%q: author name %q", p.Title, p.AuthorName)
		}
		for _, ph := range p.Photos {
			photos++
			got, err := s.FindPhoto(ctx, ph.ID)
			if err != nil {
				t.Errorf("%q: photo %d: %v", p.Title, ph.ID, err)
			} else if len(got.Data) == 0 || got.ContentType != "image/png" {
				t.Errorf("%q: photo %d: %d bytes of %s", p.Title, ph.ID, len(got.Data), got.ContentType)
			}
		}
	}
	if photos < 2 || byUser < 2 {
		t.Errorf("got %d photos and %d posts by demo users, want at least 2 each", photos, byUser)
	}

	names := func(q nakamawashi.SearchQuery) []string {
		t.Helper()
		q.Limit = 100
		res, err := s.Search(ctx, q)
		if err != nil {
			t.Fatalf("search %+v: %v", q, err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.Company.Name)
		}
		return out
	}
	grinding := names(nakamawashi.SearchQuery{Text: "研削"})
	for _, want := range []string{"株式会社大森研削", "有限会社京浜円筒研磨", "小池研削工業所", "株式会社精研工業", "有限会社赤羽ゲージ製作所", "株式会社ハードクローム大森"} {
		if !slices.Contains(grinding, want) {
			t.Errorf("研削: %s missing from %v", want, grinding)
		}
	}
	if got := names(nakamawashi.SearchQuery{Text: "研削", Kind: nakamawashi.KindPartner}); !slices.Equal(got, []string{"有限会社赤羽ゲージ製作所"}) {
		t.Errorf("研削 among partners: got %v, want 赤羽ゲージ alone", got)
	}
	// A φ30×120 shaft ground to ±2 µm: the chrome shop's long grinder
	// holds only ±5 µm.
	tight := names(nakamawashi.SearchQuery{Process: "grinding.cylindrical", Part: &nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 30, L: 120}, ToleranceUM: 2})
	if !slices.Contains(tight, "有限会社京浜円筒研磨") || slices.Contains(tight, "株式会社ハードクローム大森") {
		t.Errorf("cylindrical grinding to ±2 µm: got %v", tight)
	}
	if got := names(nakamawashi.SearchQuery{Text: "ｾﾝﾀﾚｽ"}); !slices.Contains(got, "小池研削工業所") {
		t.Errorf("ｾﾝﾀﾚｽ: got %v", got)
	}
	if got := names(nakamawashi.SearchQuery{Certification: "ISO13485"}); !slices.Equal(got, []string{"株式会社千鳥マシンワークス"}) {
		t.Errorf("ISO13485: got %v", got)
	}
	if got := names(nakamawashi.SearchQuery{Process: "press", LotSize: nakamawashi.LotVolume, Region: "日立市"}); !slices.Equal(got, []string{"株式会社常陸プレス工業"}) {
		t.Errorf("volume press in 日立市: got %v", got)
	}
}

// exampleRoutings are the routings the UI offers (http/match.go), and a
// tight variant of the shaft that shuts shops out by envelope and tolerance.
func exampleRoutings(now time.Time) map[string]*match.Routing {
	round := func(d, l float64) nakamawashi.Envelope {
		return nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: d, L: l}
	}
	box := func(x, y, z float64) nakamawashi.Envelope {
		return nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: x, Y: y, Z: z}
	}
	due := func(days int) time.Time { return now.AddDate(0, 0, days) }
	return map[string]*match.Routing{
		"shaft": {Quantity: 20, Start: now, Due: due(21), Steps: []match.Step{
			{Process: "turning.nc", Material: "S45C", Part: round(30, 150), ToleranceUM: 10},
			{Process: "heat.quench", Material: "S45C"},
			{Process: "grinding.cylindrical", Material: "S45C", Part: round(30, 150), ToleranceUM: 3},
			{Process: "plating.electroless_ni"},
			{Process: "inspection.cmm", Part: round(30, 150)},
		}},
		"shaft-scm435": {Quantity: 20, Start: now, Due: due(21), Steps: []match.Step{
			{Process: "turning.nc", Material: "SCM435", Part: round(30, 120)},
			{Process: "heat.quench", Material: "SCM435"},
			{Process: "grinding.cylindrical", Material: "SCM435", Part: round(30, 120), ToleranceUM: 5},
			{Process: "plating.electroless_ni", Material: "SCM435"},
			{Process: "inspection.cmm", Material: "SCM435", Part: round(30, 120)},
		}},
		"bracket": {Quantity: 50, Start: now, Due: due(14), Steps: []match.Step{
			{Process: "sheet.laser", Material: "SPCC", Part: box(300, 200, 3)},
			{Process: "sheet.bending", Material: "SPCC", Part: box(300, 200, 60)},
			{Process: "welding.tig", Material: "SPCC"},
			{Process: "painting"},
		}},
		"bracket-sus": {Quantity: 50, Start: now, Due: due(14), Steps: []match.Step{
			{Process: "sheet.laser", Material: "SUS304"},
			{Process: "sheet.bending", Material: "SUS304"},
			{Process: "welding.tig", Material: "SUS304"},
			{Process: "painting", Material: "SUS304"},
		}},
		"volume": {Quantity: 5000, Start: now, Due: due(30), Steps: []match.Step{
			{Process: "press", Material: "SPCC", Part: box(100, 60, 2)},
			{Process: "plating.zinc"},
		}},
		// A longer, thicker shaft held tighter: the short lathes and the
		// chrome shop's grinder drop out.
		"tight": {Quantity: 20, Start: now, Due: due(21), Steps: []match.Step{
			{Process: "turning.nc", Material: "SCM435", Part: round(60, 600)},
			{Process: "heat.quench", Material: "SCM435"},
			{Process: "grinding.cylindrical", Material: "SCM435", Part: round(60, 350), ToleranceUM: 2},
		}},
	}
}

// TestSeedMatch checks that each example routing finds chains on the seeded
// demo, that the volume job goes to Hitachi and that the tight one shows
// exclusions for envelope and tolerance.
func TestSeedMatch(t *testing.T) {
	s, ctx, _ := seededDirectory(t)
	now := time.Date(2026, 4, 6, 8, 0, 0, 0, time.UTC)
	for name, r := range exampleRoutings(now) {
		var procs []string
		for _, st := range r.Steps {
			procs = append(procs, st.Process)
		}
		sups, err := s.FindSuppliers(ctx, procs)
		if err != nil {
			t.Fatal(err)
		}
		n := match.NewNetwork(match.FromSuppliers(sups, demo.Network()), match.Transport{})
		res, err := n.Match(ctx, r, match.Options{K: 5, Now: now})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(res.Chains) == 0 {
			for _, rep := range res.Steps {
				t.Logf("%s step %d %s: %d eligible, excluded %v", name, rep.Step, rep.Process, rep.Eligible, rep.Excluded)
			}
			t.Errorf("%s: no chain", name)
			continue
		}
		best := res.Chains[0]
		var chain []string
		for _, cs := range best.Steps {
			chain = append(chain, cs.CompanyName)
		}
		t.Logf("%s: %d chains, best %v ¥%.0f", name, len(res.Chains), chain, best.Score)

		reasons := map[match.Reason]int{}
		for _, rep := range res.Steps {
			for reason, k := range rep.ExcludedByReason {
				reasons[reason] += k
			}
		}
		switch name {
		case "volume":
			if chain[0] != "株式会社常陸プレス工業" {
				t.Errorf("volume: the press went to %s, want the Hitachi partner", chain[0])
			}
		case "shaft":
			if reasons[match.ReasonTolerance] == 0 {
				t.Errorf("shaft: exclusions by reason %v, want the chrome shop out for tolerance", reasons)
			}
		case "tight":
			if reasons[match.ReasonEnvelope] == 0 || reasons[match.ReasonTolerance] == 0 {
				t.Errorf("tight: exclusions by reason %v, want envelope and tolerance", reasons)
			}
		}
	}
}
