package schedule

import (
	"errors"
	"fmt"
	"slices"
)

// A StepRef names step Step of order Order.
type StepRef struct {
	Order, Step int
}

// Build computes a plan from the disjunctive representation the FJSP
// solver uses: a resource for every step that is not fixed (resource[o][s])
// and the order of the free steps on every resource (sequence[r]). Every
// step starts as early as it can: after the release, after the previous
// step has ended and the lot has travelled, in working hours, after the
// step before it in the sequence (on a pool: on the slot where it ends
// first, after the last step on that slot), and outside fixed steps and
// down times. Build fails if a step is missing or listed twice, on a
// resource that is not eligible, if the sequences and the orders form a
// cycle, or if the plan exceeds the horizon.
func Build(nw *Network, resource [][]int, sequence [][]StepRef) (*Plan, error) {
	m, err := compile(nw)
	if err != nil {
		return nil, err
	}
	return m.build(resource, sequence)
}

func (m *model) build(resource [][]int, sequence [][]StepRef) (*Plan, error) {
	nw := m.nw
	n := len(m.ordOf)
	if len(resource) != len(nw.Orders) || len(sequence) != len(nw.Resources) {
		return nil, errors.New("schedule: Build needs a resource list per order and a sequence per resource")
	}
	choice := make([]int32, n)
	seqPred := make([]int32, n)
	seqSucc := make([]int32, n)
	for v := range n {
		choice[v], seqPred[v], seqSucc[v] = -1, -1, -1
	}
	for r, seq := range sequence {
		prev := int32(-1)
		for _, ref := range seq {
			if ref.Order < 0 || ref.Order >= len(nw.Orders) || ref.Step < 0 || ref.Step >= len(nw.Orders[ref.Order].Steps) {
				return nil, fmt.Errorf("schedule: the sequence of resource %d lists order %d step %d, which does not exist", r, ref.Order, ref.Step)
			}
			v := m.first[ref.Order] + int32(ref.Step)
			if m.fixed[v].Resource >= 0 || choice[v] >= 0 || len(resource[ref.Order]) <= ref.Step || resource[ref.Order][ref.Step] != r {
				return nil, fmt.Errorf("schedule: order %d step %d is fixed, listed twice or not on resource %d", ref.Order, ref.Step, r)
			}
			if choice[v] = m.choiceOf(v, r); choice[v] < 0 {
				return nil, fmt.Errorf("schedule: order %d step %d cannot run on resource %d", ref.Order, ref.Step, r)
			}
			seqPred[v] = prev
			if prev >= 0 {
				seqSucc[prev] = v
			}
			prev = v
		}
	}
	// Kahn's algorithm over the orders' chains and the sequences.
	indeg := make([]int8, n)
	var queue []int32
	for v := range n {
		if m.fixed[v].Resource < 0 && choice[v] < 0 {
			o := m.ordOf[v]
			return nil, fmt.Errorf("schedule: order %d step %d is in no sequence", o, int32(v)-m.first[o])
		}
		if m.fixed[v].Resource >= 0 {
			queue = append(queue, int32(v)) // fixed steps wait for nothing
			continue
		}
		if int32(v) > m.first[m.ordOf[v]] {
			indeg[v]++
		}
		if seqPred[v] >= 0 {
			indeg[v]++
		}
		if indeg[v] == 0 {
			queue = append(queue, int32(v))
		}
	}
	b := m.newBoard()
	slotEnd := make([][]int, len(m.base))
	for r := range slotEnd {
		slotEnd[r] = make([]int, len(m.base[r]))
	}
	floor := func(r, k int) int { return slotEnd[r][k] }
	out := m.newSteps()
	done := 0
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		done++
		o := int(m.ordOf[v])
		s := int(v - m.first[o])
		if m.fixed[v].Resource >= 0 {
			out[o][s] = m.fixed[v]
		} else {
			var prev *Placement
			if s > 0 {
				prev = &out[o][s-1]
			}
			k, err := m.placeBest(b, v, prev, choice[v], floor, &out[o][s])
			if err != nil {
				return nil, err
			}
			slotEnd[out[o][s].Resource][k] = out[o][s].End
		}
		for _, w := range [2]int32{v + 1, seqSucc[v]} {
			if w < 0 || int(w) >= n || w == v+1 && m.ordOf[w] != m.ordOf[v] || m.fixed[w].Resource >= 0 {
				continue
			}
			if indeg[w]--; indeg[w] == 0 {
				queue = append(queue, w)
			}
		}
	}
	if done < n {
		return nil, errors.New("schedule: the sequences and the orders' steps form a cycle")
	}
	return m.plan(out), nil
}

// Sequences returns the disjunctive representation of plan p for Build:
// the resource of every step, and the free steps on each resource in the
// order of their starts.
func Sequences(nw *Network, p *Plan) ([][]int, [][]StepRef) {
	resource := make([][]int, len(p.Steps))
	sequence := make([][]StepRef, len(nw.Resources))
	for o, steps := range p.Steps {
		resource[o] = make([]int, len(steps))
		for s, pl := range steps {
			resource[o][s] = pl.Resource
			if nw.Orders[o].Steps[s].Fixed == nil {
				sequence[pl.Resource] = append(sequence[pl.Resource], StepRef{o, s})
			}
		}
	}
	for _, seq := range sequence {
		slices.SortStableFunc(seq, func(a, b StepRef) int {
			return p.Steps[a.Order][a.Step].Start - p.Steps[b.Order][b.Step].Start
		})
	}
	return resource, sequence
}
