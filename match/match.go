package match

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// MaxSteps is the longest routing Match accepts.
const MaxSteps = 30

// MaxQuantity is the largest quantity Match accepts.
const MaxQuantity = 10_000_000

// MinYear and MaxYear bound the years of a routing's start and due date.
const (
	MinYear = 2000
	MaxYear = 2999
)

// Step is one step of a routing with its hard requirements.
type Step struct {
	Process        string               `json:"process"`                  // process code (required)
	Material       string               `json:"material,omitempty"`       // material code
	Part           nakamawashi.Envelope `json:"part,omitempty"`           // part size (zero: not checked)
	ToleranceUM    float64              `json:"tolerance_um,omitempty"`   // a machine must hold this or better (0: not checked)
	RoughnessRa    float64              `json:"roughness_ra,omitempty"`   // a machine must reach this or better (0: not checked)
	Certifications []string             `json:"certifications,omitempty"` // all required
	SetupHours     float64              `json:"setup_hours,omitempty"`    // estimate; 0: a default by process group
	CycleMinutes   float64              `json:"cycle_minutes,omitempty"`  // per piece; 0: a default by process group
}

// Routing is what to match: the steps in order, the quantity, where the
// material comes from and the parts go, and when.
type Routing struct {
	Steps       []Step              `json:"steps"`
	Quantity    int                 `json:"quantity"`
	Origin      *nakamawashi.LatLon `json:"origin,omitempty"`      // where the material comes from (nil: the first shop)
	Destination *nakamawashi.LatLon `json:"destination,omitempty"` // where the parts go (nil: the last shop)
	Start       time.Time           `json:"start"`                 // when work can begin (zero: Options.Now)
	Due         time.Time           `json:"due,omitempty"`         // zero: no due date
}

// Candidate is one supplier as matching sees it.
type Candidate struct {
	Supplier    *nakamawashi.Supplier
	Location    nakamawashi.LatLon
	Regional    bool    // outside the network's home region
	LoadHours   float64 // hours already committed in the planning horizon (0 when unknown)
	Quality     *Quality
	RecentShare float64 // share (0..1) of the network's recent work this company received, for fairness
}

// Quality is a company's record in the network, when known.
type Quality struct {
	OnTimeRate float64 `json:"on_time_rate"` // 0..1
	DefectRate float64 `json:"defect_rate"`  // 0..1
	Orders     int     `json:"orders"`       // how many orders the rates come from
}

// Transport turns a distance into the time and price of a leg.
type Transport struct {
	BaseHours float64 // handling, loading and waiting per leg
	KMPerHour float64 // effective door-to-door speed over the great-circle distance
	BaseYen   float64 // fixed price per leg
	YenPerKM  float64 // price per great-circle kilometre
}

// DefaultTransport is a small truck (軽トラ or 2 t) between job shops: one
// hour of handling per leg, 30 km/h effective over the straight-line
// distance (Tokyo traffic and the detour of roads, which run about 1.3× the
// straight line), ¥3,000 a leg plus ¥120 a kilometre (a 赤帽-style charter).
var DefaultTransport = Transport{BaseHours: 1, KMPerHour: 30, BaseYen: 3000, YenPerKM: 120}

// Weights turn hours and penalties into yen of score. A negative or NaN
// YenPerHour counts as 0.
type Weights struct {
	YenPerHour float64 // what an hour of lead time (queue, processing, transport) is worth
	Load       float64 // yen at full utilisation; the penalty is Load × utilisation²
	Quality    float64 // yen per unit of (10 × defect rate + late rate)
	Fairness   float64 // yen per unit of recent share of the network's work
	Volume     float64 // yen for a shop without volume lots on a volume quantity
}

// DefaultWeights: lead time at ¥300 an hour (about ¥7,000 a day); up to
// ¥20,000 for a shop at full capacity; ¥50,000 per unit of quality risk
// (an average record, 1% defects and 10% late, costs ¥10,000); ¥100,000
// per unit of share (a shop that got 10% of recent work pays ¥10,000);
// ¥30,000 for a shop without volume lots on 1,000 pieces or more.
var DefaultWeights = Weights{YenPerHour: 300, Load: 20000, Quality: 50000, Fairness: 100000, Volume: 30000}

// Options tune one Match call.
type Options struct {
	K           int       // chains to return; default 5, at most 100
	Weights     Weights   // zero: DefaultWeights
	Now         time.Time // the start when the routing gives none (zero too: the clock)
	MaxExcluded int       // exclusions listed per step; default 50
}

// Reason says why a candidate was excluded from a step.
type Reason string

// The reasons, from the least to the most specific.
const (
	ReasonProcess       Reason = "process"
	ReasonMaterial      Reason = "material"
	ReasonEnvelope      Reason = "envelope"
	ReasonTolerance     Reason = "tolerance"
	ReasonRoughness     Reason = "roughness"
	ReasonCertification Reason = "certification"
	ReasonCapacity      Reason = "capacity"
)

var reasons = [...]Reason{ReasonProcess, ReasonMaterial, ReasonEnvelope, ReasonTolerance, ReasonRoughness, ReasonCertification, ReasonCapacity}

// Result is the answer of Match: the best chains and, per step, who was
// excluded and why.
type Result struct {
	Chains []Chain      `json:"chains"`
	Steps  []StepReport `json:"steps"`
}

// StepReport tells how many candidates a step had and why the others were
// excluded. Excluded lists at most Options.MaxExcluded, the most specific
// reasons first (those that came closest), then by company id.
type StepReport struct {
	Step             int            `json:"step"`
	Process          string         `json:"process"`
	Eligible         int            `json:"eligible"`
	Excluded         []Exclusion    `json:"excluded"`
	ExcludedTotal    int            `json:"excluded_total"`
	ExcludedByReason map[Reason]int `json:"excluded_by_reason"`
}

// Exclusion is one candidate that cannot take a step.
type Exclusion struct {
	CompanyID   int64  `json:"company_id"`
	CompanyName string `json:"company_name"`
	Reason      Reason `json:"reason"`
	Detail      string `json:"detail"` // in English; the UI translates Reason
}

// Chain is one company per step, with its cost.
type Chain struct {
	Rank     int         `json:"rank"`
	Steps    []ChainStep `json:"steps"`
	Cost     Breakdown   `json:"cost"`
	Score    float64     `json:"score"`
	FinishAt time.Time   `json:"finish_at"`
	OnTime   *bool       `json:"on_time,omitempty"`
	Delivery *Leg        `json:"delivery,omitempty"` // from the last shop to Routing.Destination
}

// ChainStep is the company taking one step of a chain.
type ChainStep struct {
	Step        int       `json:"step"`
	CompanyID   int64     `json:"company_id"`
	CompanyName string    `json:"company_name"`
	Regional    bool      `json:"regional"`
	MachineID   int64     `json:"machine_id,omitempty"`
	Cost        Breakdown `json:"cost"`
	In          *Leg      `json:"in,omitempty"` // transport into this step; nil when the same company did the previous step
}

// Leg is one transport between companies (FromCompanyID 0: from the origin).
type Leg struct {
	FromCompanyID int64   `json:"from_company_id"`
	KM            float64 `json:"km"`
	Hours         float64 `json:"hours"`
	Yen           float64 `json:"yen"`
}

// Breakdown is a cost in its parts. Hours are turned into score by
// Weights.YenPerHour; the penalties are already in yen. VolumePenalty is
// negative for the small bonus of a regional volume-capable partner.
type Breakdown struct {
	PriceYen        float64 `json:"price_yen"`
	ProcessingHours float64 `json:"processing_hours"`
	QueueHours      float64 `json:"queue_hours"`
	TransportHours  float64 `json:"transport_hours"`
	TransportYen    float64 `json:"transport_yen"`
	LoadPenalty     float64 `json:"load_penalty"`
	QualityPenalty  float64 `json:"quality_penalty"`
	FairnessPenalty float64 `json:"fairness_penalty"`
	VolumePenalty   float64 `json:"volume_penalty"`
}

func (b *Breakdown) add(o Breakdown) {
	b.PriceYen += o.PriceYen
	b.ProcessingHours += o.ProcessingHours
	b.QueueHours += o.QueueHours
	b.TransportHours += o.TransportHours
	b.TransportYen += o.TransportYen
	b.LoadPenalty += o.LoadPenalty
	b.QualityPenalty += o.QualityPenalty
	b.FairnessPenalty += o.FairnessPenalty
	b.VolumePenalty += o.VolumePenalty
}

// Network is the searchable set of candidates, indexed once and reused
// across many Match calls. It is safe for concurrent use by Match.
type Network struct {
	cands  []*Candidate
	info   []candInfo
	byProc map[string]*procIndex
	t      Transport
	pool   sync.Pool // of *scratch
}

// procIndex is the index of one process: the candidates whose profile
// offers it and, for each, its machines that satisfy it, laid out flat.
type procIndex struct {
	cands []int32 // ascending
	start []int32 // cands[i]'s machines are mach[start[i]:start[i+1]]
	mach  []machRec
}

type machRec struct {
	env     nakamawashi.Envelope
	tol, ra float64
	count   int
	m       *nakamawashi.Machine
}

// bits is a set of vocabulary entries (materials, certifications).
type bits []uint64

func (b bits) has(i int) bool { return i >= 0 && i/64 < len(b) && b[i/64]&(1<<(i%64)) != 0 }

func (b *bits) set(i int) {
	for len(*b) <= i/64 {
		*b = append(*b, 0)
	}
	(*b)[i/64] |= 1 << (i % 64)
}

var materialBit, certBit = map[string]int{}, map[string]int{}

func init() {
	for i, m := range nakamawashi.Materials() {
		materialBit[m.Code] = i
	}
	for i, c := range nakamawashi.Certifications() {
		certBit[c.Code] = i
	}
}

// codeBits returns the set of the codes known to index.
func codeBits(codes []string, index map[string]int) bits {
	var b bits
	for _, c := range codes {
		if i, ok := index[c]; ok {
			b.set(i)
		}
	}
	return b
}

// candInfo is what Match needs of a candidate, precomputed.
type candInfo struct {
	id      int64
	name    string
	vec     [3]float64 // unit vector of the location, for fast distances
	weekly  float64    // capacity hours a week
	rate    float64    // yen an hour; 0: the process group's default
	volume  bool       // lists volume lots
	mats    bits       // materials listed
	certs   bits       // certifications held
	profile *nakamawashi.Profile
}

// DefaultWeeklyHours is the capacity assumed for a profile that gives none.
const DefaultWeeklyHours = 40

// NewNetwork indexes the candidates. Candidates that are not suppliers
// (members and regional partners) are left out; so are duplicates of a
// company id (the first is kept). A zero Transport means DefaultTransport.
func NewNetwork(cands []*Candidate, t Transport) *Network {
	if t == (Transport{}) {
		t = DefaultTransport
	}
	if !(t.KMPerHour > 0) {
		t.KMPerHour = DefaultTransport.KMPerHour
	}
	// The pruning needs legs that cost something or nothing, never less.
	for _, v := range []*float64{&t.BaseHours, &t.BaseYen, &t.YenPerKM} {
		if !(*v >= 0) {
			*v = 0
		}
	}
	n := &Network{t: t, byProc: map[string]*procIndex{}}
	for _, c := range cands {
		if c == nil || c.Supplier == nil || c.Supplier.Company == nil || !c.Supplier.Company.Kind.Supplier() {
			continue
		}
		n.cands = append(n.cands, c)
	}
	slices.SortStableFunc(n.cands, func(a, b *Candidate) int { return cmp.Compare(a.Supplier.Company.ID, b.Supplier.Company.ID) })
	n.cands = slices.CompactFunc(n.cands, func(a, b *Candidate) bool { return a.Supplier.Company.ID == b.Supplier.Company.ID })
	n.info = make([]candInfo, len(n.cands))
	for i, c := range n.cands {
		p := c.Supplier.Profile
		if p == nil {
			p = &nakamawashi.Profile{CompanyID: c.Supplier.Company.ID}
		}
		in := candInfo{
			id: c.Supplier.Company.ID, name: c.Supplier.Company.Name,
			vec: unit(c.Location), weekly: float64(p.CapacityHours), rate: float64(p.HourlyRate),
			volume: slices.Contains(p.LotSizes, nakamawashi.LotVolume), profile: p,
			mats: codeBits(p.Materials, materialBit), certs: codeBits(p.Certifications, certBit),
		}
		if in.weekly <= 0 {
			in.weekly = DefaultWeeklyHours
		}
		n.info[i] = in
	}
	for _, pr := range nakamawashi.Processes() {
		x := &procIndex{start: []int32{0}}
		for i := range n.info {
			if !n.info[i].profile.Offers(pr.Code) {
				continue
			}
			x.cands = append(x.cands, int32(i))
			for _, m := range n.cands[i].Supplier.Machines {
				if m != nil && nakamawashi.ProcessSatisfies(m.Process, pr.Code) {
					x.mach = append(x.mach, machRec{env: m.Envelope, tol: m.ToleranceUM, ra: m.RoughnessRa, count: max(m.Count, 1), m: m})
				}
			}
			x.start = append(x.start, int32(len(x.mach)))
		}
		n.byProc[pr.Code] = x
	}
	return n
}

// Len returns the number of candidates in the network.
func (n *Network) Len() int { return len(n.cands) }

// FromSuppliers builds candidates from store records: the location from
// nakamawashi.Location and Regional from net.IsRegional. Load, quality and
// share are left unknown for the caller to fill in.
func FromSuppliers(sups []*nakamawashi.Supplier, net nakamawashi.Network) []*Candidate {
	out := make([]*Candidate, 0, len(sups))
	for _, s := range sups {
		if s == nil || s.Company == nil || !s.Company.Kind.Supplier() {
			continue
		}
		ll, _ := nakamawashi.Location(s.Company, s.Profile)
		out = append(out, &Candidate{Supplier: s, Location: ll, Regional: net.IsRegional(s.Company)})
	}
	return out
}

// earthRadiusKM matches nakamawashi.DistanceKM.
const earthRadiusKM = 6371.0

func unit(p nakamawashi.LatLon) [3]float64 {
	la, lo := p.Lat*math.Pi/180, p.Lon*math.Pi/180
	return [3]float64{math.Cos(la) * math.Cos(lo), math.Cos(la) * math.Sin(lo), math.Sin(la)}
}

// dist is the great-circle distance between unit vectors: the same as
// nakamawashi.DistanceKM up to rounding, without the trigonometry of the
// haversine.
func dist(a, b *[3]float64) float64 {
	x, y, z := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	c := math.Sqrt(x*x+y*y+z*z) / 2
	if c >= 1 {
		return math.Pi * earthRadiusKM
	}
	return 2 * earthRadiusKM * math.Asin(c)
}

// Match returns the best Options.K chains for the routing and, per step,
// the candidates that were excluded and why. A routing that no chain can
// take gets an empty Chains, not an error. Invalid input is an EINVALID
// *nakamawashi.Error naming the fields.
func (n *Network) Match(ctx context.Context, r *Routing, opt Options) (*Result, error) {
	p, err := n.prepare(ctx, r, opt)
	if err != nil {
		return nil, err
	}
	defer p.release()
	paths, err := p.kbest(ctx)
	if err != nil {
		return nil, err
	}
	res := &Result{Chains: []Chain{}, Steps: p.reports}
	for i, f := range paths {
		res.Chains = append(res.Chains, p.chain(i+1, f))
	}
	return res, nil
}

// Validate checks the routing: at least one and at most MaxSteps steps, known
// codes, sane numbers, a quantity of at least 1, a due date after the start.
func (r *Routing) Validate() error {
	pr := nakamawashi.Problems{}
	if len(r.Steps) == 0 {
		pr.Add("steps", "err.match.steps")
	} else if len(r.Steps) > MaxSteps {
		pr.Add("steps", "err.match.steps_max", MaxSteps)
	}
	for i := range r.Steps {
		if i >= MaxSteps {
			break
		}
		s := &r.Steps[i]
		f := func(name string) string { return "steps." + itoa(i) + "." + name }
		if _, ok := nakamawashi.ProcessByCode(s.Process); !ok {
			pr.Add(f("process"), "err.match.process", s.Process)
		}
		if _, ok := nakamawashi.MaterialByCode(s.Material); s.Material != "" && !ok {
			pr.Add(f("material"), "err.match.material", s.Material)
		}
		for _, c := range s.Certifications {
			if _, ok := nakamawashi.CertificationByCode(c); !ok {
				pr.Add(f("certifications"), "err.match.certification", c)
			}
		}
		if !validPart(s.Part) {
			pr.Add(f("part"), "err.match.part", 100000)
		}
		for name, v := range map[string]float64{"tolerance_um": s.ToleranceUM, "roughness_ra": s.RoughnessRa, "setup_hours": s.SetupHours, "cycle_minutes": s.CycleMinutes} {
			if math.IsNaN(v) || v < 0 || v > 10000 {
				pr.Add(f(name), "err.match.number", 10000)
			}
		}
	}
	if r.Quantity < 1 || r.Quantity > MaxQuantity {
		pr.Add("quantity", "err.match.quantity", MaxQuantity)
	}
	for name, p := range map[string]*nakamawashi.LatLon{"origin": r.Origin, "destination": r.Destination} {
		if p != nil && (math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180) {
			pr.Add(name, "err.match.number", 180)
		}
	}
	// Start and due stay within reach of the calendar, so that a chain's
	// finish (start plus at most a few centuries of hours) is a time that
	// JSON and the database can hold.
	for name, t := range map[string]time.Time{"start": r.Start, "due": r.Due} {
		if !t.IsZero() && (t.Year() < MinYear || t.Year() > MaxYear) {
			pr.Add(name, "err.match.date", MinYear, MaxYear)
		}
	}
	if !r.Due.IsZero() && !r.Start.IsZero() && !r.Due.After(r.Start) {
		pr.Add("due", "err.match.due")
	}
	return pr.Err()
}

func validPart(e nakamawashi.Envelope) bool {
	if e.IsZero() {
		return true
	}
	in := func(v float64) bool { return !math.IsNaN(v) && v > 0 && v <= 100000 }
	switch e.Shape {
	case nakamawashi.ShapeBox:
		return in(e.X) && in(e.Y) && in(e.Z)
	case nakamawashi.ShapeRound:
		return in(e.D) && in(e.L)
	}
	return false
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
