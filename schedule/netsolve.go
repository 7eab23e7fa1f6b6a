package schedule

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// PlanOptions control PlanNetwork, Replan and Promise.
type PlanOptions struct {
	// Seed makes the search reproducible together with MaxIterations and
	// Workers.
	Seed int64
	// TimeLimit stops the improvement after this long from the start.
	TimeLimit time.Duration
	// MaxIterations stops each worker after this many plans tried.
	MaxIterations int64
	// Workers is the number of search threads; 0 means GOMAXPROCS.
	Workers int
}

// A PlanResult is the best plan found and how the search went.
type PlanResult struct {
	Plan       *Plan
	Initial    Score         // of the first feasible plan
	First      time.Duration // from the start to the first feasible plan
	TimeToBest time.Duration
	Elapsed    time.Duration
	Iterations int64 // plans tried by the improvement
}

// PlanNetwork plans the network: a first feasible plan by dispatching,
// then improvement by local search until a limit or ctx is done (an
// anytime search; cancelling returns the best plan so far). Without a time
// limit, an iteration limit or a deadline on ctx it returns the first plan.
//
// The first plan is the best of three dispatching rules: serial schedule
// generation that takes, among the orders' next steps, the one with the
// least key, and puts it into the earliest gap of the shop calendars where
// it ends first among its eligible resources. The keys are the operation
// due dates (the order's due date less the least work still to do), the
// same divided by the weight, and the order's due date. The improvement
// changes keys and resource choices, mostly of the steps of late orders,
// decodes and keeps changes that are no worse.
func PlanNetwork(ctx context.Context, nw *Network, opt PlanOptions) (*PlanResult, error) {
	start := time.Now()
	m, err := compile(nw)
	if err != nil {
		return nil, err
	}
	keys, err := m.initialKeys()
	if err != nil {
		return nil, err
	}
	return m.improve(ctx, start, keys, nil, opt)
}

// initialKeys returns the keys of the best dispatching rule.
func (m *model) initialKeys() ([]float64, error) {
	n := len(m.ordOf)
	var best []float64
	var bestScore Score
	b := m.newBoard()
	out := m.newSteps()
	for rule := range 3 {
		keys := make([]float64, n)
		for v := range n {
			o := &m.nw.Orders[m.ordOf[v]]
			switch rule {
			case 0:
				keys[v] = float64(o.Due - m.tail[v])
			case 1:
				keys[v] = float64(o.Due-m.tail[v]) / o.weight()
			case 2:
				keys[v] = float64(o.Due)
			}
		}
		if err := m.decode(b, keys, nil, out); err != nil {
			return nil, err
		}
		sc, _ := m.nw.score(out)
		if best == nil || m.nw.Objective.Better(sc, bestScore) {
			best, bestScore = keys, sc
		}
	}
	return best, nil
}

func (m *model) newSteps() [][]Placement {
	out := make([][]Placement, len(m.ops))
	for o := range out {
		out[o] = make([]Placement, len(m.ops[o]))
	}
	return out
}

func (m *model) plan(steps [][]Placement) *Plan {
	p := &Plan{Steps: m.newSteps()}
	for o := range steps {
		copy(p.Steps[o], steps[o])
	}
	p.Score, p.Tardy = m.nw.score(p.Steps)
	return p
}

// improve decodes keys and forced, then searches from there.
func (m *model) improve(ctx context.Context, start time.Time, keys []float64, forced []int32, opt PlanOptions) (*PlanResult, error) {
	if forced == nil {
		forced = make([]int32, len(keys))
		for i := range forced {
			forced[i] = -1
		}
	}
	b := m.newBoard()
	out := m.newSteps()
	if err := m.decode(b, keys, forced, out); err != nil {
		return nil, err
	}
	first := m.plan(out)
	res := &PlanResult{Plan: first, Initial: first.Score, First: time.Since(start)}
	res.TimeToBest = res.First
	if opt.TimeLimit <= 0 && opt.MaxIterations <= 0 && ctx.Done() == nil {
		res.Elapsed = time.Since(start)
		return res, nil
	}
	if opt.TimeLimit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, start.Add(opt.TimeLimit))
		defer cancel()
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var stop atomic.Bool
	ws := make([]*netWorker, workers)
	var wg sync.WaitGroup
	for i := range ws {
		seed := splitmix(uint64(opt.Seed) + uint64(i)*0x9e3779b97f4a7c15)
		ws[i] = &netWorker{m: m, rng: rand.New(rand.NewPCG(seed, splitmix(seed))), start: start}
		wg.Go(func() { ws[i].run(ctx, &stop, keys, forced, first, opt.MaxIterations) })
	}
	wg.Wait()
	for _, w := range ws {
		res.Iterations += w.iter
		if w.best != nil && m.nw.Objective.Better(w.best.Score, res.Plan.Score) {
			res.Plan, res.TimeToBest = w.best, w.bestAt
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// netWorker runs one local search over keys and resource choices.
type netWorker struct {
	m      *model
	rng    *rand.Rand
	start  time.Time
	iter   int64
	best   *Plan
	bestAt time.Duration
}

func (w *netWorker) run(ctx context.Context, stop *atomic.Bool, keys0 []float64, forced0 []int32, first *Plan, maxIter int64) {
	m := w.m
	obj := m.nw.Objective
	b := m.newBoard()
	keys, forced := append([]float64(nil), keys0...), append([]int32(nil), forced0...)
	cKeys, cForced := make([]float64, len(keys)), make([]int32, len(keys))
	cur, cand := m.newSteps(), m.newSteps()
	for o := range cur {
		copy(cur[o], first.Steps[o])
	}
	curScore := first.Score
	bestScore := first.Score
	bestKeys, bestForced := append([]float64(nil), keys...), append([]int32(nil), forced...)
	var late []int // orders late in cur, and their weighted lateness
	var lateW []float64
	collect := func() {
		late, lateW = late[:0], lateW[:0]
		for o, st := range cur {
			if t := st[len(st)-1].End - m.nw.Orders[o].Due; t > 0 {
				late = append(late, o)
				lateW = append(lateW, m.nw.Orders[o].weight()*float64(t))
			}
		}
	}
	collect()
	stale := 0
	for !stop.Load() && (maxIter <= 0 || w.iter < maxIter) {
		if w.iter%16 == 0 && ctx.Err() != nil {
			break
		}
		w.iter++
		copy(cKeys, keys)
		copy(cForced, forced)
		w.move(cKeys, cForced, cur, late, lateW)
		if err := m.decode(b, cKeys, cForced, cand); err != nil {
			continue
		}
		sc, _ := m.nw.score(cand)
		if obj.Better(curScore, sc) {
			if stale++; stale > 400 {
				// Go back to the best plan after a long walk on a plateau.
				copy(keys, bestKeys)
				copy(forced, bestForced)
				if err := m.decode(b, keys, forced, cur); err == nil {
					curScore = bestScore
					collect()
				}
				stale = 0
			}
			continue
		}
		keys, cKeys = cKeys, keys
		forced, cForced = cForced, forced
		cur, cand = cand, cur
		curScore = sc
		collect()
		if obj.Better(sc, bestScore) {
			stale = 0
			bestScore = sc
			copy(bestKeys, keys)
			copy(bestForced, forced)
			w.best, w.bestAt = m.plan(cur), time.Since(w.start)
		}
	}
}

// move changes the keys or the resource choice of one step: most often a
// step of a late order, chosen with probability growing with its weighted
// lateness, is brought forward in the dispatching or sent to another
// eligible resource; when no order is late, a step of the order that ends
// last, for the makespan; otherwise a random step gives way.
func (w *netWorker) move(keys []float64, forced []int32, cur [][]Placement, late []int, lateW []float64) {
	m, rng := w.m, w.rng
	n := len(keys)
	pick := func() (int32, int) { // a free step of a late order, and its lateness
		total := 0.0
		for _, x := range lateW {
			total += x
		}
		x := rng.Float64() * total
		i := 0
		for i < len(late)-1 && x >= lateW[i] {
			x -= lateW[i]
			i++
		}
		o := late[i]
		lo, hi := m.first[o], m.first[o+1]
		for lo < hi && m.fixed[lo].Resource >= 0 {
			lo++
		}
		if lo == hi {
			return -1, 0
		}
		return lo + int32(rng.IntN(int(hi-lo))), cur[o][len(cur[o])-1].End - m.nw.Orders[o].Due
	}
	lastOrder := func() (int32, int) { // a free step of the order that ends last
		o := 0
		for i := range cur {
			if cur[i][len(cur[i])-1].End > cur[o][len(cur[o])-1].End {
				o = i
			}
		}
		lo, hi := m.first[o], m.first[o+1]
		for lo < hi && m.fixed[lo].Resource >= 0 {
			lo++
		}
		if lo == hi {
			return -1, 0
		}
		return lo + int32(rng.IntN(int(hi-lo))), 24 * 60
	}
	forward := func(v int32, t int) {
		if v >= 0 {
			keys[v] -= rng.ExpFloat64() * float64(max(t, 60))
		}
	}
	reassign := func(v int32) {
		if v < 0 {
			return
		}
		if c := m.chOff[v+1] - m.chOff[v]; c > 1 && rng.IntN(4) > 0 {
			forced[v] = m.chOff[v] + int32(rng.IntN(int(c)))
		} else {
			forced[v] = -1
		}
	}
	r := rng.Float64()
	switch {
	case len(late) > 0 && r < 0.6:
		forward(pick())
	case len(late) > 0 && r < 0.8:
		v, _ := pick()
		reassign(v)
	case len(late) == 0 && r < 0.4:
		// Once all orders are on time, the makespan.
		forward(lastOrder())
	case len(late) == 0 && r < 0.7:
		v, _ := lastOrder()
		reassign(v)
	default:
		v := rng.IntN(n)
		if m.fixed[v].Resource >= 0 {
			return
		}
		o := m.ordOf[v]
		slack := m.nw.Orders[o].Due - cur[o][len(cur[o])-1].End
		keys[v] += rng.ExpFloat64() * math.Max(60, float64(slack)/2)
	}
}
