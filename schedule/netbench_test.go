package schedule_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/schedule"
)

// benchLimit returns NAKAMAWASHI_NET_TIME, the planning time limit of the
// network benchmarks (default 5s).
func benchLimit(b *testing.B) time.Duration {
	limit := 5 * time.Second
	if v := os.Getenv("NAKAMAWASHI_NET_TIME"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatalf("NAKAMAWASHI_NET_TIME: %v", err)
		}
		limit = d
	}
	return limit
}

// BenchmarkNetworkPlan plans 200 orders of 6 steps over 500 shops with
// calendars and 2,000 resources (a third of them pools with lead times),
// with transport from the shops' distances, and reports the time to the
// first feasible plan (first-ms, with the compilation of calendars and
// transport), its weighted tardiness (wt-first) and the weighted tardiness,
// late orders and makespan in days after the time limit, next to the lower
// bound of the orders planned alone (wt-bound). For example:
//
//	go test -run '^$' -bench NetworkPlan -benchtime 1x ./schedule
func BenchmarkNetworkPlan(b *testing.B) {
	limit := benchLimit(b)
	nw := genNetwork(1, 500, 2000, 200)
	_, bound, err := schedule.NetworkBound(nw)
	if err != nil {
		b.Fatal(err)
	}
	var first, wtFirst, wt, tardy, span float64
	for i := 0; b.Loop(); i++ {
		res, err := schedule.PlanNetwork(context.Background(), nw, schedule.PlanOptions{Seed: int64(i), TimeLimit: limit})
		if err != nil {
			b.Fatal(err)
		}
		sc, err := schedule.CheckNetwork(nw, res.Plan)
		if err != nil {
			b.Fatal(err)
		}
		first += float64(res.First.Microseconds()) / 1000
		wtFirst += res.Initial.WeightedTardiness
		wt += sc.WeightedTardiness
		tardy += float64(res.Plan.Tardy)
		span += float64(sc.Makespan) / (24 * 60)
	}
	n := float64(b.N)
	b.ReportMetric(first/n, "first-ms")
	b.ReportMetric(wtFirst/n, "wt-first")
	b.ReportMetric(wt/n, "wt")
	b.ReportMetric(bound.WeightedTardiness, "wt-bound")
	b.ReportMetric(tardy/n, "late-orders")
	b.ReportMetric(span/n, "makespan-days")
}

// BenchmarkNetworkReplan plans the same network for the time limit, then
// repairs the plan after one step is delayed by two days, three days into
// the plan. It reports the time to the repaired plan (replan-ms, a right
// shift, or the re-dispatch in the old order if better), the time with
// local search for at most 0.9 s (replan-improved-ms), how many steps and
// orders moved, and the weighted tardiness before the delay, after the
// repair and after the improvement.
func BenchmarkNetworkReplan(b *testing.B) {
	nw := genNetwork(1, 500, 2000, 200)
	res, err := schedule.PlanNetwork(context.Background(), nw, schedule.PlanOptions{Seed: 1, TimeLimit: benchLimit(b)})
	if err != nil {
		b.Fatal(err)
	}
	p := res.Plan
	now := 3 * 24 * 60
	var ev schedule.Event
	for o := range p.Steps {
		for s, pl := range p.Steps[o] {
			if pl.Start < now && pl.End > now && ev.Delay == nil && s < len(p.Steps[o])-1 {
				ev = schedule.Event{Now: now, Delay: &schedule.Delay{Order: o, Step: s, End: pl.End + 2*24*60}}
			}
		}
	}
	if ev.Delay == nil {
		b.Fatal("no step runs at the time of the delay")
	}
	var ms, improvedMS, moved, orders, shifted, wt float64
	for b.Loop() {
		rp, err := schedule.Replan(context.Background(), nw, p, ev, 10, schedule.PlanOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := schedule.CheckNetwork(rp.Network, rp.Plan); err != nil {
			b.Fatal(err)
		}
		ms += float64(rp.Elapsed.Microseconds()) / 1000
		moved += float64(len(rp.Moved))
		orders += float64(len(rp.Orders))
		ri, err := schedule.Replan(context.Background(), nw, p, ev, 10, schedule.PlanOptions{Seed: 1, TimeLimit: 900 * time.Millisecond})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := schedule.CheckNetwork(ri.Network, ri.Plan); err != nil {
			b.Fatal(err)
		}
		improvedMS += float64(ri.Elapsed.Microseconds()) / 1000
		wt += ri.Plan.WeightedTardiness
		shifted += rp.Plan.WeightedTardiness
	}
	n := float64(b.N)
	b.ReportMetric(ms/n, "replan-ms")
	b.ReportMetric(improvedMS/n, "replan-improved-ms")
	b.ReportMetric(moved/n, "steps-moved")
	b.ReportMetric(orders/n, "orders-moved")
	b.ReportMetric(p.WeightedTardiness, "wt-before")
	b.ReportMetric(shifted/n, "wt-replanned")
	b.ReportMetric(wt/n, "wt-improved")
}
