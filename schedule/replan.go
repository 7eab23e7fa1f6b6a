package schedule

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// An Event is what makes a plan change: a step that ends late, or a
// resource that goes down. Steps that started before Now keep their
// resources and times.
type Event struct {
	Now    int
	Delay  *Delay
	Outage *Outage
}

// A Delay says that step Step of order Order now ends at End.
type Delay struct {
	Order, Step, End int
}

// An Outage says that a resource cannot work during Span.
type Outage struct {
	Resource int
	Span
}

// A Replanned plan says what moved: Moved lists the steps whose resource
// changed or whose start moved by more than the threshold, Orders the
// orders whose finish moved.
type Replanned struct {
	*PlanResult
	// Network is the network the plan is for: the input with the started
	// steps fixed and the outage added.
	Network *Network
	Moved   []MovedStep
	Orders  []MovedOrder
}

// A MovedStep is a step placed From in the old plan and To in the new.
type MovedStep struct {
	Order, Step int
	From, To    Placement
}

// A MovedOrder is an order whose finish moved.
type MovedOrder struct {
	Order, From, To int
}

// Replan repairs plan p of nw after event ev. Steps started before ev.Now,
// and the delayed step with those before it, are fixed; an outage is added
// to its resource's down times. The repair first re-dispatches every other
// step in the order of its old start on its old resource (on any eligible
// one if its resource is down), which right-shifts what the event pushes and
// keeps the rest in place; then, if opt allows time or iterations, the
// local search of PlanNetwork improves it from there. The result is the
// better of that and the plain right shift (Build with the old resources
// and sequences), the right shift when they tie. Steps of firm orders keep
// their resources. Moves of at most threshold minutes are not reported.
func Replan(ctx context.Context, nw *Network, p *Plan, ev Event, threshold int, opt PlanOptions) (*Replanned, error) {
	start := time.Now()
	if _, err := CheckNetwork(nw, p); err != nil {
		return nil, fmt.Errorf("the plan to repair: %w", err)
	}
	nw2 := *nw
	nw2.Orders = slices.Clone(nw.Orders)
	for o := range nw2.Orders {
		ord := &nw2.Orders[o]
		ord.Steps = slices.Clone(ord.Steps)
		last := -1 // the last step to fix
		for s := range ord.Steps {
			if p.Steps[o][s].Start < ev.Now {
				last = s
			}
		}
		if d := ev.Delay; d != nil && d.Order == o {
			if d.Step < 0 || d.Step >= len(ord.Steps) || d.End < p.Steps[o][d.Step].Start {
				return nil, errors.New("schedule: the delay is not of a step of the plan, or ends before it starts")
			}
			last = max(last, d.Step)
		}
		for s := 0; s <= last; s++ {
			pl := p.Steps[o][s]
			ord.Steps[s].Fixed = &Fixed{Resource: pl.Resource, Start: pl.Start, End: pl.End}
			if d := ev.Delay; d != nil && d.Order == o && d.Step == s {
				ord.Steps[s].Fixed.End = d.End
			}
		}
	}
	if out := ev.Outage; out != nil {
		if out.Resource < 0 || out.Resource >= len(nw.Resources) || out.To <= out.From {
			return nil, errors.New("schedule: the outage is not of a resource, or is empty")
		}
		nw2.Resources = slices.Clone(nw.Resources)
		r := &nw2.Resources[out.Resource]
		r.Down = append(slices.Clone(r.Down), out.Span)
	}
	m, err := compile(&nw2)
	if err != nil {
		return nil, err
	}
	// The right shift keeps every resource and sequence; it fails when a
	// step must leave a resource that is down for good.
	shifted, shiftErr := m.build(Sequences(&nw2, p))
	keys, forced := m.keep(p, ev.Outage)
	res, err := m.improve(ctx, start, keys, forced, opt)
	if err != nil {
		return nil, err
	}
	if shiftErr == nil && !nw.Objective.Better(res.Plan.Score, shifted.Score) {
		res.Plan = shifted
	}
	rp := &Replanned{PlanResult: res, Network: &nw2}
	for o := range p.Steps {
		for s, old := range p.Steps[o] {
			nu := res.Plan.Steps[o][s]
			if nu.Resource != old.Resource || abs(nu.Start-old.Start) > threshold {
				rp.Moved = append(rp.Moved, MovedStep{Order: o, Step: s, From: old, To: nu})
			}
		}
		if f, g := p.Finish(o), res.Plan.Finish(o); f != g {
			rp.Orders = append(rp.Orders, MovedOrder{Order: o, From: f, To: g})
		}
	}
	return rp, nil
}

// keep returns keys and forced choices that dispatch the free steps in the
// order of their start in p on their resource in p, except those on a
// resource made unavailable by the outage; steps of firm orders go first.
func (m *model) keep(p *Plan, out *Outage) ([]float64, []int32) {
	keys := make([]float64, len(m.ordOf))
	forced := make([]int32, len(m.ordOf))
	for v := range keys {
		o := int(m.ordOf[v])
		pl := p.Steps[o][v-int(m.first[o])]
		keys[v] = float64(pl.Start)
		if m.nw.Orders[o].Firm {
			keys[v] -= float64(m.horizon)
		}
		forced[v] = m.choiceOf(int32(v), pl.Resource)
		if out != nil && out.Resource == pl.Resource && !m.nw.Orders[o].Firm && pl.End > out.From && pl.Start < out.To {
			forced[v] = -1
		}
	}
	return keys, forced
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
