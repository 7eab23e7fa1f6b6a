package schedule

import (
	"math/rand/v2"
	"time"
)

// worker is one search thread: a memetic algorithm in the manner of Li & Gao
// (2016): a small population of solutions, each improved by tabu search;
// children are made by crossover of two members (machine assignment taken
// operation by operation from either parent, operation order by precedence
// preserving crossover of the jobs) and improved by tabu search before they
// may replace the worst member.
type worker struct {
	pr     *problem
	ts     *tabuSearch
	rng    *rand.Rand
	best   *solution
	bestAt time.Duration
	start  time.Time

	pop    []member
	local  *solution // best solution of the current tabu search run
	order  []int32   // scratch for crossover
	inJob1 []bool

	maxIter int64
	target  int
	stop    func() bool
	halted  bool
}

// member is a solution of the population with a topological order of its
// graph, which crossover needs.
type member struct {
	s     *solution
	order []int32
	hash  uint64
}

// Parameters of the memetic algorithm.
const (
	popSize = 10 // members of the population
	// A tabu search run ends after max(stagMin, stagPerOp·operations)
	// iterations without improvement.
	stagMin   = 1000
	stagPerOp = 5
)

func newWorker(pr *problem, rng *rand.Rand, start time.Time) *worker {
	return &worker{
		pr: pr, ts: newTabuSearch(pr, rng), rng: rng, best: newSolution(pr.n, pr.m), start: start,
		local: newSolution(pr.n, pr.m), order: make([]int32, pr.n), inJob1: make([]bool, len(pr.jobFirst)-1),
	}
}

// run searches until maxIter tabu iterations (if > 0), a makespan of target
// or less, or stop returns true (asked at every iteration).
func (w *worker) run(maxIter int64, target int, stop func() bool) {
	pr, ts := w.pr, w.ts
	w.maxIter, w.target, w.stop = maxIter, target, stop
	cur := ts.cur
	stag := int64(max(stagMin, stagPerOp*pr.n))
	w.best.cmax = -1
	for i := 0; i < popSize && !w.halted; i++ {
		construct(pr, cur, w.rng, 0.3*float64(i%8))
		ts.g.evaluate()
		if w.best.cmax < 0 || cur.cmax < w.best.cmax {
			w.best.copyFrom(cur)
			w.bestAt = time.Since(w.start)
		}
		w.improve(stag)
		w.add(w.local)
	}
	for !w.halted && len(w.pop) >= 2 {
		a := w.rng.IntN(len(w.pop))
		b := w.rng.IntN(len(w.pop) - 1)
		if b >= a {
			b++
		}
		w.crossover(&w.pop[a], &w.pop[b])
		w.improve(stag)
		w.add(w.local)
	}
	for !w.halted {
		w.improve(stag) // a population of one: plain tabu search
	}
}

// improve runs tabu search from ts.cur until stag iterations pass without
// improving on the run's best, which it leaves in w.local.
func (w *worker) improve(stag int64) {
	ts, cur := w.ts, w.ts.cur
	w.local.copyFrom(cur)
	var lastImp = ts.iter
	for ts.iter-lastImp < stag {
		if w.best.cmax <= w.target || w.maxIter > 0 && ts.iter >= w.maxIter || w.stop() {
			w.halted = true
			return
		}
		ts.iter++
		mv, ok := ts.neighbours(w.local.cmax)
		if !ok {
			w.perturb()
			continue
		}
		ts.makeTabu(mv.v, mv.k, mv.a, mv.b)
		if !ts.apply(mv) {
			continue
		}
		if cur.cmax < w.local.cmax {
			w.local.copyFrom(cur)
			lastImp = ts.iter
			if cur.cmax < w.best.cmax {
				w.best.copyFrom(cur)
				w.bestAt = time.Since(w.start)
			}
		}
	}
}

// add puts s into the population if there is room, or in place of the worst
// member if s is better and not already there.
func (w *worker) add(s *solution) {
	h := s.hash()
	worst := -1
	for i := range w.pop {
		if w.pop[i].hash == h {
			return
		}
		if worst < 0 || w.pop[i].s.cmax >= w.pop[worst].s.cmax {
			worst = i
		}
	}
	if len(w.pop) < popSize {
		w.pop = append(w.pop, member{s: newSolution(w.pr.n, w.pr.m), order: make([]int32, w.pr.n)})
		worst = len(w.pop) - 1
	} else if s.cmax > w.pop[worst].s.cmax {
		return
	}
	m := &w.pop[worst]
	m.s.copyFrom(s)
	m.hash = h
	g := newGraph(w.pr, m.s)
	g.evaluate()
	copy(m.order, g.topo)
}

// crossover writes into ts.cur a child of a and b: each operation's machine
// from a or b at random, and the operations of a random half of the jobs in
// a's order, the others in b's, each machine sequence following that order.
func (w *worker) crossover(a, b *member) {
	pr, s := w.pr, w.ts.cur
	for j := range w.inJob1 {
		w.inJob1[j] = w.rng.IntN(2) == 0
	}
	for v := range pr.n {
		if w.rng.IntN(2) == 0 {
			s.mach[v], s.p[v] = a.s.mach[v], a.s.p[v]
		} else {
			s.mach[v], s.p[v] = b.s.mach[v], b.s.p[v]
		}
	}
	// Keep a's jobs of the first set where a has them, fill the other
	// places with the other jobs in b's order.
	bi := 0
	for i, v := range a.order {
		if w.inJob1[pr.jobOf[v]] {
			w.order[i] = v
			continue
		}
		for w.inJob1[pr.jobOf[b.order[bi]]] {
			bi++
		}
		w.order[i] = b.order[bi]
		bi++
	}
	for k := range pr.m {
		s.mFirst[k], s.mLast[k] = -1, -1
	}
	for _, v := range w.order {
		k := s.mach[v]
		s.insert(v, k, s.mLast[k], s.p[v])
	}
	w.ts.g.evaluate()
}

// perturb applies a few random moves to the current solution.
func (w *worker) perturb() {
	ts := w.ts
	steps := 2 + w.rng.IntN(max(2, w.pr.n/20))
	for range steps {
		mv, ok := ts.randomMove()
		if !ok {
			return
		}
		ts.makeTabu(mv.v, mv.k, mv.a, mv.b)
		ts.apply(mv)
	}
}
