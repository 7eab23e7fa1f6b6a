package match

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// groupDefault holds the estimates used when a step gives no setup or cycle
// time and a profile no hourly rate: typical figures of small Japanese job
// shops (チャージ ¥4,500–9,000 an hour).
type groupDefault struct {
	setupHours, cycleMinutes, rate float64
}

var groupDefaults = map[string]groupDefault{
	"turning":    {1.5, 6, 6000},
	"milling":    {2, 12, 7000},
	"grinding":   {1.5, 8, 7000},
	"edm":        {2, 30, 8000},
	"sheet":      {1, 2, 6000},
	"welding":    {1, 10, 6000},
	"heat":       {2, 0.5, 5000},
	"surface":    {1, 0.5, 5000},
	"forming":    {4, 0.5, 7000},
	"additive":   {1, 60, 9000},
	"inspection": {0.5, 5, 6000},
	"assembly":   {0.5, 10, 4500},
}

// DefaultHorizon is the planning horizon for capacity when the routing has
// no due date.
const DefaultHorizon = 14 * 24 * time.Hour

// node is a candidate that may take a step, with the step's unary cost.
type node struct {
	cand    int32
	machine int64
	bd      Breakdown // the step itself, with the leg from the origin on the first step
	cost    float64   // the score of bd plus, on the last step, the delivery leg
}

// layer is the eligible candidates of one step, in candidate order.
type layer struct {
	nodes []node
}

// problem is one Match call after validation: the layers of the graph and
// what turns distance into score.
type problem struct {
	n       *Network
	r       *Routing
	k       int
	w       Weights
	start   time.Time
	layers  []layer
	reports []StepReport
	// A leg between different companies scores legBase + legPerKM × km.
	legBase, legPerKM float64
	origin, dest      *[3]float64
	dpl               []dpLayer // the last k-best pass, for building chains
}

func (n *Network) prepare(ctx context.Context, r *Routing, opt Options) (*problem, error) {
	if r == nil {
		r = &Routing{}
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	p := &problem{n: n, r: r, k: opt.K, w: opt.Weights, start: r.Start}
	if p.k <= 0 {
		p.k = 5
	} else if p.k > 100 {
		p.k = 100
	}
	if p.w == (Weights{}) {
		p.w = DefaultWeights
	}
	if p.start.IsZero() {
		p.start = opt.Now
	}
	if p.start.IsZero() {
		p.start = time.Now()
	}
	horizon := DefaultHorizon
	if !r.Due.IsZero() {
		horizon = r.Due.Sub(p.start)
		if horizon <= 0 {
			pr := nakamawashi.Problems{}
			pr.Add("due", "err.match.due")
			return nil, pr.Err()
		}
	}
	weeks := horizon.Hours() / (7 * 24)
	maxEx := opt.MaxExcluded
	if maxEx <= 0 {
		maxEx = 50
	}
	t := n.t
	p.legBase = t.BaseYen + p.w.YenPerHour*t.BaseHours
	p.legPerKM = t.YenPerKM + p.w.YenPerHour/t.KMPerHour
	if r.Origin != nil {
		v := unit(*r.Origin)
		p.origin = &v
	}
	if r.Destination != nil {
		v := unit(*r.Destination)
		p.dest = &v
	}
	p.layers = make([]layer, len(r.Steps))
	p.reports = make([]StepReport, len(r.Steps))
	for l := range r.Steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p.layers[l], p.reports[l] = p.step(l, weeks, maxEx)
	}
	return p, nil
}

// stepEst is a step's estimate before the company is known.
type stepEst struct {
	s            *Step
	proc         nakamawashi.Process
	setup, cycle float64 // hours, minutes a piece
	rate         float64 // default yen an hour
}

func (p *problem) estimate(l int) stepEst {
	s := &p.r.Steps[l]
	pr, _ := nakamawashi.ProcessByCode(s.Process)
	d := groupDefaults[pr.Group]
	e := stepEst{s: s, proc: pr, setup: s.SetupHours, cycle: s.CycleMinutes, rate: d.rate}
	if e.setup == 0 {
		e.setup = d.setupHours
	}
	if e.cycle == 0 {
		e.cycle = d.cycleMinutes
	}
	if e.rate == 0 {
		e.rate = 6000
	}
	return e
}

// hours is the work a step takes at a shop with count suitable machines.
func (e *stepEst) hours(qty int, count int) float64 {
	if count < 1 {
		count = 1
	}
	return e.setup + float64(qty)*e.cycle/60/float64(count)
}

// check applies the hard constraints of step e to candidate c. It returns
// "" and the suitable machines (count and first id) when c may take the
// step; otherwise the reason, and with detail set a sentence saying why.
func (p *problem) check(e *stepEst, c int32, weeks float64, detail bool) (reason Reason, why string, count int, machine int64, hours float64) {
	in := &p.n.info[c]
	s := e.s
	if !in.profile.Offers(s.Process) {
		if detail {
			why = "does not offer " + s.Process
		}
		return ReasonProcess, why, 0, 0, 0
	}
	if s.Material != "" && !slices.Contains(in.profile.Materials, s.Material) {
		if detail {
			why = "does not list material " + s.Material
		}
		return ReasonMaterial, why, 0, 0, 0
	}
	if e.proc.Kind == nakamawashi.MachineProcess {
		best, bestM := -1, (*nakamawashi.Machine)(nil)
		for _, m := range in.machines {
			if !nakamawashi.ProcessSatisfies(m.Process, s.Process) {
				continue
			}
			stage := 0
			switch {
			case !m.Envelope.Fits(s.Part):
			case s.ToleranceUM > 0 && (m.ToleranceUM <= 0 || m.ToleranceUM > s.ToleranceUM):
				stage = 1
			case s.RoughnessRa > 0 && (m.RoughnessRa <= 0 || m.RoughnessRa > s.RoughnessRa):
				stage = 2
			default:
				stage = 3
				if count == 0 {
					machine = m.ID
				}
				count += max(m.Count, 1)
			}
			if stage > best {
				best, bestM = stage, m
			}
		}
		if count == 0 {
			switch best {
			case -1:
				if detail {
					why = "has no machine for " + s.Process
				}
				return ReasonProcess, why, 0, 0, 0
			case 0:
				if detail {
					why = fmt.Sprintf("envelope %s of machine %d does not fit part %s", envText(bestM.Envelope), bestM.ID, envText(s.Part))
				}
				return ReasonEnvelope, why, 0, 0, 0
			case 1:
				if detail {
					why = fmt.Sprintf("best tolerance %s does not reach ±%g µm", umText(bestM.ToleranceUM, "±", "µm"), s.ToleranceUM)
				}
				return ReasonTolerance, why, 0, 0, 0
			default:
				if detail {
					why = fmt.Sprintf("best roughness %s does not reach Ra %g", umText(bestM.RoughnessRa, "Ra ", ""), s.RoughnessRa)
				}
				return ReasonRoughness, why, 0, 0, 0
			}
		}
	}
	for _, cert := range s.Certifications {
		if !slices.Contains(in.profile.Certifications, cert) {
			if detail {
				why = "lacks certification " + cert
			}
			return ReasonCertification, why, 0, 0, 0
		}
	}
	hours = e.hours(p.r.Quantity, count)
	load := p.n.cands[c].LoadHours
	avail := in.weekly * weeks
	if load+hours > avail {
		if detail {
			why = fmt.Sprintf("load %.1f h + this step %.1f h exceeds %.1f h available", load, hours, avail)
		}
		return ReasonCapacity, why, 0, 0, 0
	}
	return "", "", count, machine, hours
}

func envText(e nakamawashi.Envelope) string {
	if e.Shape == nakamawashi.ShapeRound {
		return fmt.Sprintf("φ%g×%g", e.D, e.L)
	}
	return fmt.Sprintf("%g×%g×%g", e.X, e.Y, e.Z)
}

func umText(v float64, prefix, unit string) string {
	if v <= 0 {
		return "unknown"
	}
	return strings.TrimSpace(fmt.Sprintf("%s%g %s", prefix, v, unit))
}

// stepCost is the unary cost of candidate c taking step l with the given
// work hours (see doc.go for the formulas).
func (p *problem) stepCost(e *stepEst, c int32, hours, weeks float64) Breakdown {
	in := &p.n.info[c]
	cand := p.n.cands[c]
	rate := in.rate
	if rate <= 0 {
		rate = e.rate
	}
	f := max(1, 168/in.weekly) // calendar hours per work hour
	load := max(cand.LoadHours, 0)
	b := Breakdown{
		PriceYen:        hours * rate,
		ProcessingHours: hours,
		QueueHours:      load*f + hours*(f-1),
	}
	u := (load + hours) / (in.weekly * weeks)
	b.LoadPenalty = p.w.Load * u * u
	// Quality: the record shrunk towards a prior of 1% defects and 90% on
	// time with the weight of five orders, so that one lucky order does not
	// beat a long good record and an unknown shop is average.
	const priorN, priorDefect, priorOnTime = 5.0, 0.01, 0.9
	defect, onTime := priorDefect, priorOnTime
	if q := cand.Quality; q != nil && q.Orders > 0 {
		n := float64(q.Orders)
		defect = (n*clamp01(q.DefectRate) + priorN*priorDefect) / (n + priorN)
		onTime = (n*clamp01(q.OnTimeRate) + priorN*priorOnTime) / (n + priorN)
	}
	b.QualityPenalty = p.w.Quality * (10*defect + (1 - onTime))
	b.FairnessPenalty = p.w.Fairness * clamp01(cand.RecentShare)
	if nakamawashi.LotSizeOf(p.r.Quantity) == nakamawashi.LotVolume {
		switch {
		case !in.volume:
			b.VolumePenalty = p.w.Volume
		case cand.Regional:
			b.VolumePenalty = -0.2 * p.w.Volume
		}
	}
	return b
}

func clamp01(v float64) float64 {
	if math.IsNaN(v) || v < 0 {
		return 0
	}
	return min(v, 1)
}

// score turns a breakdown into yen.
func (p *problem) score(b *Breakdown) float64 {
	return b.PriceYen + p.w.YenPerHour*(b.ProcessingHours+b.QueueHours+b.TransportHours) + b.TransportYen +
		b.LoadPenalty + b.QualityPenalty + b.FairnessPenalty + b.VolumePenalty
}

// leg is the transport over km between two different places.
func (p *problem) leg(from int64, km float64) Leg {
	t := p.n.t
	return Leg{FromCompanyID: from, KM: km, Hours: t.BaseHours + km/t.KMPerHour, Yen: t.BaseYen + t.YenPerKM*km}
}

type excluded struct {
	cand   int32
	reason int8
}

// step finds the eligible candidates of step l with their costs, and the
// report of who was excluded.
func (p *problem) step(l int, weeks float64, maxEx int) (layer, StepReport) {
	e := p.estimate(l)
	idx := p.n.byProc[e.s.Process]
	var ly layer
	var ex []excluded
	rep := StepReport{Step: l, Process: e.s.Process, Excluded: []Exclusion{}, ExcludedByReason: map[Reason]int{}}
	last := l == len(p.r.Steps)-1
	for _, c := range idx {
		reason, _, _, machine, hours := p.check(&e, c, weeks, false)
		if reason != "" {
			ex = append(ex, excluded{c, int8(slices.Index(reasons[:], reason))})
			rep.ExcludedByReason[reason]++
			continue
		}
		nd := node{cand: c, machine: machine, bd: p.stepCost(&e, c, hours, weeks)}
		if l == 0 && p.origin != nil {
			lg := p.leg(0, dist(p.origin, &p.n.info[c].vec))
			nd.bd.TransportHours, nd.bd.TransportYen = lg.Hours, lg.Yen
		}
		nd.cost = p.score(&nd.bd)
		if last && p.dest != nil {
			lg := p.leg(p.n.info[c].id, dist(&p.n.info[c].vec, p.dest))
			nd.cost += lg.Yen + p.w.YenPerHour*lg.Hours
		}
		ly.nodes = append(ly.nodes, nd)
	}
	rep.Eligible = len(ly.nodes)
	if none := len(p.n.cands) - len(idx); none > 0 {
		rep.ExcludedByReason[ReasonProcess] += none
	}
	for _, v := range rep.ExcludedByReason {
		rep.ExcludedTotal += v
	}
	// List the most specific reasons first: they came closest.
	slices.SortFunc(ex, func(a, b excluded) int {
		if c := cmp.Compare(b.reason, a.reason); c != 0 {
			return c
		}
		return cmp.Compare(a.cand, b.cand)
	})
	for _, x := range ex {
		if len(rep.Excluded) >= maxEx {
			break
		}
		reason, why, _, _, _ := p.check(&e, x.cand, weeks, true)
		rep.Excluded = append(rep.Excluded, p.exclusion(x.cand, reason, why))
	}
	// Then those that do not offer the process at all, by company id.
	j := 0
	for c := int32(0); int(c) < len(p.n.cands) && len(rep.Excluded) < maxEx; c++ {
		for j < len(idx) && idx[j] < c {
			j++
		}
		if j < len(idx) && idx[j] == c {
			continue
		}
		rep.Excluded = append(rep.Excluded, p.exclusion(c, ReasonProcess, "does not offer "+e.s.Process))
	}
	return ly, rep
}

func (p *problem) exclusion(c int32, r Reason, why string) Exclusion {
	return Exclusion{CompanyID: p.n.info[c].id, CompanyName: p.n.info[c].name, Reason: r, Detail: why}
}
