package match

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/nakamawashi/nakamawashi"
)

// genRegion is where generated companies lie.
type genRegion struct {
	name, pref string
	at         nakamawashi.LatLon
	spread     float64 // degrees of jitter
	weight     float64
}

var genRegions = []genRegion{
	{"大田区", "東京都", nakamawashi.LatLon{Lat: 35.561, Lon: 139.716}, 0.025, 0.72},
	{"日立市", "茨城県", nakamawashi.LatLon{Lat: 36.599, Lon: 140.651}, 0.04, 0.08},
	{"岡谷市", "長野県", nakamawashi.LatLon{Lat: 36.067, Lon: 138.050}, 0.03, 0.06},
	{"東大阪市", "大阪府", nakamawashi.LatLon{Lat: 34.679, Lon: 135.601}, 0.03, 0.10},
	{"川口市", "埼玉県", nakamawashi.LatLon{Lat: 35.808, Lon: 139.724}, 0.03, 0.04},
}

// genSpecialty is a kind of shop: its machine processes with weights, the
// pool processes it may offer, and how common it is.
type genSpecialty struct {
	weight   float64
	machines []string
	pool     []string
}

var genSpecialties = []genSpecialty{
	{0.24, []string{"turning.nc", "turning.nc", "turning.nc", "turning.multi", "turning.swiss", "turning.manual", "mc.3axis", "inspection.cmm"}, []string{"deburring"}},
	{0.22, []string{"mc.3axis", "mc.3axis", "mc.3axis", "mc.5axis", "mc.horizontal", "milling.manual", "turning.nc", "inspection.cmm"}, []string{"deburring"}},
	{0.08, []string{"grinding.surface", "grinding.cylindrical", "grinding.centerless", "grinding.internal", "grinding.jig", "lapping", "inspection.surface"}, []string{"polishing"}},
	{0.05, []string{"edm.wire", "edm.wire", "edm.sinker", "edm.hole", "grinding.surface", "mc.3axis"}, nil},
	{0.12, []string{"sheet.laser", "sheet.bending", "sheet.bending", "sheet.turret", "press", "welding.laser", "sheet.waterjet", "spinning"}, []string{"welding.tig", "welding.mig", "welding.spot", "painting.powder"}},
	{0.05, []string{"press", "press.progressive", "press.deepdraw"}, []string{"welding.spot"}},
	{0.05, []string{"inspection.surface"}, []string{"heat.quench", "heat.induction", "heat.carburizing", "heat.nitriding", "heat.vacuum", "heat.annealing"}},
	{0.08, []string{"inspection.surface"}, []string{"plating.electroless_ni", "plating.zinc", "plating.hard_chrome", "plating.nickel", "plating.gold", "anodizing", "anodizing.hard", "painting", "black_oxide", "passivation", "coating.pvd"}},
	{0.04, []string{"molding.injection", "casting.die", "am.resin", "am.metal"}, []string{"casting", "forging"}},
	{0.04, []string{"inspection.cmm", "inspection.surface"}, []string{"inspection.ndt"}},
	{0.03, []string{"mc.3axis", "turning.nc"}, []string{"assembly", "assembly.wiring", "welding.tig", "brazing"}},
}

var (
	genSurnames = []string{"山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤", "吉田", "山本", "松本", "井上", "木村", "林", "清水", "山崎", "森", "池田", "橋本", "石川", "前田", "藤田", "岡田", "後藤", "長谷川", "村上", "近藤", "石井"}
	genSuffixes = []string{"製作所", "工業", "精機", "精工", "技研", "鉄工所", "工作所", "メッキ工業", "熱処理", "研磨"}
	genCerts    = []struct {
		code string
		p    float64
	}{{"ISO9001", 0.3}, {"ISO14001", 0.15}, {"JISQ9100", 0.05}, {"ISO13485", 0.03}, {"IATF16949", 0.05}, {"ECOACTION21", 0.08}, {"NADCAP", 0.01}, {"ISO27001", 0.02}}
)

// Generate makes a network of companies with realistic Japanese-like data
// for benchmarks, tests and demos: about four machines a company, shop
// specialties with the frequencies of an Ota-ward-like cluster, locations
// in Ota ward and in Hitachi, Okaya, Higashi-Osaka and Kawaguchi, and
// capacities, rates, loads and quality records. It is not for production
// data. The same rng state gives the same network.
func Generate(rng *rand.Rand, companies int) []*Candidate {
	out := make([]*Candidate, 0, companies)
	mats := nakamawashi.Materials()
	var mid int64
	for i := range companies {
		rg := genRegions[pick(rng, len(genRegions), func(j int) float64 { return genRegions[j].weight })]
		sp := genSpecialties[pick(rng, len(genSpecialties), func(j int) float64 { return genSpecialties[j].weight })]
		home := rg.name == "大田区"
		c := &nakamawashi.Company{
			ID: int64(i + 1), Kind: nakamawashi.KindMember, Region: rg.name, Prefecture: rg.pref, City: rg.name,
			Name: fmt.Sprintf("株式会社%s%s", genSurnames[rng.IntN(len(genSurnames))], genSuffixes[rng.IntN(len(genSuffixes))]),
		}
		if !home {
			c.Kind = nakamawashi.KindPartner
		}
		emp := 2 + int(rng.ExpFloat64()*8)
		if !home {
			emp += 20 + rng.IntN(80)
		}
		p := &nakamawashi.Profile{CompanyID: c.ID, Employees: emp, HourlyRate: 4500 + 500*rng.IntN(10), CapacityHours: 20 + emp*rng.IntN(8)}
		if rng.Float64() < 0.1 {
			p.HourlyRate = 0
		}
		if rng.Float64() < 0.1 {
			p.CapacityHours = 0
		}
		// Machines: about four, more in bigger shops.
		nm := 1 + rng.IntN(4) + min(emp/10, 4)
		if len(sp.pool) > 0 && sp.machines[0] == "inspection.surface" {
			nm = rng.IntN(2)
		}
		var ms []*nakamawashi.Machine
		for range nm {
			mid++
			ms = append(ms, genMachine(rng, mid, c.ID, sp.machines[rng.IntN(len(sp.machines))]))
		}
		for _, m := range ms {
			if !slices.Contains(p.Processes, m.Process) {
				p.Processes = append(p.Processes, m.Process)
			}
		}
		for _, code := range sp.pool {
			if rng.Float64() < 0.4 || len(p.Processes) == 0 {
				p.Processes = append(p.Processes, code)
			}
		}
		for _, m := range mats {
			if rng.Float64() < 0.3 {
				p.Materials = append(p.Materials, m.Code)
			}
		}
		for _, ct := range genCerts {
			if rng.Float64() < ct.p*(map[bool]float64{true: 1, false: 2}[home]) {
				p.Certifications = append(p.Certifications, ct.code)
			}
		}
		if home {
			p.LotSizes = []nakamawashi.LotSize{nakamawashi.LotPrototype, nakamawashi.LotSmall}
			if rng.Float64() < 0.1 {
				p.LotSizes = append(p.LotSizes, nakamawashi.LotVolume)
			}
		} else {
			p.LotSizes = []nakamawashi.LotSize{nakamawashi.LotSmall}
			if rng.Float64() < 0.6 {
				p.LotSizes = append(p.LotSizes, nakamawashi.LotVolume)
			}
		}
		at := nakamawashi.LatLon{Lat: rg.at.Lat + rng.NormFloat64()*rg.spread, Lon: rg.at.Lon + rng.NormFloat64()*rg.spread}
		cand := &Candidate{
			Supplier: &nakamawashi.Supplier{Company: c, Profile: p, Machines: ms},
			Location: at, Regional: !home,
			LoadHours:   math.Round(rng.Float64() * float64(max(p.CapacityHours, DefaultWeeklyHours)) * 2.2),
			RecentShare: rng.ExpFloat64() / float64(max(companies, 1)),
		}
		if rng.Float64() < 0.7 {
			cand.Quality = &Quality{OnTimeRate: 0.8 + 0.2*rng.Float64(), DefectRate: 0.03 * rng.Float64() * rng.Float64(), Orders: 1 + rng.IntN(200)}
		}
		out = append(out, cand)
	}
	return out
}

func genMachine(rng *rand.Rand, id, company int64, process string) *nakamawashi.Machine {
	pr, _ := nakamawashi.ProcessByCode(process)
	m := &nakamawashi.Machine{ID: id, CompanyID: company, Process: process, Count: 1 + rng.IntN(2), Axes: 3}
	s := 0.5 + rng.Float64()
	switch pr.Group {
	case "turning":
		m.Envelope = nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: math.Round(300 * s), L: math.Round(600 * s)}
		m.ToleranceUM, m.RoughnessRa = float64(3+rng.IntN(10)), []float64{0.8, 1.6, 3.2}[rng.IntN(3)]
	case "grinding":
		m.Envelope = nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: math.Round(250 * s), L: math.Round(500 * s)}
		if process == "grinding.surface" || process == "lapping" || process == "grinding.jig" {
			m.Envelope = nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: math.Round(600 * s), Y: math.Round(300 * s), Z: math.Round(300 * s)}
		}
		m.ToleranceUM, m.RoughnessRa = float64(1+rng.IntN(4)), []float64{0.1, 0.2, 0.4}[rng.IntN(3)]
	case "edm":
		m.Envelope = nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: math.Round(400 * s), Y: math.Round(300 * s), Z: math.Round(200 * s)}
		m.ToleranceUM, m.RoughnessRa = float64(2+rng.IntN(5)), []float64{0.4, 0.8}[rng.IntN(2)]
	case "sheet":
		m.Envelope = nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: math.Round(3000 * s), Y: math.Round(1500 * s), Z: 25}
		m.ToleranceUM = float64(50 + 50*rng.IntN(4))
	case "inspection":
		m.Envelope = nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: math.Round(700 * s), Y: math.Round(700 * s), Z: math.Round(500 * s)}
		m.ToleranceUM, m.RoughnessRa = float64(1+rng.IntN(3)), 0.05
	default:
		m.Envelope = nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: math.Round(800 * s), Y: math.Round(450 * s), Z: math.Round(450 * s)}
		m.ToleranceUM, m.RoughnessRa = float64(5+rng.IntN(16)), []float64{0.8, 1.6, 3.2}[rng.IntN(3)]
		if process == "mc.5axis" {
			m.Axes = 5
		}
	}
	if rng.Float64() < 0.1 {
		m.ToleranceUM = 0 // not entered
	}
	if rng.Float64() < 0.2 {
		m.RoughnessRa = 0
	}
	return m
}

// pick draws an index with the given weights.
func pick(rng *rand.Rand, n int, w func(int) float64) int {
	total := 0.0
	for i := range n {
		total += w(i)
	}
	x := rng.Float64() * total
	for i := range n {
		x -= w(i)
		if x < 0 {
			return i
		}
	}
	return n - 1
}
