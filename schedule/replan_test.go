package schedule_test

import (
	"context"
	"testing"

	"github.com/nakamawashi/nakamawashi/schedule"
)

func TestReplanDelay(t *testing.T) {
	nw := genNetwork(3, 60, 240, 40)
	res, err := schedule.PlanNetwork(context.Background(), nw, schedule.PlanOptions{Seed: 1, MaxIterations: 200})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Plan
	// Step 2 of order 5 is running and will end two days late.
	o, s := 5, 2
	old := p.Steps[o][s]
	ev := schedule.Event{Now: old.Start + 1, Delay: &schedule.Delay{Order: o, Step: s, End: old.End + 2*1440}}
	rp, err := schedule.Replan(context.Background(), nw, p, ev, 0, schedule.PlanOptions{Seed: 1, MaxIterations: 100})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := schedule.CheckNetwork(rp.Network, rp.Plan); err != nil {
		t.Fatal(err)
	}
	if got := rp.Plan.Steps[o][s]; got.End != ev.Delay.End || got.Start != old.Start {
		t.Errorf("the delayed step is at %+v, want %d–%d", got, old.Start, ev.Delay.End)
	}
	for oo := range p.Steps {
		for ss, pl := range p.Steps[oo] {
			if pl.Start < ev.Now && rp.Plan.Steps[oo][ss].Start != pl.Start {
				t.Errorf("order %d step %d had started at %d; now at %d", oo, ss, pl.Start, rp.Plan.Steps[oo][ss].Start)
			}
		}
	}
	if next := rp.Plan.Steps[o][s+1]; next.Start < ev.Delay.End {
		t.Errorf("step %d starts at %d, before the delayed step ends", s+1, next.Start)
	}
	reported := false
	for _, m := range rp.Moved {
		reported = reported || m.Order == o && m.Step == s+1
	}
	if !reported {
		t.Errorf("order %d step %d is not reported as moved: %+v", o, s+1, rp.Moved)
	}
	t.Logf("%d steps and %d orders moved, score %+v → %+v, in %v", len(rp.Moved), len(rp.Orders), p.Score, rp.Plan.Score, rp.Elapsed)
}

func TestReplanOutage(t *testing.T) {
	nw := genNetwork(4, 60, 240, 40)
	res, err := schedule.PlanNetwork(context.Background(), nw, schedule.PlanOptions{Seed: 1, MaxIterations: 100})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Plan
	// The resource of order 0's second step breaks down for good a minute
	// before that step starts.
	pl := p.Steps[0][1]
	ev := schedule.Event{Now: pl.Start - 1, Outage: &schedule.Outage{Resource: pl.Resource, Span: schedule.Span{From: pl.Start - 1, To: 1 << 40}}}
	rp, err := schedule.Replan(context.Background(), nw, p, ev, 30, schedule.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := schedule.CheckNetwork(rp.Network, rp.Plan); err != nil {
		t.Fatal(err)
	}
	if rp.Plan.Steps[0][1].Resource == pl.Resource && len(nw.Orders[0].Steps[1].Choices) > 1 {
		t.Errorf("order 0 step 1 stays on its broken resource %d", pl.Resource)
	}
	t.Logf("%d steps moved (more than 30 minutes or to another resource) in %v", len(rp.Moved), rp.Elapsed)
}

// TestBuildRoundTrip rebuilds a plan from its own resources and sequences:
// a semi-active plan comes back unchanged.
func TestBuildRoundTrip(t *testing.T) {
	nw := genNetwork(5, 60, 240, 40)
	res, err := schedule.PlanNetwork(context.Background(), nw, schedule.PlanOptions{Seed: 1, MaxIterations: 50})
	if err != nil {
		t.Fatal(err)
	}
	resource, sequence := schedule.Sequences(nw, res.Plan)
	p, err := schedule.Build(nw, resource, sequence)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := schedule.CheckNetwork(nw, p); err != nil {
		t.Fatal(err)
	}
	if nw.Objective.Better(res.Plan.Score, p.Score) {
		t.Errorf("rebuilt plan scores %+v, worse than %+v", p.Score, res.Plan.Score)
	}
}

// TestBuildCycle gives Build sequences that contradict the orders: order
// B mills then turns, A turns then mills, and the sequences put B's turning
// before A's and A's milling before B's.
func TestBuildCycle(t *testing.T) {
	nw := smallNetwork()
	nw.Orders = nw.Orders[:2]
	nw.Orders[1].Steps = append([]schedule.Step{{Quantity: 1, Choices: []schedule.Choice{{Resource: 1, Setup: 30}}}}, nw.Orders[1].Steps...)
	res := [][]int{{0, 1}, {1, 0}}
	seq := [][]schedule.StepRef{{{1, 1}, {0, 0}}, {{0, 1}, {1, 0}}, nil}
	if _, err := schedule.Build(nw, res, seq); err == nil {
		t.Fatal("got a plan from cyclic sequences")
	}
	seq = [][]schedule.StepRef{{{0, 0}, {1, 1}}, {{1, 0}, {0, 1}}, nil}
	p, err := schedule.Build(nw, res, seq)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := schedule.CheckNetwork(nw, p); err != nil {
		t.Fatal(err)
	}
}
