package schedule

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// A Quote is the answer of Promise: the earliest finish of a new order
// that leaves every firm commitment where it is.
type Quote struct {
	Finish int       // minutes from the epoch
	Date   time.Time // Finish as a time in Japan
	Steps  []Placement
	// Network is the input network with the new order appended as the
	// last, neither fixed nor firm; Plan is a feasible plan of it.
	Network *Network
	Plan    *Plan
}

// Promise answers "by when?" at quote time: it places order o into plan p
// of nw without moving the steps of firm orders. With keepTentative the
// steps of the other orders stay where they are as well; otherwise they
// yield to the new order and are re-dispatched after it in the order of
// their old starts on their old resources.
//
// The new order gets its earliest possible finish around what stays: for
// each step and eligible resource the earliest end of the step over the
// best previous resource (end plus transport) is computed by dynamic
// programming over the steps, which is exact because the earliest end in
// the gaps of a resource never decreases when the lot arrives later.
func Promise(nw *Network, p *Plan, o Order, keepTentative bool) (*Quote, error) {
	if _, err := CheckNetwork(nw, p); err != nil {
		return nil, fmt.Errorf("the current plan: %w", err)
	}
	for _, st := range o.Steps {
		if st.Fixed != nil {
			return nil, errors.New("schedule: a new order has no fixed steps")
		}
	}
	o.Firm = false
	held := *nw // firm (and maybe all) orders fixed where they are
	held.Orders = slices.Clone(nw.Orders)
	for i := range held.Orders {
		ord := &held.Orders[i]
		if !ord.Firm && !keepTentative {
			// Out of the way but for its started steps; the free ones come
			// back after the new order.
			k := 0
			for k < len(ord.Steps) && ord.Steps[k].Fixed != nil {
				k++
			}
			ord.Steps = ord.Steps[:k]
			continue
		}
		ord.Steps = slices.Clone(ord.Steps)
		for s := range ord.Steps {
			pl := p.Steps[i][s]
			ord.Steps[s].Fixed = &Fixed{Resource: pl.Resource, Start: pl.Start, End: pl.End}
		}
	}
	held.Orders = slices.DeleteFunc(held.Orders, func(ord Order) bool { return len(ord.Steps) == 0 })
	held.Orders = append(held.Orders, o)
	m, err := compile(&held)
	if err != nil {
		return nil, err
	}
	steps, err := m.earliestChain(len(held.Orders) - 1)
	if err != nil {
		return nil, err
	}

	// The network with the new order, and the plan: firm steps (and the
	// new order's) fixed, the others re-dispatched.
	out := *nw
	out.Orders = append(slices.Clone(nw.Orders), o)
	pinned := out
	pinned.Orders = slices.Clone(out.Orders)
	last := len(out.Orders) - 1
	for i := range pinned.Orders {
		ord := &pinned.Orders[i]
		if i < last && !ord.Firm && !keepTentative {
			continue
		}
		ord.Steps = slices.Clone(ord.Steps)
		for s := range ord.Steps {
			pl := steps[min(s, len(steps)-1)]
			if i < last {
				pl = p.Steps[i][s]
			}
			ord.Steps[s].Fixed = &Fixed{Resource: pl.Resource, Start: pl.Start, End: pl.End}
		}
	}
	m2, err := compile(&pinned)
	if err != nil {
		return nil, err
	}
	all := &Plan{Steps: append(slices.Clone(p.Steps), steps)}
	keys, forced := m2.keep(all, nil)
	b := m2.newBoard()
	res := m2.newSteps()
	if err := m2.decode(b, keys, forced, res); err != nil {
		return nil, err
	}
	plan := m2.plan(res)
	plan.Score, plan.Tardy = out.score(plan.Steps)
	f := steps[len(steps)-1].End
	return &Quote{Finish: f, Date: nw.Time(f), Steps: steps, Network: &out, Plan: plan}, nil
}

// earliestChain returns the placements that finish order o (the only one
// that is not fixed) earliest.
func (m *model) earliestChain(o int) ([]Placement, error) {
	lo, hi := m.first[o], m.first[o+1]
	type cell struct {
		pl   Placement
		from int32 // the choice of the previous step
	}
	cells := make([][]cell, hi-lo)
	for v := lo; v < hi; v++ {
		row := make([]cell, m.chOff[v+1]-m.chOff[v])
		for i := range row {
			c := m.chOff[v] + int32(i)
			r := int(m.chRes[c])
			best := cell{pl: Placement{Resource: r, Start: never, End: never}, from: -1}
			try := func(ready int, from int32) {
				for _, busy := range m.base[r] {
					s, e := m.earliest(busy, r, m.chWork[c], ready)
					if e < best.pl.End {
						best = cell{pl: Placement{Resource: r, Start: s, End: e}, from: from}
					}
				}
			}
			if v == lo {
				try(m.nw.Orders[o].Release, -1)
			} else {
				for j, prev := range cells[v-lo-1] {
					if prev.pl.End < never {
						try(m.ready(o, &prev.pl, r), int32(j))
					}
				}
			}
			row[i] = best
		}
		cells[v-lo] = row
	}
	last := cells[len(cells)-1]
	bi := 0
	for i := range last {
		if last[i].pl.End < last[bi].pl.End {
			bi = i
		}
	}
	if last[bi].pl.End >= never {
		return nil, errHorizon
	}
	steps := make([]Placement, len(cells))
	for s := len(cells) - 1; s >= 0; s-- {
		steps[s] = cells[s][bi].pl
		bi = int(cells[s][bi].from)
	}
	return steps, nil
}

// NetworkBound returns, for a network without fixed steps, the earliest
// finish of each order on its own (with calendars, transport and down
// times, but none of the other orders), and the score those finishes would
// have: a lower bound on the weighted tardiness of any plan.
func NetworkBound(nw *Network) ([]int, Score, error) {
	m, err := compile(nw)
	if err != nil {
		return nil, Score{}, err
	}
	for _, f := range m.fixed {
		if f.Resource >= 0 {
			return nil, Score{}, errors.New("schedule: NetworkBound needs a network without fixed steps")
		}
	}
	finish := make([]int, len(nw.Orders))
	steps := make([][]Placement, len(nw.Orders))
	for o := range nw.Orders {
		st, err := m.earliestChain(o)
		if err != nil {
			return nil, Score{}, err
		}
		finish[o], steps[o] = st[len(st)-1].End, st
	}
	sc, _ := nw.score(steps)
	return finish, sc, nil
}
