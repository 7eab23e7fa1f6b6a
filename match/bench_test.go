package match_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/match"
)

// benchRouting is a typical six-step job: a shaft turned, milled,
// hardened, ground, plated and measured.
func benchRouting(qty int) *match.Routing {
	start := time.Date(2026, 5, 11, 8, 0, 0, 0, time.FixedZone("JST", 9*3600))
	ota := nakamawashi.LatLon{Lat: 35.56, Lon: 139.72}
	return &match.Routing{
		Steps: []match.Step{
			{Process: "turning.nc", Material: "S45C", Part: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 60, L: 180}, ToleranceUM: 10},
			{Process: "mc.3axis", Material: "S45C", Part: nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: 180, Y: 60, Z: 60}, ToleranceUM: 15},
			{Process: "heat.quench"},
			{Process: "grinding.cylindrical", Part: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 60, L: 180}, ToleranceUM: 3, RoughnessRa: 0.4},
			{Process: "plating.electroless_ni"},
			{Process: "inspection.cmm", ToleranceUM: 2},
		},
		Quantity: qty, Origin: &ota, Destination: &ota, Start: start, Due: start.Add(21 * 24 * time.Hour),
	}
}

// BenchmarkMatch times single Match calls for the top 5 chains of a
// six-step routing (three quantities in turn: 50, 2,000 and 5 pieces)
// over generated networks of 2,500, 5,000 and 10,000 companies, and
// reports the 99th and 50th percentiles of the call's wall-clock latency.
// Run it with a fixed count so that the percentiles have enough calls:
//
//	go test -run '^$' -bench BenchmarkMatch -benchtime 200x ./match/
func BenchmarkMatch(b *testing.B) {
	for _, size := range []int{2500, 5000, 10000} {
		b.Run(fmt.Sprintf("companies=%d", size), func(b *testing.B) {
			net := match.NewNetwork(match.Generate(rand.New(rand.NewPCG(1, uint64(size))), size), match.Transport{})
			routings := []*match.Routing{benchRouting(50), benchRouting(2000), benchRouting(5)}
			ctx := context.Background()
			times := make([]float64, 0, b.N)
			runtime.GC() // the generator's garbage is not Match's
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				t0 := time.Now()
				res, err := net.Match(ctx, routings[i%len(routings)], match.Options{K: 5})
				times = append(times, float64(time.Since(t0))/float64(time.Millisecond))
				if err != nil {
					b.Fatal(err)
				} else if len(res.Chains) == 0 {
					b.Fatal("no chains")
				}
			}
			slices.Sort(times)
			q := func(p float64) float64 { return times[min(len(times)-1, int(p*float64(len(times))))] }
			b.ReportMetric(q(0.99), "p99-ms")
			b.ReportMetric(q(0.50), "p50-ms")
			// Flat across sizes when the cost grows linearly.
			b.ReportMetric(q(0.50)*1000/float64(size)*1000, "p50-µs/1k-companies")
		})
	}
}
