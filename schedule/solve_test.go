package schedule_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/schedule"
)

func solveQuick(inst *schedule.Instance, seed int64, iters int64) (*schedule.Result, error) {
	return schedule.Solve(context.Background(), inst, schedule.Options{Seed: seed, MaxIterations: iters, Workers: 1})
}

// mustCheck fails the test unless the result's schedule passes Check with
// the makespan the result reports.
func mustCheck(tb testing.TB, inst *schedule.Instance, res *schedule.Result) {
	tb.Helper()
	m, err := schedule.Check(inst, res.Schedule)
	if err != nil {
		tb.Fatalf("the schedule fails the check: %v", err)
	}
	if m != res.Makespan {
		tb.Fatalf("the result reports makespan %d, the check finds %d", res.Makespan, m)
	}
}

func TestSolveKacemOptimal(t *testing.T) {
	bounds := readBounds(t)
	for _, name := range []string{"kacem1", "kacem2", "kacem3", "kacem4"} {
		t.Run(name, func(t *testing.T) {
			inst := mustRead(t, name)
			want := bounds[name]
			res, err := schedule.Solve(context.Background(), inst, schedule.Options{Seed: 1, TimeLimit: 10 * time.Second, Target: want})
			if err != nil {
				t.Fatal(err)
			}
			mustCheck(t, inst, res)
			if res.Makespan != want {
				t.Fatalf("got makespan %d after %v, want the optimum %d", res.Makespan, res.Elapsed, want)
			}
		})
	}
}

func TestSolveBrandimarte(t *testing.T) {
	bounds := readBounds(t)
	for _, name := range []string{"mk01", "mk02", "mk04", "mk08"} {
		t.Run(name, func(t *testing.T) {
			inst := mustRead(t, name)
			res, err := schedule.Solve(context.Background(), inst, schedule.Options{Seed: 1, MaxIterations: 1500})
			if err != nil {
				t.Fatal(err)
			}
			mustCheck(t, inst, res)
			if limit := bounds[name] * 115 / 100; res.Makespan > limit {
				t.Fatalf("got makespan %d, want at most %d (best known %d)", res.Makespan, limit, bounds[name])
			}
			if res.Makespan < res.LowerBound || res.Optimal != (res.Makespan == res.LowerBound) {
				t.Fatalf("makespan %d, lower bound %d, optimal %v", res.Makespan, res.LowerBound, res.Optimal)
			}
		})
	}
}

func TestSolveDeterministic(t *testing.T) {
	inst := mustRead(t, "mk10")
	opt := schedule.Options{Seed: 42, MaxIterations: 600, Workers: 2}
	a, err := schedule.Solve(context.Background(), inst, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := schedule.Solve(context.Background(), inst, opt)
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, inst, a)
	if a.Makespan != b.Makespan || !reflect.DeepEqual(a.Schedule, b.Schedule) {
		t.Fatalf("two runs with the same seed differ: makespans %d and %d", a.Makespan, b.Makespan)
	}
	if a.Iterations != 2*opt.MaxIterations {
		t.Fatalf("got %d iterations, want %d", a.Iterations, 2*opt.MaxIterations)
	}
}

func TestSolveCancel(t *testing.T) {
	inst := mustRead(t, "mk10")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	res, err := schedule.Solve(ctx, inst, schedule.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, inst, res)
	if res.Elapsed > 5*time.Second {
		t.Fatalf("Solve returned %v after the cancel", res.Elapsed)
	}
}

func TestSolveTimeLimit(t *testing.T) {
	inst := mustRead(t, "mk06")
	res, err := schedule.Solve(context.Background(), inst, schedule.Options{Seed: 3, TimeLimit: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, inst, res)
	if res.Elapsed > 5*time.Second || res.TimeToBest > res.Elapsed {
		t.Fatalf("elapsed %v, time to best %v, for a limit of 300ms", res.Elapsed, res.TimeToBest)
	}
}

func TestSolveErrors(t *testing.T) {
	inst := mustRead(t, "kacem1")
	if _, err := schedule.Solve(context.Background(), inst, schedule.Options{}); err == nil {
		t.Fatal("got no error without any limit")
	}
	if _, err := schedule.Solve(context.Background(), &schedule.Instance{Machines: 1}, schedule.Options{MaxIterations: 1}); err == nil {
		t.Fatal("got no error for an instance without jobs")
	}
}

func TestSolveZeroDurations(t *testing.T) {
	// Zero processing times must not make the solver build a cycle.
	inst := &schedule.Instance{Machines: 2}
	for j := range 4 {
		var job schedule.Job
		for o := range 3 {
			job.Operations = append(job.Operations, schedule.Operation{Alternatives: []schedule.Alternative{
				{Machine: (j + o) % 2, Duration: (j * o) % 3}, {Machine: (j + o + 1) % 2, Duration: 0},
			}})
		}
		inst.Jobs = append(inst.Jobs, job)
	}
	res, err := solveQuick(inst, 5, 300)
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, inst, res)
}

// randomInstance returns a seeded random instance with jobs×ops operations
// on machines machines, each eligible on 1 to flex machines.
func randomInstance(seed uint64, jobs, ops, machines, flex int) *schedule.Instance {
	rng := rand.New(rand.NewPCG(seed, 1))
	inst := &schedule.Instance{Machines: machines}
	for range jobs {
		var job schedule.Job
		for range ops {
			var op schedule.Operation
			for _, k := range rng.Perm(machines)[:1+rng.IntN(flex)] {
				op.Alternatives = append(op.Alternatives, schedule.Alternative{Machine: k, Duration: 1 + rng.IntN(99)})
			}
			job.Operations = append(job.Operations, op)
		}
		inst.Jobs = append(inst.Jobs, job)
	}
	return inst
}

func TestSolveFlexible(t *testing.T) {
	// Many machines per operation, as in the Hurink vdata and the
	// Dauzère-Pérès & Paulli instances.
	inst := randomInstance(1, 12, 10, 8, 6)
	res, err := solveQuick(inst, 1, 500)
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, inst, res)
}

func TestSolveLarge(t *testing.T) {
	// A time limit must hold even when one iteration is slow.
	inst := randomInstance(2, 300, 10, 20, 3)
	res, err := schedule.Solve(context.Background(), inst, schedule.Options{Seed: 1, TimeLimit: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, inst, res)
	if res.Elapsed > 5*time.Second {
		t.Fatalf("Solve took %v for a limit of 200ms", res.Elapsed)
	}
}
