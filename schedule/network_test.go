package schedule_test

import (
	"context"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/schedule"
)

// TestPlanNetworkScale plans 200 orders of 6 steps over 500 shops and
// 2,000 resources: the first feasible plan must come within 2 s, and the
// improvement must not make it worse.
func TestPlanNetworkScale(t *testing.T) {
	nw := genNetwork(1, 500, 2000, 200)
	res, err := schedule.PlanNetwork(context.Background(), nw, schedule.PlanOptions{Seed: 1, TimeLimit: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := schedule.CheckNetwork(nw, res.Plan)
	if err != nil {
		t.Fatal(err)
	}
	if res.First > 2*time.Second {
		t.Errorf("first feasible plan after %v, want under 2s", res.First)
	}
	if nw.Objective.Better(res.Initial, sc) {
		t.Errorf("improved to %+v from %+v", sc, res.Initial)
	}
	t.Logf("first plan after %v: %+v; best %+v (%d late) after %v, %d plans tried", res.First, res.Initial, sc, res.Plan.Tardy, res.TimeToBest, res.Iterations)
}

// TestObjective checks the lexicographic default and the weighted sum.
func TestObjective(t *testing.T) {
	punctual := schedule.Score{WeightedTardiness: 0, Makespan: 10000}
	late := schedule.Score{WeightedTardiness: 100, Makespan: 5000}
	if !(schedule.Objective{}).Better(punctual, late) {
		t.Error("lexicographic: a punctual plan is not better than a late one that ends earlier")
	}
	if (schedule.Objective{}).Better(late, punctual) {
		t.Error("lexicographic: a late plan is better")
	}
	if !(schedule.Objective{MakespanWeight: 1}).Better(late, punctual) {
		t.Error("weighted sum: 100+5000 is not better than 0+10000")
	}
}
