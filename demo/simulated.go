package demo

import (
	"context"
	"fmt"

	"github.com/nakamawashi/nakamawashi"
)

// SimulatedMachines returns the machines the demo's simulator drives: every
// machine of the network's members and regional partners, by company and
// then as the store lists them.
func SimulatedMachines(ctx context.Context, s nakamawashi.Store) ([]*nakamawashi.Machine, error) {
	ctx = nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor)
	var out []*nakamawashi.Machine
	for _, kind := range []nakamawashi.CompanyKind{nakamawashi.KindMember, nakamawashi.KindPartner} {
		for offset := 0; ; {
			cs, total, err := s.FindCompanies(ctx, nakamawashi.CompanyFilter{Kind: kind, Offset: offset, Limit: nakamawashi.MaxPageSize})
			if err != nil {
				return nil, fmt.Errorf("demo: list companies: %w", err)
			}
			for _, c := range cs {
				ms, err := s.FindMachines(ctx, c.ID)
				if err != nil {
					return nil, fmt.Errorf("demo: machines of %s: %w", c.Name, err)
				}
				out = append(out, ms...)
			}
			offset += len(cs)
			if len(cs) == 0 || offset >= total {
				break
			}
		}
	}
	return out, nil
}
