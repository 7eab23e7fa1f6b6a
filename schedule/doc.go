// Package schedule solves flexible job-shop scheduling problems (FJSP):
// jobs are chains of operations, each operation runs on one machine chosen
// among its eligible machines, with a processing time that depends on the
// machine, and the goal is a short makespan. It is the engine behind
// schedule-backed promise dates and re-planning in nakamawashi.
//
// The package has four parts:
//
//   - Instance and its Validate and LowerBound (instance.go);
//   - ReadFJSP, a reader for the standard FJSP benchmark text format
//     (read.go);
//   - Check, a feasibility checker that shares no code with the solver and
//     recomputes the makespan (check.go);
//   - Solve, an anytime, seeded, multi-threaded solver (solve.go, worker.go,
//     tabu.go, graph.go, initial.go).
//
// # Method
//
// A solution is the disjunctive graph (Roy & Sussmann 1964) with a machine
// chosen for every operation and the machine sequences oriented. Heads and
// tails are computed over a topological order in O(n).
//
// The local search is tabu search with the neighbourhood of Mastrolilli &
// Gambardella (2000, "Effective neighbourhood functions for the flexible
// job shop problem", J. Scheduling 3:3–20), which generalises the moves of
// Dauzère-Pérès & Paulli (1997): take an operation v of a critical path out
// of its machine sequence, and insert it into the sequence of any of its
// eligible machines (its own included) between the operations that must
// precede it and those that must follow it, which keeps the graph acyclic.
// With the heads and tails of the graph without v, the makespan after each
// insertion is computed exactly in O(1), and the best insertion on a machine
// in time linear in its sequence. The tabu list holds machine arcs broken by
// recent moves, as in the arc-reversal tabu lists of Nowicki & Smutnicki
// (1996) and Zhang, Li, Guan & Rao (2007); a move that would restore one is
// tabu unless it beats the run's best makespan. The tenure grows with the
// number of jobs per machine (Zhang et al. 2007).
//
// Each worker (one per CPU by default) runs a memetic algorithm in the
// manner of Li & Gao (2016, "An effective hybrid genetic algorithm and tabu
// search for flexible job shop scheduling problem", Int. J. Production
// Economics 174:93–110): a population of
// ten solutions built by randomised most-work-remaining dispatching onto the
// machine that finishes first, each improved by tabu search; children take
// each operation's machine from either parent and the job order by
// precedence-preserving order crossover, are improved by tabu search, and
// replace the worst member when better and new.
//
// The search depends only on the seed and on iteration counts; the clock
// and the context only decide when it stops. With Options.MaxIterations
// and no time limit the result is reproducible. The solver stops early at
// Options.Target or at LowerBound, where the schedule is optimal.
//
// # Imports
//
// This package is pure computation. It must never import a package that
// does I/O (os, net, database drivers, the root nakamawashi package's
// stores); the reader takes an io.Reader. Later steps add release dates,
// setup times, fixed operations, calendars and tardiness objectives as
// fields of Instance and Operation.
package schedule
