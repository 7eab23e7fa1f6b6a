package http_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/demo"
	nkmhttp "github.com/nakamawashi/nakamawashi/http"
	"github.com/nakamawashi/nakamawashi/sqlite"
)

// BenchmarkDraftQuote measures what a coordinator waits for on the demo
// network: a new inquiry's part gets its six-step routing from a template
// (旋盤→フライス→焼入れ→研削→めっき→検査), chain matching over every
// supplier of those processes picks the shops, and the quote's price and
// date are assembled and stored. It must stay under a second.
func BenchmarkDraftQuote(b *testing.B) {
	ctx := nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
	store, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "demo.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	store.PasswordParams = nakamawashi.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	if _, _, err := demo.Seed(ctx, store, demo.Options{}); err != nil {
		b.Fatal(err)
	}
	s := nkmhttp.NewServer()
	s.Store, s.Network = store, demo.Network()
	customers, _, err := store.FindCompanies(ctx, nakamawashi.CompanyFilter{Kind: nakamawashi.KindCustomer, Limit: 1})
	if err != nil || len(customers) == 0 {
		b.Fatal(customers, err)
	}
	tmpl := &nakamawashi.RoutingTemplate{Name: "シャフト 6工程", Steps: []nakamawashi.StepInput{
		{Process: "turning.nc"}, {Process: "milling.manual"}, {Process: "heat.quench"},
		{Process: "grinding.cylindrical"}, {Process: "plating.electroless_ni"}, {Process: "inspection.cmm"},
	}}
	if err := store.CreateRoutingTemplate(ctx, tmpl); err != nil {
		b.Fatal(err)
	}
	today := nakamawashi.DateOf(timeIn(0))
	steps := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := &nakamawashi.Inquiry{CustomerID: customers[0].ID, Title: "駆動シャフト 試作", DesiredDate: today.AddDays(60), DeliveryPlace: "本社工場",
			Parts: []*nakamawashi.Part{{DrawingNumber: "BM-001", Name: "駆動シャフト", Material: "S45C", Quantity: 20,
				Size: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 30, L: 150}, ToleranceUM: 10}}}
		if err := store.CreateInquiry(ctx, q); err != nil {
			b.Fatal(err)
		}
		ts, err := store.FindRoutingTemplates(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var in []nakamawashi.StepInput
		for _, t := range ts {
			if t.ID == tmpl.ID {
				in = t.Steps
			}
		}
		if _, err := store.SetRouting(ctx, q.Parts[0].ID, in); err != nil {
			b.Fatal(err)
		}
		quote, err := s.DraftQuote(ctx, q.ID)
		if err != nil {
			b.Fatal(err)
		}
		if quote.Costing == nil || len(quote.Costing.Steps) != 6 || quote.Total <= 0 || quote.PromisedDate.IsZero() {
			b.Fatalf("draft: %+v", quote)
		}
		steps += len(quote.Costing.Steps)
	}
	b.ReportMetric(float64(steps)/float64(b.N), "steps/quote")
}
