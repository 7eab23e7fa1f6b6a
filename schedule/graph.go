package schedule

// This file holds the solver's representation: the operations of all jobs
// numbered 0..n-1 job by job, and a solution as a chosen machine per
// operation plus, per machine, a doubly linked sequence. Together with the
// job chains this is the disjunctive graph of Roy & Sussmann with the
// disjunctions oriented; heads (earliest starts) and tails (longest path
// from an operation's end to the end of the schedule) are computed over a
// topological order.

// problem is an Instance flattened for the solver.
type problem struct {
	n, m     int
	jobOf    []int32 // job of each operation
	jobPred  []int32 // previous operation of the same job, or -1
	jobSucc  []int32 // next operation of the same job, or -1
	jobFirst []int32 // first operation of each job, plus n at the end
	altOff   []int32 // alternatives of v are altMach/altDur[altOff[v]:altOff[v+1]]
	altMach  []int32
	altDur   []int
	minDur   []int // shortest processing time of each operation
	lb       int   // LowerBound of the instance
}

func newProblem(inst *Instance) *problem {
	n := inst.NumOperations()
	pr := &problem{
		n: n, m: inst.Machines,
		jobOf: make([]int32, n), jobPred: make([]int32, n), jobSucc: make([]int32, n),
		jobFirst: make([]int32, 0, len(inst.Jobs)+1), altOff: make([]int32, 0, n+1),
		minDur: make([]int, n), lb: LowerBound(inst),
	}
	v := int32(0)
	for j, job := range inst.Jobs {
		pr.jobFirst = append(pr.jobFirst, v)
		for o, op := range job.Operations {
			pr.jobOf[v] = int32(j)
			pr.jobPred[v], pr.jobSucc[v] = v-1, v+1
			if o == 0 {
				pr.jobPred[v] = -1
			}
			if o == len(job.Operations)-1 {
				pr.jobSucc[v] = -1
			}
			pr.altOff = append(pr.altOff, int32(len(pr.altMach)))
			pr.minDur[v] = op.Alternatives[0].Duration
			for _, a := range op.Alternatives {
				pr.altMach = append(pr.altMach, int32(a.Machine))
				pr.altDur = append(pr.altDur, a.Duration)
				pr.minDur[v] = min(pr.minDur[v], a.Duration)
			}
			v++
		}
	}
	pr.jobFirst = append(pr.jobFirst, v)
	pr.altOff = append(pr.altOff, int32(len(pr.altMach)))
	return pr
}

// solution is the part of the search state that defines a schedule.
type solution struct {
	mach          []int32 // machine of each operation
	p             []int   // processing time of each operation on its machine
	mPred, mSucc  []int32 // neighbours in the machine sequence, or -1
	mFirst, mLast []int32 // ends of each machine's sequence, or -1
	cmax          int
}

func newSolution(n, m int) *solution {
	return &solution{
		mach: make([]int32, n), p: make([]int, n),
		mPred: make([]int32, n), mSucc: make([]int32, n),
		mFirst: make([]int32, m), mLast: make([]int32, m),
	}
}

func (s *solution) copyFrom(o *solution) {
	copy(s.mach, o.mach)
	copy(s.p, o.p)
	copy(s.mPred, o.mPred)
	copy(s.mSucc, o.mSucc)
	copy(s.mFirst, o.mFirst)
	copy(s.mLast, o.mLast)
	s.cmax = o.cmax
}

// remove takes v out of its machine sequence.
func (s *solution) remove(v int32) {
	k, a, b := s.mach[v], s.mPred[v], s.mSucc[v]
	if a >= 0 {
		s.mSucc[a] = b
	} else {
		s.mFirst[k] = b
	}
	if b >= 0 {
		s.mPred[b] = a
	} else {
		s.mLast[k] = a
	}
	s.mPred[v], s.mSucc[v] = -1, -1
}

// insert puts v on machine k right after a (first when a is -1), with
// processing time d.
func (s *solution) insert(v, k, a int32, d int) {
	var b int32
	if a >= 0 {
		b = s.mSucc[a]
		s.mSucc[a] = v
	} else {
		b = s.mFirst[k]
		s.mFirst[k] = v
	}
	s.mPred[v], s.mSucc[v] = a, b
	if b >= 0 {
		s.mPred[b] = v
	} else {
		s.mLast[k] = v
	}
	s.mach[v], s.p[v] = k, d
}

// graph holds the timing of the current solution of a search.
type graph struct {
	pr    *problem
	s     *solution
	topo  []int32 // operations in a topological order
	pos   []int32 // index of each operation in topo
	indeg []int32
	r, q  []int // heads and tails
	// rm and qm are heads and tails of the graph with one operation taken
	// out of its machine (and its processing time set to 0); see minus.
	rm, qm []int
}

func newGraph(pr *problem, s *solution) *graph {
	n := pr.n
	return &graph{
		pr: pr, s: s,
		topo: make([]int32, n), pos: make([]int32, n), indeg: make([]int32, n),
		r: make([]int, n), q: make([]int, n), rm: make([]int, n), qm: make([]int, n),
	}
}

// evaluate computes a topological order, the heads, the tails and the
// makespan. It returns false if the machine sequences make a cycle.
func (g *graph) evaluate() bool {
	pr, s := g.pr, g.s
	n := int32(pr.n)
	topo, indeg := g.topo, g.indeg
	tail := 0
	for v := range n {
		d := int32(0)
		if pr.jobPred[v] >= 0 {
			d++
		}
		if s.mPred[v] >= 0 {
			d++
		}
		indeg[v] = d
		if d == 0 {
			topo[tail] = v
			tail++
		}
	}
	r, p := g.r, s.p
	for head := 0; head < tail; head++ {
		v := topo[head]
		g.pos[v] = int32(head)
		h := 0
		if a := pr.jobPred[v]; a >= 0 {
			h = r[a] + p[a]
		}
		if a := s.mPred[v]; a >= 0 {
			h = max(h, r[a]+p[a])
		}
		r[v] = h
		if b := pr.jobSucc[v]; b >= 0 {
			if indeg[b]--; indeg[b] == 0 {
				topo[tail] = b
				tail++
			}
		}
		if b := s.mSucc[v]; b >= 0 {
			if indeg[b]--; indeg[b] == 0 {
				topo[tail] = b
				tail++
			}
		}
	}
	if tail < int(n) {
		return false
	}
	q := g.q
	cmax := 0
	for i := n - 1; i >= 0; i-- {
		v := topo[i]
		t := 0
		if b := pr.jobSucc[v]; b >= 0 {
			t = p[b] + q[b]
		}
		if b := s.mSucc[v]; b >= 0 {
			t = max(t, p[b]+q[b])
		}
		q[v] = t
		cmax = max(cmax, r[v]+p[v]+t)
	}
	s.cmax = cmax
	return true
}

// minus fills rm and qm with the heads and tails of the graph in which v is
// taken out of its machine sequence (its machine neighbours joined) and has
// processing time 0, and returns that graph's makespan. Heads before v and
// tails after v in the topological order do not change.
func (g *graph) minus(v int32) int {
	pr, s := g.pr, g.s
	p, r, q, rm, qm, topo := s.p, g.r, g.q, g.rm, g.qm, g.topo
	copy(rm, r)
	copy(qm, q)
	n := int32(pr.n)
	pv := g.pos[v]
	mpv, msv := s.mPred[v], s.mSucc[v]
	h := 0
	if a := pr.jobPred[v]; a >= 0 {
		h = r[a] + p[a]
	}
	rm[v] = h
	cm := 0
	for i := pv + 1; i < n; i++ {
		u := topo[i]
		h := 0
		if a := pr.jobPred[u]; a == v {
			h = rm[v]
		} else if a >= 0 {
			h = rm[a] + p[a]
		}
		a := s.mPred[u]
		if a == v {
			a = mpv
		}
		if a >= 0 {
			h = max(h, rm[a]+p[a])
		}
		rm[u] = h
		cm = max(cm, h+p[u]+q[u])
	}
	t := 0
	if b := pr.jobSucc[v]; b >= 0 {
		t = p[b] + q[b]
	}
	qm[v] = t
	for i := pv - 1; i >= 0; i-- {
		u := topo[i]
		t := 0
		if b := pr.jobSucc[u]; b == v {
			t = qm[v]
		} else if b >= 0 {
			t = p[b] + qm[b]
		}
		b := s.mSucc[u]
		if b == v {
			b = msv
		}
		if b >= 0 {
			t = max(t, p[b]+qm[b])
		}
		qm[u] = t
		cm = max(cm, r[u]+p[u]+t)
	}
	return cm
}

// schedule returns the semi-active schedule of the evaluated solution.
func (g *graph) schedule() *Schedule {
	pr, s := g.pr, g.s
	out := &Schedule{Operations: make([]ScheduledOperation, pr.n)}
	for v := range pr.n {
		j := pr.jobOf[v]
		out.Operations[v] = ScheduledOperation{
			Job: int(j), Operation: v - int(pr.jobFirst[j]),
			Machine: int(s.mach[v]), Start: g.r[v], End: g.r[v] + s.p[v],
		}
	}
	return out
}

// hash returns a fingerprint of the machine sequences of s.
func (s *solution) hash() uint64 {
	h := uint64(14695981039346656037)
	for v := range s.mach {
		h = (h ^ uint64(s.mach[v])) * 1099511628211
		h = (h ^ uint64(uint32(s.mPred[v]))) * 1099511628211
	}
	return h
}
