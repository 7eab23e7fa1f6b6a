package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

// BenchCompanies is the size of the network the search benchmark loads:
// about 40,000 machines come with it.
const BenchCompanies = 10000

// BenchSearch loads a generated network of BenchCompanies into s, which
// must be empty, with ImportDirectory, and measures directory searches on
// it as a coordinator: a one-word Japanese query with two filters (the
// everyday question: who grinds stainless here), the two-character words
// alone, and a full-width material code. Each query reports its 50th and
// 99th percentile latency in milliseconds and its number of hits. It also
// times FindSuppliers for two processes.
func BenchSearch(b *testing.B, s *sqlstore.Store) {
	ctx := context.Background()
	sys := nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor)
	sups := GenerateDirectory(BenchCompanies, 2026)
	machines := 0
	for _, sup := range sups {
		machines += len(sup.Machines)
	}
	start := time.Now()
	if err := s.ImportDirectory(sys, sups); err != nil {
		b.Fatal(err)
	}
	b.Logf("imported %d companies and %d machines in %v", len(sups), machines, time.Since(start).Round(time.Millisecond))

	coord := nakamawashi.NewContextWithActor(ctx, &nakamawashi.Actor{UserID: 1, UserName: "coordinator", CompanyID: sups[0].Company.ID,
		CompanyKind: nakamawashi.KindOffice, Role: nakamawashi.RoleCoordinator, Language: nakamawashi.Japanese})
	for _, bq := range []struct {
		name string
		q    nakamawashi.SearchQuery
	}{
		{"研削+大田区+SUS304", nakamawashi.SearchQuery{Text: "研削", Region: "大田区", Material: "SUS304"}},
		{"旋盤+大田区+SUS304", nakamawashi.SearchQuery{Text: "旋盤", Region: "大田区", Material: "SUS304"}},
		{"研削", nakamawashi.SearchQuery{Text: "研削"}},
		{"旋盤", nakamawashi.SearchQuery{Text: "旋盤"}},
		{"ＳＵＳ３０４", nakamawashi.SearchQuery{Text: "ＳＵＳ３０４"}},
	} {
		b.Run(bq.name, func(b *testing.B) {
			var lat []time.Duration
			total := 0
			b.ResetTimer()
			for b.Loop() {
				t0 := time.Now()
				res, err := s.Search(coord, bq.q)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
				total = res.Total
			}
			slices.Sort(lat)
			ms := func(q float64) float64 {
				return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))]) / float64(time.Millisecond)
			}
			b.ReportMetric(ms(0.50), "p50-ms")
			b.ReportMetric(ms(0.99), "p99-ms")
			b.ReportMetric(float64(total), "hits")
		})
	}
	// Chain matching reads every supplier of a few processes at once.
	b.Run("FindSuppliers", func(b *testing.B) {
		n := 0
		for b.Loop() {
			sups, err := s.FindSuppliers(coord, []string{"mc.3axis", "grinding.surface"})
			if err != nil {
				b.Fatal(err)
			}
			n = len(sups)
		}
		b.ReportMetric(float64(n), "suppliers")
	})
}
