package schedule_test

import (
	"context"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/schedule"
)

func TestPlanNetworkScale(t *testing.T) {
	nw := genNetwork(1, 500, 2000, 200)
	start := time.Now()
	res, err := schedule.PlanNetwork(context.Background(), nw, schedule.PlanOptions{Seed: 1, TimeLimit: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := schedule.CheckNetwork(nw, res.Plan)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first %v initial %+v best %+v (tardy %d) after %v, %d iterations, total %v", res.First, res.Initial, sc, res.Plan.Tardy, res.TimeToBest, res.Iterations, time.Since(start))
}
