package schedule

import (
	"math/rand/v2"
	"time"
)

// worker is one search thread: a tabu search with restarts from its best
// solution after a stretch without improvement.
type worker struct {
	pr     *problem
	ts     *tabuSearch
	rng    *rand.Rand
	best   *solution
	bestAt time.Duration
	start  time.Time
}

func newWorker(pr *problem, rng *rand.Rand, start time.Time) *worker {
	return &worker{pr: pr, ts: newTabuSearch(pr, rng), rng: rng, best: newSolution(pr.n, pr.m), start: start}
}

// initialTries is how many constructions a worker tries before it searches.
const initialTries = 8

// run searches until maxIter iterations (if > 0), a makespan of target or
// less, or stop returns true (checked every few iterations).
func (w *worker) run(maxIter int64, target int, stop func() bool) {
	pr, ts := w.pr, w.ts
	cur := ts.cur
	for i := range initialTries {
		construct(pr, cur, w.rng, 0.3*float64(i))
		ts.g.evaluate()
		if i == 0 || cur.cmax < w.best.cmax {
			w.best.copyFrom(cur)
		}
	}
	w.bestAt = time.Since(w.start)
	cur.copyFrom(w.best)
	ts.g.evaluate()

	stagnation := int64(max(1000, 10*pr.n))
	var lastImp int64
	for w.best.cmax > target {
		if maxIter > 0 && ts.iter >= maxIter {
			return
		}
		if ts.iter%32 == 0 && stop() {
			return
		}
		ts.iter++
		mv, ok := ts.neighbours(w.best.cmax)
		if !ok {
			w.perturb()
			continue
		}
		ts.makeTabu(mv.v)
		if !ts.apply(mv) {
			continue
		}
		if cur.cmax < w.best.cmax {
			w.best.copyFrom(cur)
			w.bestAt = time.Since(w.start)
			lastImp = ts.iter
		} else if ts.iter-lastImp > stagnation {
			lastImp = ts.iter
			cur.copyFrom(w.best)
			ts.g.evaluate()
			w.perturb()
		}
	}
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
		ts.makeTabu(mv.v)
		ts.apply(mv)
	}
}
