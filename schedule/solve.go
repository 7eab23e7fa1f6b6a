package schedule

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Options control Solve.
type Options struct {
	// Seed makes the search reproducible: with the same seed, the same
	// MaxIterations and the same Workers, Solve returns the same schedule
	// (unless a time limit, a cancellation or Target stops it first).
	Seed int64
	// TimeLimit stops the search after this long; 0 means no limit.
	TimeLimit time.Duration
	// MaxIterations stops each worker after this many tabu search
	// iterations; 0 means no limit.
	MaxIterations int64
	// Workers is the number of search threads; 0 means
	// runtime.GOMAXPROCS(0), which is the number of CPUs available.
	Workers int
	// Target stops the search once a schedule with this makespan or less
	// is found (e.g. a known lower bound); 0 means none. The search also
	// stops at LowerBound(inst), where the schedule is known to be optimal.
	Target int
}

// Result is the best schedule found by Solve.
type Result struct {
	Schedule   *Schedule
	Makespan   int
	LowerBound int  // LowerBound of the instance
	Optimal    bool // Makespan equals LowerBound
	Iterations int64
	TimeToBest time.Duration // from the start of Solve to when the best was found
	Elapsed    time.Duration
}

// Solve searches for a schedule of inst with a small makespan and returns the
// best one found when a limit is reached or ctx is done. It is an anytime
// algorithm: cancelling ctx returns the best schedule so far, not an error.
// It fails only for an invalid instance or when nothing would stop it (no
// time limit, no iteration limit and a context without a deadline).
//
// Each worker runs an independent tabu search with its own seed derived
// from opt.Seed; the best result wins, ties going to the lowest worker, so
// that the result depends on seeds and iteration counts, not on timing.
func Solve(ctx context.Context, inst *Instance, opt Options) (*Result, error) {
	start := time.Now()
	if err := inst.Validate(); err != nil {
		return nil, err
	}
	if opt.TimeLimit <= 0 && opt.MaxIterations <= 0 && ctx.Done() == nil {
		return nil, errors.New("schedule: no time limit, no iteration limit and no context deadline")
	}
	if opt.TimeLimit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opt.TimeLimit)
		defer cancel()
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pr := newProblem(inst)
	target := max(opt.Target, pr.lb)

	var done atomic.Bool // a worker reached the target, or ctx is done
	stop := func() bool {
		if done.Load() {
			return true
		}
		if ctx.Err() != nil {
			done.Store(true)
			return true
		}
		return false
	}
	ws := make([]*worker, workers)
	var wg sync.WaitGroup
	for i := range ws {
		seed := splitmix(uint64(opt.Seed) + uint64(i)*0x9e3779b97f4a7c15)
		ws[i] = newWorker(pr, rand.New(rand.NewPCG(seed, splitmix(seed))), start)
		wg.Go(func() {
			ws[i].run(opt.MaxIterations, target, stop)
			if ws[i].best.cmax <= target {
				done.Store(true)
			}
		})
	}
	wg.Wait()

	res := &Result{LowerBound: pr.lb}
	var bw *worker
	for _, w := range ws {
		res.Iterations += w.ts.iter
		if bw == nil || w.best.cmax < bw.best.cmax {
			bw = w
		}
	}
	g := newGraph(pr, bw.best)
	if !g.evaluate() {
		return nil, errors.New("schedule: internal error: the best solution has a cycle")
	}
	res.Schedule = g.schedule()
	res.Makespan = bw.best.cmax
	res.Optimal = res.Makespan <= pr.lb
	res.TimeToBest = bw.bestAt
	res.Elapsed = time.Since(start)
	return res, nil
}

// splitmix is the SplitMix64 mixing function, used to derive independent
// seeds.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
