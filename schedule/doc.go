// Package schedule solves flexible job-shop scheduling problems (FJSP):
// jobs are chains of operations, each operation runs on one machine chosen
// among its eligible machines, with a processing time that depends on the
// machine, and the goal is a short makespan. It is the engine behind
// schedule-backed promise dates and re-planning in nakamawashi.
//
// It also plans a network of shops with calendars, transport and due dates
// (see The network model below). The FJSP part has four parts:
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
// # The network model
//
// The network model (network.go, calendar.go, model.go, netcheck.go,
// netsolve.go, build.go, replan.go, promise.go) plans 仲間まわし: orders
// (lots) whose steps run at several companies. Its choices:
//
//   - Resources are machines (one lot at a time) or a shop's capacity pool
//     for a black-box process such as plating (Capacity lots at once,
//     optionally a lead time of LeadDays working days: a lot that starts on
//     a working day is ready at the close of the LeadDays-th working day
//     after it).
//   - A step's work is setup plus quantity times cycle time, in working
//     minutes of the shop's Calendar. Work pauses outside the shop's hours
//     (nights, weekends, national holidays, お盆, 年末年始) and resumes at the
//     next opening: preemptive across time off, which is how small shops
//     run a lot over several days. The lot holds its machine in between.
//     A step starts in working hours, never on a holiday.
//   - Transport between shops runs in calendar time (trucks drive on any
//     day and at night); it defaults to TransportByDistance and can be
//     configured per pair with Network.Transport.
//   - Times are minutes from Network.Epoch, a midnight in Japan time;
//     calendars are expanded over Network.Horizon.
//   - Fixed steps (started or committed) keep their resource and start; an
//     explicit End records a delay. They come first in their order.
//   - The objective is lexicographic by default: weighted tardiness first,
//     then makespan (Objective documents why); Objective.MakespanWeight
//     turns it into a weighted sum.
//
// CheckNetwork verifies a plan day by day without the solver's timing code.
// PlanNetwork builds a first plan by serial schedule generation with
// insertion into calendar-aware gaps (the best of three dispatching rules
// on operation due dates), then improves it by local search on dispatching
// keys and resource choices, biased to the steps of late orders, until a
// limit. Build computes the semi-active plan of a disjunctive
// representation (a resource per step, a sequence per resource); Replan
// repairs a plan after a delay or an outage (right shift, then local
// search) and reports what moved; Promise quotes the earliest finish of a
// new order without moving firm commitments; NetworkBound gives each
// order's earliest finish alone, a lower bound on the weighted tardiness.
//
// The FJSP solver and the network planner share nothing but splitmix: the
// network model has calendars and capacities that the disjunctive graph's
// heads and tails cannot express, and the FJSP path stays as it was.
//
// # Imports
//
// This package is pure computation. It must never import a package that
// does I/O (os, net, database drivers, the sqlstore or http packages); the
// reader takes an io.Reader. It imports the root nakamawashi package, which
// is pure, for the Japanese holidays (IsHoliday) and for places and
// distances (LatLon, DistanceKM); the root package must therefore never
// import this one.
package schedule
