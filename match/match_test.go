package match_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/match"
)

func TestMatchGenerated(t *testing.T) {
	net := match.NewNetwork(match.Generate(rand.New(rand.NewPCG(7, 7)), 3000), match.Transport{})
	if net.Len() != 3000 {
		t.Fatalf("Len = %d, want 3000", net.Len())
	}
	res, err := net.Match(context.Background(), benchRouting(50), match.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Chains) != 5 {
		t.Fatalf("got %d chains, want 5", len(res.Chains))
	}
	for i, ch := range res.Chains {
		if ch.Rank != i+1 || len(ch.Steps) != 6 {
			t.Errorf("chain %d: rank %d, %d steps", i, ch.Rank, len(ch.Steps))
		}
		if i > 0 && ch.Score < res.Chains[i-1].Score {
			t.Errorf("chain %d scores %v, below chain %d's %v", i, ch.Score, i-1, res.Chains[i-1].Score)
		}
	}
	if len(res.Steps) != 6 || res.Steps[0].Eligible == 0 || res.Steps[0].ExcludedTotal+res.Steps[0].Eligible != 3000 {
		t.Errorf("step report: %+v", res.Steps[0])
	}
}

func TestValidate(t *testing.T) {
	steps := func(n int) []match.Step {
		s := make([]match.Step, n)
		for i := range s {
			s[i].Process = "turning.nc"
		}
		return s
	}
	for _, tt := range []struct {
		name  string
		r     match.Routing
		field string
		key   string
	}{
		{"empty", match.Routing{Quantity: 1}, "steps", "err.match.steps"},
		{"too many", match.Routing{Steps: steps(31), Quantity: 1}, "steps", "err.match.steps_max"},
		{"unknown process", match.Routing{Steps: []match.Step{{Process: "turning.nc"}, {Process: "teleport"}}, Quantity: 1}, "steps.1.process", "err.match.process"},
		{"unknown material", match.Routing{Steps: []match.Step{{Process: "turning.nc", Material: "unobtainium"}}, Quantity: 1}, "steps.0.material", "err.match.material"},
		{"unknown certification", match.Routing{Steps: []match.Step{{Process: "turning.nc", Certifications: []string{"ISO9001", "ISO0"}}}, Quantity: 1}, "steps.0.certifications", "err.match.certification"},
		{"quantity", match.Routing{Steps: steps(1), Quantity: 0}, "quantity", "err.match.quantity"},
		{"part", match.Routing{Steps: []match.Step{{Process: "turning.nc", Part: nakamawashi.Envelope{X: 3}}}, Quantity: 1}, "steps.0.part", "err.match.part"},
		// A chain finishing after the year 9999 cannot be written as JSON:
		// the API answered 200 with an empty body.
		{"start far", match.Routing{Steps: steps(1), Quantity: 1, Start: time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC)}, "start", "err.match.date"},
		{"due far", match.Routing{Steps: steps(1), Quantity: 1, Due: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}, "due", "err.match.date"},
		{"start before", match.Routing{Steps: steps(1), Quantity: 1, Start: time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC)}, "start", "err.match.date"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := match.NewNetwork(nil, match.Transport{}).Match(context.Background(), &tt.r, match.Options{})
			var e *nakamawashi.Error
			if !errors.As(err, &e) || e.Code != nakamawashi.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
			if got := e.Fields[tt.field].Key; got != tt.key {
				t.Errorf("field %s: got %q, want %q (all: %v)", tt.field, got, tt.key, e.Fields)
			}
			if !nakamawashi.HasMessage(tt.key) {
				t.Errorf("key %s not in the catalog", tt.key)
			}
		})
	}
}
