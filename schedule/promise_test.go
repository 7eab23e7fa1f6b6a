package schedule_test

import (
	"context"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/schedule"
)

// TestPromiseKeepsFirm quotes a new order into a plan where half the orders
// are firm: no firm step may move, the plan with the new order must be
// feasible, and the new order must end at the promised date.
func TestPromiseKeepsFirm(t *testing.T) {
	nw := genNetwork(7, 60, 240, 40)
	res, err := schedule.PlanNetwork(context.Background(), nw, schedule.PlanOptions{Seed: 1, MaxIterations: 200})
	if err != nil {
		t.Fatal(err)
	}
	for o := range nw.Orders {
		nw.Orders[o].Firm = o%2 == 0
	}
	extra := genNetwork(8, 60, 240, 1).Orders[0]
	extra.ID = "new"
	for _, keep := range []bool{false, true} {
		q, err := schedule.Promise(nw, res.Plan, extra, keep)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := schedule.CheckNetwork(q.Network, q.Plan); err != nil {
			t.Fatalf("keepTentative %v: %v", keep, err)
		}
		for o, ord := range nw.Orders {
			for s := range ord.Steps {
				if (ord.Firm || keep) && q.Plan.Steps[o][s] != res.Plan.Steps[o][s] {
					t.Errorf("keepTentative %v: firm order %d step %d moved from %+v to %+v", keep, o, s, res.Plan.Steps[o][s], q.Plan.Steps[o][s])
				}
			}
		}
		if got := q.Plan.Finish(len(nw.Orders)); got != q.Finish {
			t.Errorf("the new order finishes at %d in the plan, promised %d", got, q.Finish)
		}
		t.Logf("keepTentative %v: promised %v (minute %d), release %d", keep, q.Date.Format(time.DateTime), q.Finish, extra.Release)
	}
}

// TestPromiseEarliest checks the promise on an empty plan of smallNetwork:
// order A alone, with its milling quoted behind firm order B's turning.
func TestPromiseEarliest(t *testing.T) {
	nw := smallNetwork()
	a := nw.Orders[0]
	nw.Orders = nw.Orders[1:2]
	nw.Orders[0].Firm = true
	p := planOnce(t, nw) // B turns 8:30–10:10
	q, err := schedule.Promise(nw, p, a, false)
	if err != nil {
		t.Fatal(err)
	}
	// A turns 10:10–11:20, travels two hours, mills 13:20–14:00.
	if q.Finish != 840 || q.Steps[0].Start != 610 {
		t.Errorf("got %+v, finish %d; want turning from 610 and a finish at 840", q.Steps, q.Finish)
	}
	// A tentative B yields: A turns first, and B after it.
	nw.Orders[0].Firm = false
	q, err = schedule.Promise(nw, p, a, false)
	if err != nil {
		t.Fatal(err)
	}
	if q.Finish != 800 || q.Plan.Steps[0][0].Start != 580 {
		t.Errorf("got %+v, finish %d, B at %+v; want a finish at 800 and B from 580", q.Steps, q.Finish, q.Plan.Steps[0][0])
	}
	if _, err := schedule.CheckNetwork(q.Network, q.Plan); err != nil {
		t.Fatal(err)
	}
}
