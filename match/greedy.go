package match

import (
	"context"
	"math"
)

// Greedy is the step-by-step baseline that Match improves on: it takes, for
// each step in turn, the candidate cheapest given the company chosen for
// the previous step (its step cost plus the leg into it), ties by company
// id. It obeys the same hard constraints and returns at most one chain. It
// is kept for comparison in tests and benchmarks, not for use.
func (n *Network) Greedy(ctx context.Context, r *Routing, opt Options) (*Result, error) {
	p, err := n.prepare(ctx, r, opt)
	if err != nil {
		return nil, err
	}
	defer p.release()
	res := &Result{Chains: []Chain{}, Steps: p.reports}
	chosen := make([]*node, len(p.layers))
	score := 0.0
	for l, ly := range p.layers {
		best, bestV := -1, math.Inf(1)
		for j := range ly.nodes {
			nd := &ly.nodes[j]
			v := nd.cost
			if l > 0 && chosen[l-1].cand != nd.cand {
				v += p.legBase + p.legPerKM*dist(&n.info[chosen[l-1].cand].vec, &n.info[nd.cand].vec)
			}
			if v < bestV {
				best, bestV = j, v
			}
		}
		if best < 0 {
			return res, nil
		}
		chosen[l] = &ly.nodes[best]
		score += bestV
	}
	res.Chains = append(res.Chains, p.assemble(Chain{Rank: 1, Score: score, Steps: make([]ChainStep, len(chosen))}, chosen))
	return res, nil
}
