package match

import (
	"context"
	"fmt"
	"math"
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
// The breakdown is recomputed (breakdown) only for the nodes of the chains
// returned, which keeps the layers small.
type node struct {
	cand    int32
	machine int64
	hours   float64 // work hours
	cost    float64 // the step's score, with the leg from the origin on the first step and to the destination on the last
}

// layer is the eligible candidates of one step, in candidate order.
type layer struct {
	nodes []node
	est   stepEst
	weeks float64
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
	sc                *scratch
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
	if !(p.w.YenPerHour >= 0) {
		p.w.YenPerHour = 0 // a leg must not pay for itself: the pruning counts on it
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
	p.sc, _ = n.pool.Get().(*scratch)
	if p.sc == nil {
		p.sc = &scratch{}
	}
	for l := range r.Steps {
		if err := ctx.Err(); err != nil {
			p.release()
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
	material     int     // bit of the material; -1: any
	certs        []int   // bits of the certifications
}

func (p *problem) estimate(l int) stepEst {
	s := &p.r.Steps[l]
	pr, _ := nakamawashi.ProcessByCode(s.Process)
	d := groupDefaults[pr.Group]
	e := stepEst{s: s, proc: pr, setup: s.SetupHours, cycle: s.CycleMinutes, rate: d.rate, material: -1}
	if s.Material != "" {
		e.material = materialBit[s.Material]
	}
	for _, c := range s.Certifications {
		e.certs = append(e.certs, certBit[c])
	}
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

// check applies the hard constraints of step e to the i-th candidate of
// the step's index x. It returns -1, the suitable machines (count and the
// first one's id) and the step's work hours when the candidate may take
// the step; otherwise the reason (an index into reasons), and with detail
// set a sentence saying why.
func (p *problem) check(e *stepEst, x *procIndex, i int, weeks float64, detail bool) (reason int8, why string, count int, machine int64, hours float64) {
	c := x.cands[i]
	in := &p.n.info[c]
	s := e.s
	if e.material >= 0 && !in.mats.has(e.material) {
		if detail {
			why = "does not list material " + s.Material
		}
		return 1, why, 0, 0, 0
	}
	if e.proc.Kind == nakamawashi.MachineProcess {
		best, bestM := int8(-1), (*machRec)(nil)
		ms := x.mach[x.start[i]:x.start[i+1]]
		for j := range ms {
			m := &ms[j]
			stage := int8(2)
			switch {
			case !m.env.Fits(s.Part):
			case s.ToleranceUM > 0 && (m.tol <= 0 || m.tol > s.ToleranceUM):
				stage = 3
			case s.RoughnessRa > 0 && (m.ra <= 0 || m.ra > s.RoughnessRa):
				stage = 4
			default:
				stage = 5
				if count == 0 {
					machine = m.m.ID
				}
				count += m.count
			}
			if stage > best {
				best, bestM = stage, m
			}
		}
		if count == 0 {
			if detail {
				switch best {
				case -1:
					why = "has no machine for " + s.Process
				case 2:
					why = fmt.Sprintf("envelope %s of machine %d does not fit part %s", envText(bestM.env), bestM.m.ID, envText(s.Part))
				case 3:
					why = fmt.Sprintf("best tolerance %s does not reach ±%g µm", umText(bestM.tol, "±", "µm"), s.ToleranceUM)
				default:
					why = fmt.Sprintf("best roughness %s does not reach Ra %g", umText(bestM.ra, "Ra ", ""), s.RoughnessRa)
				}
			}
			return max(best, 0), why, 0, 0, 0
		}
	}
	for j, cert := range e.certs {
		if !in.certs.has(cert) {
			if detail {
				why = "lacks certification " + s.Certifications[j]
			}
			return 5, why, 0, 0, 0
		}
	}
	hours = e.hours(p.r.Quantity, count)
	load := p.n.cands[c].LoadHours
	avail := in.weekly * weeks
	if load+hours > avail {
		if detail {
			why = fmt.Sprintf("load %.1f h + this step %.1f h exceeds %.1f h available", load, hours, avail)
		}
		return 6, why, 0, 0, 0
	}
	return -1, "", count, machine, hours
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

// breakdown is the cost of node nd taking step l (see doc.go for the
// formulas), with the leg from the origin on the first step.
func (p *problem) breakdown(l int, nd *node) Breakdown {
	e, weeks, c, hours := &p.layers[l].est, p.layers[l].weeks, nd.cand, nd.hours
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
	if l == 0 && p.origin != nil {
		lg := p.leg(0, dist(p.origin, &in.vec))
		b.TransportHours, b.TransportYen = lg.Hours, lg.Yen
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
	return p.n.t.Leg(from, km)
}

// step finds the eligible candidates of step l with their costs, and the
// report of who was excluded.
func (p *problem) step(l int, weeks float64, maxEx int) (layer, StepReport) {
	e := p.estimate(l)
	x := p.n.byProc[e.s.Process]
	ly := layer{est: e, weeks: weeks}
	p.layers[l] = ly             // breakdown needs the estimate
	var ex [len(reasons)][]int32 // the first maxEx of each reason
	var byReason [len(reasons)]int
	rep := StepReport{Step: l, Process: e.s.Process, Excluded: []Exclusion{}, ExcludedByReason: map[Reason]int{}}
	last := l == len(p.r.Steps)-1
	ly.nodes = p.sc.n.get(len(x.cands))[:0]
	for i, c := range x.cands {
		reason, _, _, machine, hours := p.check(&e, x, i, weeks, false)
		if reason >= 0 {
			if ex[reason] == nil {
				ex[reason] = p.sc.i.get(maxEx)[:0]
			}
			if len(ex[reason]) < maxEx {
				ex[reason] = append(ex[reason], int32(i))
			}
			byReason[reason]++
			continue
		}
		nd := node{cand: c, machine: machine, hours: hours}
		bd := p.breakdown(l, &nd)
		nd.cost = p.score(&bd)
		if last && p.dest != nil {
			lg := p.leg(p.n.info[c].id, dist(&p.n.info[c].vec, p.dest))
			nd.cost += lg.Yen + p.w.YenPerHour*lg.Hours
		}
		ly.nodes = append(ly.nodes, nd)
	}
	rep.Eligible = len(ly.nodes)
	byReason[0] += len(p.n.cands) - len(x.cands)
	for r, v := range byReason {
		if v > 0 {
			rep.ExcludedByReason[reasons[r]] = v
			rep.ExcludedTotal += v
		}
	}
	// List the most specific reasons first: they came closest.
	for r := len(reasons) - 1; r >= 0; r-- {
		for _, i := range ex[r] {
			if len(rep.Excluded) >= maxEx {
				break
			}
			reason, why, _, _, _ := p.check(&e, x, int(i), weeks, true)
			rep.Excluded = append(rep.Excluded, p.exclusion(x.cands[i], reasons[reason], why))
		}
	}
	// Then those that do not offer the process at all, by company id.
	j := 0
	for c := int32(0); int(c) < len(p.n.cands) && len(rep.Excluded) < maxEx; c++ {
		for j < len(x.cands) && x.cands[j] < c {
			j++
		}
		if j < len(x.cands) && x.cands[j] == c {
			continue
		}
		rep.Excluded = append(rep.Excluded, p.exclusion(c, ReasonProcess, "does not offer "+e.s.Process))
	}
	return ly, rep
}

func (p *problem) exclusion(c int32, r Reason, why string) Exclusion {
	return Exclusion{CompanyID: p.n.info[c].id, CompanyName: p.n.info[c].name, Reason: r, Detail: why}
}
