package schedule

import (
	"math/rand/v2"
)

// A move takes operation v out of its machine sequence and inserts it on
// machine k right after operation a (first when a is -1), before b.
type move struct {
	v, k, a, b int32
	d          int // processing time of v on k
	cmax       int // makespan after the move (exact, see tabuSearch.neighbours)
	through    int // length of the longest path through v after the move
}

// tabuSlots is the size of the tabu table, a power of two well above the
// number of arcs that can be tabu at once (three per iteration of tenure).
const (
	tabuBits  = 12
	tabuSlots = 1 << tabuBits
)

// tabuEntry forbids, until iteration until, the machine arc key: operation
// x directly before operation y, packed as x<<32|y. Machine ends are encoded
// as operation n+k.
type tabuEntry struct {
	key   uint64
	until int64
}

// tabuSearch is one search thread: its current solution with timing,
// tabu memory and random source.
type tabuSearch struct {
	pr   *problem
	cur  *solution
	g    *graph
	rng  *rand.Rand
	tabu []tabuEntry // a direct-mapped table of tabu arcs
	crit []int32
	seq  []int32 // scratch: a machine sequence
	iter int64

	tenureMin, tenureSpan int
}

func newTabuSearch(pr *problem, rng *rand.Rand) *tabuSearch {
	cur := newSolution(pr.n, pr.m)
	ts := &tabuSearch{
		pr: pr, cur: cur, g: newGraph(pr, cur), rng: rng,
		tabu: make([]tabuEntry, tabuSlots),
		crit: make([]int32, 0, pr.n), seq: make([]int32, 0, pr.n),
	}
	ts.setTenure()
	return ts
}

// setTenure derives the tabu tenure from the size of the problem, after
// Zhang et al. (2007), whose base length grows with the number of jobs per
// machine: each broken arc stays tabu for a random number of iterations in
// [2 + J/M, 14 + 3J/M). The wide range mixes short tenures, which let the
// search intensify, with long ones, which keep it from cycling.
func (ts *tabuSearch) setTenure() {
	pr := ts.pr
	nj := len(pr.jobFirst) - 1
	ts.tenureMin = 2 + nj/pr.m
	ts.tenureSpan = 12 + 2*nj/pr.m
}

// encode returns the tabu code of a machine neighbour: the operation, or
// n+k for the start or the end of machine k.
func (ts *tabuSearch) encode(x, k int32) int32 {
	if x < 0 {
		return int32(ts.pr.n) + k
	}
	return x
}

func arcKey(x, y int32) uint64 { return uint64(uint32(x))<<32 | uint64(uint32(y)) }

func arcSlot(key uint64) uint64 { return (key * 0x9e3779b97f4a7c15) >> (64 - tabuBits) }

func (ts *tabuSearch) arcTabu(x, y int32) bool {
	key := arcKey(x, y)
	e := &ts.tabu[arcSlot(key)]
	return e.key == key && e.until > ts.iter
}

// isTabu reports whether putting v on machine k between a and b would
// restore a machine arc that a recent move broke.
func (ts *tabuSearch) isTabu(v, k, a, b int32) bool {
	return ts.arcTabu(ts.encode(a, k), v) || ts.arcTabu(v, ts.encode(b, k))
}

// makeTabu records the arcs that moving v between a and b on machine k
// breaks: v's arcs to its current neighbours and the arc from a to b.
func (ts *tabuSearch) makeTabu(v, k, a, b int32) {
	s := ts.cur
	until := ts.iter + int64(ts.tenureMin+ts.rng.IntN(ts.tenureSpan))
	old := s.mach[v]
	for _, arc := range [3][2]int32{
		{ts.encode(s.mPred[v], old), v},
		{v, ts.encode(s.mSucc[v], old)},
		{ts.encode(a, k), ts.encode(b, k)},
	} {
		key := arcKey(arc[0], arc[1])
		ts.tabu[arcSlot(key)] = tabuEntry{key: key, until: until}
	}
}

// neighbours evaluates, for every operation v of a critical path and every eligible
// machine k of v, the best insertion of v into k's sequence, as in
// Mastrolilli & Gambardella (2000): with v taken out (graph G⁻, heads rm and
// tails qm), inserting v after every operation that must precede it and
// before every one that must follow it keeps the graph acyclic, and the
// makespan after the move is exactly max(C(G⁻), longest path through v).
// It returns the best non-tabu move (or a tabu one that beats best), ties
// broken at random, and false if there is no move at all.
func (ts *tabuSearch) neighbours(best int) (move, bool) {
	pr, s, g := ts.pr, ts.cur, ts.g
	var bm, tm move
	found, tfound := false, false
	nties, tties := 0, 0
	ts.critical()
	for _, v := range ts.crit {
		cm := g.minus(v)
		rv, qv := g.rm[v], g.qm[v]
		for i := pr.altOff[v]; i < pr.altOff[v+1]; i++ {
			k, d := pr.altMach[i], pr.altDur[i]
			seq := ts.seq[:0]
			for x := s.mFirst[k]; x >= 0; x = s.mSucc[x] {
				if x != v {
					seq = append(seq, x)
				}
			}
			ts.seq = seq
			// lo: after the last operation that must precede v;
			// hi: before the first one that must follow it.
			lo, hi := 0, len(seq)
			for j, x := range seq {
				inR := g.rm[x]+s.p[x] > rv
				inL := s.p[x]+g.qm[x] > qv
				if inL && !inR {
					lo = j + 1
				} else if inR && !inL && hi == len(seq) {
					hi = j
				}
			}
			if lo > hi {
				continue
			}
			for j := lo; j <= hi; j++ {
				a, b := int32(-1), int32(-1)
				start, tail := rv, qv
				if j > 0 {
					a = seq[j-1]
					start = max(start, g.rm[a]+s.p[a])
				}
				if j < len(seq) {
					b = seq[j]
					tail = max(tail, s.p[b]+g.qm[b])
				}
				if k == s.mach[v] && a == s.mPred[v] {
					continue // v where it is
				}
				through := start + d + tail
				c := max(cm, through)
				mv := move{v: v, k: k, a: a, b: b, d: d, cmax: c, through: through}
				if c < best || !ts.isTabu(v, k, a, b) {
					if !found || better(mv, bm) {
						bm, found, nties = mv, true, 1
					} else if !better(bm, mv) {
						nties++
						if ts.rng.IntN(nties) == 0 {
							bm = mv
						}
					}
				} else if !found {
					if !tfound || better(mv, tm) {
						tm, tfound, tties = mv, true, 1
					} else if !better(tm, mv) {
						tties++
						if ts.rng.IntN(tties) == 0 {
							tm = mv
						}
					}
				}
			}
		}
	}
	if found {
		return bm, true
	}
	return tm, tfound
}

func better(a, b move) bool {
	if a.cmax != b.cmax {
		return a.cmax < b.cmax
	}
	return a.through < b.through
}

// apply performs mv and re-times the solution. If the move made a cycle
// (possible only with zero processing times) it is undone and apply returns
// false.
func (ts *tabuSearch) apply(mv move) bool {
	s := ts.cur
	v := mv.v
	oldK, oldA, oldD := s.mach[v], s.mPred[v], s.p[v]
	s.remove(v)
	s.insert(v, mv.k, mv.a, mv.d)
	if ts.g.evaluate() {
		return true
	}
	s.remove(v)
	s.insert(v, oldK, oldA, oldD)
	ts.g.evaluate()
	return false
}

// randomMove returns a random feasible reinsertion of a random critical
// operation on a random eligible machine, for perturbation.
func (ts *tabuSearch) randomMove() (move, bool) {
	pr, s, g := ts.pr, ts.cur, ts.g
	ts.critical()
	if len(ts.crit) == 0 {
		return move{}, false
	}
	v := ts.crit[ts.rng.IntN(len(ts.crit))]
	g.minus(v)
	rv, qv := g.rm[v], g.qm[v]
	i := pr.altOff[v] + int32(ts.rng.IntN(int(pr.altOff[v+1]-pr.altOff[v])))
	k, d := pr.altMach[i], pr.altDur[i]
	seq := ts.seq[:0]
	for x := s.mFirst[k]; x >= 0; x = s.mSucc[x] {
		if x != v {
			seq = append(seq, x)
		}
	}
	ts.seq = seq
	lo, hi := 0, len(seq)
	for j, x := range seq {
		inR := g.rm[x]+s.p[x] > rv
		inL := s.p[x]+g.qm[x] > qv
		if inL && !inR {
			lo = j + 1
		} else if inR && !inL && hi == len(seq) {
			hi = j
		}
	}
	if lo > hi {
		return move{}, false
	}
	j := lo + ts.rng.IntN(hi-lo+1)
	mv := move{v: v, k: k, a: -1, b: -1, d: d}
	if j > 0 {
		mv.a = seq[j-1]
	}
	if j < len(seq) {
		mv.b = seq[j]
	}
	return mv, true
}

// critical fills ts.crit with the operations of one longest path, from its
// end back to its start, chosen at random among the longest paths. One path
// rather than all critical operations halves the work of an iteration
// without weakening the search.
func (ts *tabuSearch) critical() {
	pr, g, s := ts.pr, ts.g, ts.cur
	ts.crit = ts.crit[:0]
	v, ends := int32(-1), 0
	for _, u := range g.topo {
		if g.r[u]+s.p[u] == s.cmax {
			if ends++; ts.rng.IntN(ends) == 0 {
				v = u
			}
		}
	}
	for v >= 0 {
		ts.crit = append(ts.crit, v)
		a, b := pr.jobPred[v], s.mPred[v]
		ja := a >= 0 && g.r[a]+s.p[a] == g.r[v]
		mb := b >= 0 && g.r[b]+s.p[b] == g.r[v]
		switch {
		case ja && mb:
			if ts.rng.IntN(2) == 0 {
				v = a
			} else {
				v = b
			}
		case ja:
			v = a
		case mb:
			v = b
		default:
			v = -1
		}
	}
}
