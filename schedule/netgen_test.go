package schedule_test

import (
	"math/rand/v2"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/schedule"
)

var jst = time.FixedZone("Asia/Tokyo", 9*60*60)

// genNetwork builds a network like the one the benchmarks plan: shops in
// the clusters of Ota, Kawaguchi, Hitachi, Okaya and Higashi-Osaka with
// calendars (Monday to Friday or Saturday, national holidays, お盆 and
// 年末年始, some days off of their own), machines of four kinds and capacity
// pools for heat treatment and plating with lead times, and orders of six
// steps (turning, milling, heat treatment, grinding, plating, inspection)
// released over three weeks from 2026-07-27, a Monday two weeks before
// お盆.
func genNetwork(seed uint64, shops, machines, orders int) *schedule.Network {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	nw := &schedule.Network{
		Epoch:   time.Date(2026, 7, 27, 0, 0, 0, 0, jst),
		Horizon: 400 * 24 * 60,
	}
	clusters := [][2]float64{
		{35.561, 139.716}, {35.561, 139.716}, {35.561, 139.716}, // Ota, the core
		{35.808, 139.724}, {36.599, 140.651}, {36.067, 138.050}, {34.679, 135.601},
	}
	for i := range shops {
		c := clusters[rng.IntN(len(clusters))]
		cal := schedule.StandardCalendar()
		if rng.IntN(3) == 0 { // works Saturday mornings
			cal.Week[time.Saturday] = []schedule.Span{{510, 720}}
		}
		if rng.IntN(4) == 0 { // a few days off of its own
			d := nw.Epoch.AddDate(0, 0, rng.IntN(90))
			cal.Closed = append(cal.Closed, schedule.DateRange{From: d, To: d.AddDate(0, 0, rng.IntN(3))})
		}
		nw.Shops = append(nw.Shops, schedule.Shop{
			ID:       "shop" + itoa(i),
			Calendar: cal,
			Location: nakamawashi.LatLon{Lat: c[0] + (rng.Float64()-0.5)*0.08, Lon: c[1] + (rng.Float64()-0.5)*0.08},
		})
	}
	// Kinds 0..3 are machines, 4 (heat treatment) and 5 (plating) pools.
	byKind := make([][]int, 6)
	for r := range machines {
		kind := r % 6
		res := schedule.Resource{Shop: rng.IntN(shops)}
		switch kind {
		case 2:
			res.Capacity, res.LeadDays = 4, 1+rng.IntN(2)
		case 4:
			res.Capacity, res.LeadDays = 6, 2+rng.IntN(2)
		}
		byKind[kind] = append(byKind[kind], r)
		nw.Resources = append(nw.Resources, res)
	}
	route := []int{0, 1, 2, 3, 4, 5}
	for o := range orders {
		release := rng.IntN(21) * 24 * 60
		ord := schedule.Order{
			ID:      "lot" + itoa(o),
			Release: release,
			Due:     release + (12+rng.IntN(20))*24*60,
			Weight:  float64(1 + rng.IntN(3)),
		}
		qty := 10 + rng.IntN(190)
		for _, kind := range route {
			st := schedule.Step{Quantity: qty}
			pool := byKind[kind]
			seen := map[int]bool{}
			for len(st.Choices) < 6 {
				// Skewed: a few resources are popular.
				r := pool[int(float64(len(pool))*rng.Float64()*rng.Float64())]
				if seen[r] {
					continue
				}
				seen[r] = true
				st.Choices = append(st.Choices, schedule.Choice{Resource: r, Setup: 30 + rng.IntN(90), CycleSeconds: 30 + rng.IntN(600)})
			}
			ord.Steps = append(ord.Steps, st)
		}
		nw.Orders = append(nw.Orders, ord)
	}
	return nw
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
