package match

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"
)

// restricted is how many nodes per step the first, bounding pass keeps.
const restricted = 64

// dpLayer holds the best partial chains ending at the nodes of one step:
// for the node at pos[i], the paths start[i]..start[i+1], cheapest first.
type dpLayer struct {
	pos   []int32   // node positions in the step's layer, ascending
	start []int32   // len(pos)+1 offsets into the path arrays
	cost  []float64 // cost of the partial chain up to and including this step
	prev  []int32   // flat index of the path it extends in the previous dpLayer; -1 on the first
	owner []int32   // index into pos of the path's node
}

// bounds holds, for every node of every step, lower bounds of the cheapest
// partial chain reaching it (fwd, its own cost included) and of the cheapest
// completion after it (bwd), and the same-company links between steps.
type bounds struct {
	fwd, bwd [][]float64
	link     [][]int32 // link[l][j]: position in step l-1 of node j's company, or -1
	rlink    [][]int32 // rlink[l][j]: position in step l+1 of node j's company, or -1
}

func (p *problem) bounds() *bounds {
	L := len(p.layers)
	b := &bounds{fwd: make([][]float64, L), bwd: make([][]float64, L), link: make([][]int32, L), rlink: make([][]int32, L)}
	for l := range p.layers {
		b.rlink[l] = p.sc.i.get(len(p.layers[l].nodes))
		for j := range b.rlink[l] {
			b.rlink[l][j] = -1
		}
	}
	for l := range p.layers {
		cur := p.layers[l].nodes
		b.link[l] = p.sc.i.get(len(cur))
		for j := range b.link[l] {
			b.link[l][j] = -1
		}
		if l == 0 {
			continue
		}
		prev, i := p.layers[l-1].nodes, 0
		for j := range cur {
			for i < len(prev) && prev[i].cand < cur[j].cand {
				i++
			}
			if i < len(prev) && prev[i].cand == cur[j].cand {
				b.link[l][j], b.rlink[l-1][i] = int32(i), int32(j)
			}
		}
	}
	minF := 0.0
	for l := range p.layers {
		cur := p.layers[l].nodes
		f := p.sc.f.get(len(cur))
		m := math.Inf(1)
		for j := range cur {
			v := 0.0
			if l > 0 {
				v = minF + p.legBase
				if i := b.link[l][j]; i >= 0 {
					v = min(v, b.fwd[l-1][i])
				}
			}
			f[j] = cur[j].cost + v
			m = min(m, f[j])
		}
		b.fwd[l], minF = f, m
	}
	minG := 0.0
	for l := L - 1; l >= 0; l-- {
		cur := p.layers[l].nodes
		bw := p.sc.f.get(len(cur))
		m := math.Inf(1)
		for j := range cur {
			if l < L-1 {
				v := minG + p.legBase
				if i := b.rlink[l][j]; i >= 0 {
					v = min(v, p.layers[l+1].nodes[i].cost+b.bwd[l+1][i])
				}
				bw[j] = v
			}
			m = min(m, cur[j].cost+bw[j])
		}
		b.bwd[l], minG = bw, m
	}
	return b
}

// kbest returns the flat indices, in the last step's dpLayer, of the best
// chains, cheapest first, and keeps the dpLayers for chain.
func (p *problem) kbest(ctx context.Context) ([]int32, error) {
	for _, ly := range p.layers {
		if len(ly.nodes) == 0 {
			return nil, nil
		}
	}
	b := p.bounds()
	// First pass: the exact k-best over the few nodes with the lowest
	// bounds gives real chains, so its k-th cost bounds the answer.
	sel := make([][]int32, len(p.layers))
	total := 0
	for l, ly := range p.layers {
		total += len(ly.nodes)
		lb := p.sc.f.get(len(ly.nodes))
		for j := range lb {
			lb[j] = b.fwd[l][j] + b.bwd[l][j]
		}
		cut := kthSmallest(lb, restricted)
		sel[l] = p.sc.i.get(len(lb))[:0]
		for j, v := range lb {
			if v <= cut {
				sel[l] = append(sel[l], int32(j))
			}
		}
	}
	upper := math.Inf(1)
	if total > restricted*len(p.layers) {
		dp, err := p.dp(ctx, sel, b, upper)
		if err != nil {
			return nil, err
		}
		if best := p.final(dp); len(best) == p.k {
			last := dp[len(dp)-1]
			upper = last.cost[best[len(best)-1]]
		}
	}
	// Second pass: every node whose bound does not exceed the k-th cost.
	slack := 1e-9*math.Abs(upper) + 1e-6
	for l, ly := range p.layers {
		sel[l] = sel[l][:0]
		for j := range ly.nodes {
			if b.fwd[l][j]+b.bwd[l][j] <= upper+slack {
				sel[l] = append(sel[l], int32(j))
			}
		}
	}
	dp, err := p.dp(ctx, sel, b, upper+slack)
	if err != nil {
		return nil, err
	}
	p.dpl = dp
	return p.final(dp), nil
}

// kthSmallest returns the k-th smallest of vs (+Inf when there are no more
// than k), keeping the k smallest in a max-heap: O(n log k), and close to
// O(n) since most values lose to the heap's top.
func kthSmallest(vs []float64, k int) float64 {
	if len(vs) <= k {
		return math.Inf(1)
	}
	h := make([]float64, 0, k) // small: on the stack
	for _, v := range vs {
		switch {
		case len(h) < k:
			h = append(h, v)
			for i := len(h) - 1; i > 0 && h[(i-1)/2] < h[i]; i = (i - 1) / 2 {
				h[i], h[(i-1)/2] = h[(i-1)/2], h[i]
			}
		case v < h[0]:
			h[0] = v
			for i := 0; ; {
				c := 2*i + 1
				if c >= k {
					break
				}
				if c+1 < k && h[c+1] > h[c] {
					c++
				}
				if h[i] >= h[c] {
					break
				}
				h[i], h[c] = h[c], h[i]
				i = c
			}
		}
	}
	return h[0]
}

// final picks the k cheapest paths of the last step.
func (p *problem) final(dp []dpLayer) []int32 {
	last := dp[len(dp)-1]
	idx := p.sc.i.get(len(last.cost))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		if c := cmp.Compare(last.cost[a], last.cost[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return idx[:min(len(idx), p.k)]
}

// topk keeps the k best (value, flat index) pairs seen, sorted.
type topk struct {
	k   int
	val []float64
	idx []int32
}

func (t *topk) full() bool { return len(t.val) == t.k }

// worst is the value a new pair must not exceed to get in.
func (t *topk) worst() float64 {
	if !t.full() {
		return math.Inf(1)
	}
	return t.val[len(t.val)-1]
}

func (t *topk) offer(v float64, f int32) {
	n := len(t.val)
	if n == t.k {
		if v > t.val[n-1] || (v == t.val[n-1] && f >= t.idx[n-1]) {
			return
		}
		n--
	} else {
		t.val, t.idx = append(t.val, 0), append(t.idx, 0)
	}
	i := n
	for i > 0 && (t.val[i-1] > v || (t.val[i-1] == v && t.idx[i-1] > f)) {
		t.val[i], t.idx[i] = t.val[i-1], t.idx[i-1]
		i--
	}
	t.val[i], t.idx[i] = v, f
}

// dp is the k-best Viterbi over the selected nodes: for each node, the k
// cheapest partial chains ending there, built from the previous step's.
// Predecessor paths are scanned in order of cost, and the scan stops when
// even the cheapest possible leg (legBase, for another company) cannot
// beat the node's k-th best or the upper bound; the same company's paths
// are tried first at no transport cost.
func (p *problem) dp(ctx context.Context, sel [][]int32, b *bounds, upper float64) ([]dpLayer, error) {
	out := make([]dpLayer, len(sel))
	t := topk{k: p.k, val: make([]float64, 0, p.k), idx: make([]int32, 0, p.k)}
	var order []int32
	for l, pos := range sel {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		nodes := p.layers[l].nodes
		d := dpLayer{pos: pos, start: p.sc.i.get(len(pos) + 1)[:1]}
		d.start[0] = 0
		d.cost = p.sc.f.get(p.k * len(pos))[:0]
		d.prev = p.sc.i.get(p.k * len(pos))[:0]
		d.owner = p.sc.i.get(p.k * len(pos))[:0]
		if l == 0 {
			for j, q := range pos {
				c := nodes[q].cost
				if c+b.bwd[l][q] <= upper {
					d.cost, d.prev, d.owner = append(d.cost, c), append(d.prev, -1), append(d.owner, int32(j))
				}
				d.start = append(d.start, int32(len(d.cost)))
			}
			out[l] = d
			continue
		}
		pd := &out[l-1]
		pnodes := p.layers[l-1].nodes
		order = p.sc.i.get(len(pd.cost))[:0]
		for f := range pd.cost {
			order = append(order, int32(f))
		}
		slices.SortFunc(order, func(a, c int32) int {
			if x := cmp.Compare(pd.cost[a], pd.cost[c]); x != 0 {
				return x
			}
			return cmp.Compare(a, c)
		})
		// Where, among the selected nodes of the previous step, each
		// selected node's company is.
		same := p.sc.i.get(len(pos))
		i := 0
		for j, q := range pos {
			same[j] = -1
			want := b.link[l][q]
			for i < len(pd.pos) && pd.pos[i] < want {
				i++
			}
			if want >= 0 && i < len(pd.pos) && pd.pos[i] == want {
				same[j] = int32(i)
			}
		}
		for j, q := range pos {
			if j&255 == 255 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			nd := &nodes[q]
			limit := upper - nd.cost - b.bwd[l][q]
			t.val, t.idx = t.val[:0], t.idx[:0]
			if s := same[j]; s >= 0 {
				for f := pd.start[s]; f < pd.start[s+1]; f++ {
					if v := pd.cost[f]; v <= limit {
						t.offer(v, f)
					}
				}
			}
			vec := &p.n.info[nd.cand].vec
			for _, f := range order {
				a := pd.cost[f]
				if a+p.legBase > min(limit, t.worst()) {
					break
				}
				pn := &pnodes[pd.pos[pd.owner[f]]]
				if pn.cand == nd.cand {
					continue
				}
				v := a + p.legBase + p.legPerKM*dist(&p.n.info[pn.cand].vec, vec)
				if v <= limit {
					t.offer(v, f)
				}
			}
			for x := range t.val {
				d.cost = append(d.cost, t.val[x]+nd.cost)
				d.prev = append(d.prev, t.idx[x])
				d.owner = append(d.owner, int32(j))
			}
			d.start = append(d.start, int32(len(d.cost)))
		}
		out[l] = d
	}
	return out, nil
}

// chain builds the rank-th chain from the flat index f of its last path.
func (p *problem) chain(rank int, f int32) Chain {
	L := len(p.dpl)
	ch := Chain{Rank: rank, Steps: make([]ChainStep, L)}
	ch.Score = p.dpl[L-1].cost[f]
	cands := make([]*node, L)
	for l := L - 1; l >= 0; l-- {
		d := &p.dpl[l]
		cands[l] = &p.layers[l].nodes[d.pos[d.owner[f]]]
		f = d.prev[f]
	}
	return p.assemble(ch, cands)
}

// assemble fills a chain's steps, legs, cost and finish from its nodes.
func (p *problem) assemble(ch Chain, nodes []*node) Chain {
	hours := 0.0
	for l, nd := range nodes {
		in := &p.n.info[nd.cand]
		cs := ChainStep{Step: l, CompanyID: in.id, CompanyName: in.name, Regional: p.n.cands[nd.cand].Regional, MachineID: nd.machine, Cost: p.breakdown(l, nd)}
		switch {
		case l == 0 && p.origin != nil:
			lg := p.leg(0, dist(p.origin, &in.vec))
			cs.In = &lg
		case l > 0 && nodes[l-1].cand != nd.cand:
			from := &p.n.info[nodes[l-1].cand]
			lg := p.leg(from.id, dist(&from.vec, &in.vec))
			cs.In = &lg
			cs.Cost.TransportHours, cs.Cost.TransportYen = lg.Hours, lg.Yen
		}
		hours += cs.Cost.QueueHours + cs.Cost.ProcessingHours + cs.Cost.TransportHours
		ch.Cost.add(cs.Cost)
		ch.Steps[l] = cs
	}
	if p.dest != nil {
		last := &p.n.info[nodes[len(nodes)-1].cand]
		lg := p.leg(last.id, dist(&last.vec, p.dest))
		ch.Delivery = &lg
		ch.Cost.TransportHours += lg.Hours
		ch.Cost.TransportYen += lg.Yen
		hours += lg.Hours
	}
	ch.FinishAt = p.start.Add(time.Duration(hours * float64(time.Hour)))
	if !p.r.Due.IsZero() {
		ok := !ch.FinishAt.After(p.r.Due)
		ch.OnTime = &ok
	}
	return ch
}
