// Package match finds partner chains for a routing: one company per step of
// a job (one company may take consecutive steps), the best k chains by an
// additive cost in yen, and, per step, which companies were excluded and
// why. It is the engine behind 仲間まわし partner selection.
//
// The package is pure computation: it imports only the root package and the
// standard library and must never import anything that does I/O (stores,
// net/http, the file system). Callers load suppliers (FromSuppliers), add
// what they know of load, quality and recent share, index them once
// (NewNetwork) and call Match as often as they like.
//
// # Hard constraints
//
// A member or regional partner can take a step only if its profile offers
// the process (nakamawashi.Profile.Offers) and lists the step's material;
// for a machine process, at least one of its machines satisfies the process
// (nakamawashi.ProcessSatisfies) and fits the part (Envelope.Fits), holds
// the tolerance (machine ToleranceUM ≤ the step's; 0 is unknown and fails)
// and reaches the roughness (likewise); it holds every certification; and
// its load plus this step's work fits its capacity over the horizon:
//
//	LoadHours + hours ≤ weekly × weeks
//
// with weekly the profile's CapacityHours (DefaultWeeklyHours when 0) and
// weeks the time from Start to Due (DefaultHorizon without a due date).
// The reason reported is the first that fails in the order process,
// material, machine (the most specific of envelope < tolerance < roughness
// over the company's machines), certification, capacity. Capacity is
// checked step by step: a company taking two steps of one chain is checked
// against each step alone.
//
// # Cost
//
// For company c at step s, with qty pieces, setup and cycle from the step
// (or the process group's default) and count the suitable machines (1 for a
// pool process):
//
//	hours      = setup + qty × cycle/60 / count            (ProcessingHours)
//	price      = hours × HourlyRate (group default when 0)  (PriceYen)
//	f          = max(1, 168/weekly)                         calendar hours per work hour
//	queue      = load × f + hours × (f − 1)                 (QueueHours: waiting behind the load, and nights and weekends)
//	u          = (load + hours) / (weekly × weeks)
//	load pen.  = W.Load × u²
//	quality    = W.Quality × (10 × defect + (1 − onTime)), both shrunk towards 1% and 90% with the weight of 5 orders
//	fairness   = W.Fairness × RecentShare
//	volume     = for qty ≥ 1000: W.Volume without volume lots, −0.2 × W.Volume for a regional partner with them, else 0
//	step score = price + W.YenPerHour × (queue + hours) + the penalties
//
// A leg of d great-circle km between different companies (and from the
// origin, to the destination) takes BaseHours + d/KMPerHour and costs
// BaseYen + YenPerKM × d; it scores yen + W.YenPerHour × hours. A company
// taking consecutive steps needs no leg. A chain's score is the sum of its
// step scores and legs, and FinishAt is Start plus every queue, processing
// and transport hour.
//
// # Method
//
// The steps form a layered graph: a node per eligible company per step with
// its step score, an edge between consecutive steps weighted by the leg.
// The best k chains are the k shortest paths of this DAG, found exactly by
// the k-best Viterbi recursion (the list Viterbi algorithm; Seshadri &
// Sundberg 1994, "List Viterbi decoding algorithms with applications",
// IEEE Trans. Commun. 42:313–323): each node keeps its k cheapest partial
// chains, built from the previous step's. Choosing jointly matters: the
// cheapest shop for one step may sit far from every shop that can do the
// next, which the step-by-step Greedy baseline cannot see.
//
// The naive recursion costs O(N²k) per step. Three exact prunings avoid it:
//
//  1. Bounds. A forward bound of the cheapest chain into each node and a
//     backward bound of the cheapest completion out of it are computed in
//     O(N) per step, with every leg between different companies counted at
//     its cheapest (BaseYen and BaseHours, zero kilometres) and the same
//     company at zero.
//  2. An upper bound. The recursion is first run over the 64 nodes per
//     step with the lowest bounds; its k-th chain is a real chain, so its
//     score U bounds the k-th best of the whole graph. Every node whose
//     bound exceeds U is then left out, and so is every partial chain that
//     cannot finish under U.
//  3. Sorted scans. For each node, the previous step's partial chains are
//     scanned cheapest first, the same company's first at no transport, and
//     the scan stops when a chain plus the cheapest possible leg can no
//     longer beat the node's k-th best (a threshold-algorithm stop in the
//     sense of Fagin, Lotem & Naor 2003, "Optimal aggregation algorithms
//     for middleware", J. Comput. Syst. Sci. 66:614–656).
//
// Ties are broken by the order of the previous partial chains, which follow
// company ids, so results are deterministic. The property test checks the
// chains against brute force over every chain, with the bounding pass on.
//
// NewNetwork builds, per process, the candidates offering it and their
// machines that satisfy it, laid out flat, and turns materials and
// certifications into bit sets, so that eligibility is a scan of the
// process's candidates. Working buffers come from a pool on the Network:
// a call allocates little beyond its result, which keeps garbage
// collection (a scan of the whole network) out of the latency.
//
// # Performance
//
// BenchmarkMatch: 6 steps, top 5, generated networks of 2,500, 5,000 and
// 10,000 companies (about 4 machines each) take about 0.6, 1 and 2 ms per
// call at the median on a shared 2-core machine; the cost grows linearly
// with the number of candidates of each step.
package match
