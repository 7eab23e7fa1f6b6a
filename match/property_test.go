package match_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/match"
)

// oracle restates the hard constraints and the cost of doc.go without the
// package's code, for the property tests.
type oracle struct {
	r     *match.Routing
	weeks float64
	w     match.Weights
	t     match.Transport
}

// hours returns the work of step s at candidate c and whether c may take it.
func (o *oracle) hours(c *match.Candidate, s *match.Step) (float64, bool) {
	sup := c.Supplier
	if !sup.Company.Kind.Supplier() || !sup.Profile.Offers(s.Process) {
		return 0, false
	}
	if s.Material != "" && !slices.Contains(sup.Profile.Materials, s.Material) {
		return 0, false
	}
	for _, cert := range s.Certifications {
		if !slices.Contains(sup.Profile.Certifications, cert) {
			return 0, false
		}
	}
	count := 1
	if pr, _ := nakamawashi.ProcessByCode(s.Process); pr.Kind == nakamawashi.MachineProcess {
		count = 0
		for _, m := range sup.Machines {
			if nakamawashi.ProcessSatisfies(m.Process, s.Process) && m.Envelope.Fits(s.Part) &&
				(s.ToleranceUM == 0 || (m.ToleranceUM > 0 && m.ToleranceUM <= s.ToleranceUM)) &&
				(s.RoughnessRa == 0 || (m.RoughnessRa > 0 && m.RoughnessRa <= s.RoughnessRa)) {
				count += max(m.Count, 1)
			}
		}
		if count == 0 {
			return 0, false
		}
	}
	h := s.SetupHours + float64(o.r.Quantity)*s.CycleMinutes/60/float64(count)
	return h, c.LoadHours+h <= o.weekly(c)*o.weeks
}

func (o *oracle) weekly(c *match.Candidate) float64 {
	if w := c.Supplier.Profile.CapacityHours; w > 0 {
		return float64(w)
	}
	return 40
}

// stepScore is the score of candidate c doing step s for hours.
func (o *oracle) stepScore(c *match.Candidate, h float64) float64 {
	wk := o.weekly(c)
	f := max(1, 168/wk)
	queue := c.LoadHours*f + h*(f-1)
	u := (c.LoadHours + h) / (wk * o.weeks)
	defect, onTime := 0.01, 0.9
	if q := c.Quality; q != nil && q.Orders > 0 {
		n := float64(q.Orders)
		defect, onTime = (n*q.DefectRate+5*0.01)/(n+5), (n*q.OnTimeRate+5*0.9)/(n+5)
	}
	v := h*float64(c.Supplier.Profile.HourlyRate) + o.w.YenPerHour*(queue+h) + o.w.Load*u*u +
		o.w.Quality*(10*defect+1-onTime) + o.w.Fairness*c.RecentShare
	if o.r.Quantity >= 1000 {
		if !slices.Contains(c.Supplier.Profile.LotSizes, nakamawashi.LotVolume) {
			v += o.w.Volume
		} else if c.Regional {
			v -= 0.2 * o.w.Volume
		}
	}
	return v
}

func (o *oracle) leg(a, b nakamawashi.LatLon) float64 {
	km := nakamawashi.DistanceKM(a, b)
	return o.t.BaseYen + o.t.YenPerKM*km + o.w.YenPerHour*(o.t.BaseHours+km/o.t.KMPerHour)
}

// randomRouting draws a routing whose requirements bite now and then.
func randomRouting(rng *rand.Rand) *match.Routing {
	procs := []string{"turning.nc", "turning.nc", "mc.3axis", "mc.3axis", "mc.5axis", "grinding.cylindrical", "grinding.surface", "edm.wire", "sheet.laser", "sheet.bending", "heat.quench", "plating.electroless_ni", "anodizing", "inspection.cmm", "deburring", "welding.tig"}
	mats := []string{"", "", "S45C", "SUS304", "A5052"}
	r := &match.Routing{Quantity: []int{1, 5, 50, 300, 1200, 5000}[rng.IntN(6)], Start: t0}
	r.Due = t0.Add(time.Duration(3+rng.IntN(40)) * 24 * time.Hour)
	if rng.IntN(3) == 0 {
		r.Due = time.Time{}
	}
	if rng.IntN(2) == 0 {
		r.Origin = &nakamawashi.LatLon{Lat: 35.5 + rng.Float64(), Lon: 139.5 + rng.Float64()}
	}
	if rng.IntN(2) == 0 {
		r.Destination = &nakamawashi.LatLon{Lat: 35 + rng.Float64(), Lon: 139 + rng.Float64()}
	}
	for range 1 + rng.IntN(3) {
		s := match.Step{Process: procs[rng.IntN(len(procs))], Material: mats[rng.IntN(len(mats))], SetupHours: 0.5 + 3*rng.Float64(), CycleMinutes: 0.1 + 10*rng.Float64()}
		if rng.IntN(3) == 0 {
			s.ToleranceUM = float64(2 + rng.IntN(15))
		}
		if rng.IntN(4) == 0 {
			s.RoughnessRa = []float64{0.2, 0.4, 1.6}[rng.IntN(3)]
		}
		if rng.IntN(5) == 0 {
			s.Certifications = []string{"ISO9001"}
		}
		switch rng.IntN(3) {
		case 0:
			s.Part = nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: float64(20 + rng.IntN(300)), L: float64(50 + rng.IntN(600))}
		case 1:
			s.Part = nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: float64(20 + rng.IntN(900)), Y: float64(20 + rng.IntN(400)), Z: float64(10 + rng.IntN(300))}
		}
		r.Steps = append(r.Steps, s)
	}
	return r
}

// TestPropertyHardConstraints: over random networks and routings, every
// step of every chain passes every hard constraint, eligibility counts
// agree with the oracle, and the chains are exactly the k best by brute
// force over all chains (when there are few enough to enumerate).
func TestPropertyHardConstraints(t *testing.T) {
	rng := rand.New(rand.NewPCG(20260511, 1))
	ctx := context.Background()
	brute, bounded, bounded3 := 0, 0, 0
	for iter := range 300 {
		size := 20 + rng.IntN(400)
		if iter%6 == 0 {
			size = []int{400 + rng.IntN(200), 800 + rng.IntN(500)}[iter%12/6]
		}
		cands := match.Generate(rng, size)
		for _, c := range cands {
			if c.Supplier.Profile.HourlyRate == 0 {
				c.Supplier.Profile.HourlyRate = 5500 // keep the oracle free of group defaults
			}
			if rng.IntN(20) == 0 {
				c.Supplier.Company.Kind = nakamawashi.KindCustomer
			}
		}
		net := match.NewNetwork(cands, match.Transport{})
		r := randomRouting(rng)
		if iter%6 == 0 {
			// Many candidates per step, so that the bounding pass runs.
			r.Steps = make([]match.Step, 3)
			for i := range r.Steps {
				r.Steps[i] = match.Step{Process: []string{"turning.nc", "mc.3axis", "deburring", "inspection.cmm"}[rng.IntN(4)], SetupHours: 1, CycleMinutes: 1 + rng.Float64()}
			}
			if size > 600 {
				r.Steps = r.Steps[:min(len(r.Steps), 2)]
			}
		}
		k := 1 + rng.IntN(8)
		res, err := net.Match(ctx, r, match.Options{K: k})
		if err != nil {
			t.Fatalf("iter %d: %v", iter, err)
		}
		weeks := 2.0
		if !r.Due.IsZero() {
			weeks = r.Due.Sub(r.Start).Hours() / 168
		}
		o := &oracle{r: r, weeks: weeks, w: match.DefaultWeights, t: match.DefaultTransport}
		byID := map[int64]*match.Candidate{}
		for _, c := range cands {
			byID[c.Supplier.Company.ID] = c
		}
		// Eligible candidates per step, by the oracle.
		type el struct {
			c     *match.Candidate
			score float64
		}
		elig := make([][]el, len(r.Steps))
		for l := range r.Steps {
			for _, c := range cands {
				if h, ok := o.hours(c, &r.Steps[l]); ok {
					v := o.stepScore(c, h)
					if l == 0 && r.Origin != nil {
						v += o.leg(*r.Origin, c.Location)
					}
					if l == len(r.Steps)-1 && r.Destination != nil {
						v += o.leg(c.Location, *r.Destination)
					}
					elig[l] = append(elig[l], el{c, v})
				}
			}
			if got := res.Steps[l].Eligible; got != len(elig[l]) {
				t.Fatalf("iter %d step %d: %d eligible, oracle says %d", iter, l, got, len(elig[l]))
			}
		}
		for _, ch := range res.Chains {
			b, w := ch.Cost, o.w
			sum := b.PriceYen + w.YenPerHour*(b.ProcessingHours+b.QueueHours+b.TransportHours) + b.TransportYen + b.LoadPenalty + b.QualityPenalty + b.FairnessPenalty + b.VolumePenalty
			if math.Abs(sum-ch.Score) > 1e-6*math.Max(1, math.Abs(sum)) {
				t.Fatalf("iter %d: chain %d scores %v, its breakdown %v", iter, ch.Rank, ch.Score, sum)
			}
			for l, cs := range ch.Steps {
				c := byID[cs.CompanyID]
				h, ok := o.hours(c, &r.Steps[l])
				if !ok {
					t.Fatalf("iter %d: chain %d step %d takes company %d, which breaks a hard constraint", iter, ch.Rank, l, cs.CompanyID)
				}
				if math.Abs(h-cs.Cost.ProcessingHours) > 1e-9 {
					t.Fatalf("iter %d: processing %v h, oracle %v h", iter, cs.Cost.ProcessingHours, h)
				}
			}
		}
		// Brute force over every chain.
		total := 1
		for _, e := range elig {
			total *= len(e)
		}
		if total > 2000000 {
			continue
		}
		brute++
		nodes := 0
		for _, e := range elig {
			nodes += len(e)
		}
		if nodes > 64*len(elig) {
			bounded++
			if len(elig) > 2 {
				bounded3++
			}
		}
		// Legs between consecutive steps, computed once.
		legs := make([][][]float64, len(elig))
		for l := 1; l < len(elig); l++ {
			legs[l] = make([][]float64, len(elig[l-1]))
			for i, a := range elig[l-1] {
				legs[l][i] = make([]float64, len(elig[l]))
				for j, b := range elig[l] {
					if a.c != b.c {
						legs[l][i][j] = o.leg(a.c.Location, b.c.Location)
					}
				}
			}
		}
		var all []float64
		var walk func(l, prev int, acc float64)
		walk = func(l, prev int, acc float64) {
			if l == len(elig) {
				if len(all) < k || acc < all[len(all)-1] {
					if len(all) == k {
						all = all[:k-1]
					}
					i, _ := slices.BinarySearch(all, acc)
					all = slices.Insert(all, i, acc)
				}
				return
			}
			for j, e := range elig[l] {
				v := acc + e.score
				if l > 0 {
					v += legs[l][prev][j]
				}
				walk(l+1, j, v)
			}
		}
		walk(0, -1, 0)
		want := all
		if len(res.Chains) != len(want) {
			t.Fatalf("iter %d: %d chains, brute force %d", iter, len(res.Chains), len(want))
		}
		for i, ch := range res.Chains {
			if math.Abs(ch.Score-want[i]) > 1e-6*math.Max(1, math.Abs(want[i])) {
				t.Fatalf("iter %d: chain %d scores %.6f, brute force %.6f (all %v)", iter, i+1, ch.Score, want[i], want)
			}
		}
	}
	if brute < 200 || bounded < 20 || bounded3 < 5 {
		t.Errorf("only %d cases checked by brute force, %d of them past the bounding pass (%d with 3 steps)", brute, bounded, bounded3)
	}
	t.Logf("%d cases checked by brute force, %d of them past the bounding pass (%d with 3 steps)", brute, bounded, bounded3)
}
