package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/nakamawashi/nakamawashi"
)

// FindSuppliers returns every member and regional partner offering one of
// the processes, directly or through a process that covers it, with its
// profile and machines, ordered by id. It reads with one query per table,
// whatever the number of companies.
func (s *Store) FindSuppliers(ctx context.Context, processes []string) ([]*nakamawashi.Supplier, error) {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermMatch, 0); err != nil {
		return nil, err
	}
	pr := nakamawashi.Problems{}
	for _, p := range processes {
		if _, ok := nakamawashi.ProcessByCode(p); !ok {
			pr.Add("processes", "err.profile.process", p)
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	out := []*nakamawashi.Supplier{}
	codes := processCodesSatisfying(processes...)
	if len(codes) == 0 {
		return out, nil
	}
	// The suppliers, as a subquery the loaders repeat, so that no list of
	// thousands of ids travels back and forth.
	sub := `SELECT id FROM companies WHERE kind IN (?, ?) AND id IN (SELECT company_id FROM company_processes WHERE code IN (` +
		placeholders(len(codes)) + `))`
	args := append([]any{string(nakamawashi.KindMember), string(nakamawashi.KindPartner)}, codes...)
	sel := idSet{expr: "company_id IN (" + sub + ")", args: args}

	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindSuppliers"), err)
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT `+companyColumns+` FROM companies WHERE id IN (`+sub+`) ORDER BY id`, args...)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindSuppliers"), err)
	}
	defer rows.Close()
	var ids []int64
	byID := map[int64]*nakamawashi.Supplier{}
	for rows.Next() {
		c, err := scanCompany(rows)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("FindSuppliers"), err)
		}
		sup := &nakamawashi.Supplier{Company: c, Machines: []*nakamawashi.Machine{}}
		out, ids, byID[c.ID] = append(out, sup), append(ids, c.ID), sup
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("FindSuppliers"), err)
	}
	rows.Close()
	profiles, err := tx.loadProfiles(ctx, ids, sel)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindSuppliers"), err)
	}
	machines, err := tx.loadMachines(ctx, sel)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindSuppliers"), err)
	}
	for _, m := range machines {
		if sup, ok := byID[m.CompanyID]; ok {
			sup.Machines = append(sup.Machines, m)
		}
	}
	for _, sup := range out {
		sup.Profile = profiles[sup.Company.ID]
	}
	return out, nil
}

// ImportDirectory loads a network's existing member list: it creates every
// supplier's company with its profile, machines and search document, in
// one transaction and with one audit event per company, and fills in the
// ids. Nothing is stored unless everything is valid; problems are reported
// per field as "index.field" (e.g. "12.postal_code", "3.machines.0.envelope").
// Only the system and network admins may.
func (s *Store) ImportDirectory(ctx context.Context, sups []*nakamawashi.Supplier) error {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCompanyCreate, 0); err != nil {
		return err
	}
	pr := nakamawashi.Problems{}
	prefix := func(p string, err error) {
		var e *nakamawashi.Error
		if errors.As(err, &e) {
			for f, m := range e.Fields {
				pr.Add(p+f, m.Key, m.Args...)
			}
		}
	}
	for i, sup := range sups {
		if sup == nil || sup.Company == nil {
			pr.Add(fmt.Sprintf("%d.company", i), "err.required")
			continue
		}
		if sup.Profile == nil {
			sup.Profile = emptyProfile(0)
		}
		prefix(fmt.Sprintf("%d.", i), sup.Company.Validate())
		prefix(fmt.Sprintf("%d.", i), sup.Profile.Validate())
		for j, m := range sup.Machines {
			prefix(fmt.Sprintf("%d.machines.%d.", i, j), m.Validate())
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}

	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("ImportDirectory"), err)
	}
	defer tx.Rollback()
	ids := make([]int64, len(sups))
	var profiles []*nakamawashi.Profile
	var machines []any
	for i, sup := range sups {
		id, err := tx.insertCompany(ctx, sup.Company)
		if err != nil {
			var e *nakamawashi.Error
			if errors.As(err, &e) && e.Code == nakamawashi.ECONFLICT {
				return uniqueErr(fmt.Sprintf("%d.corporate_number", i), "err.company.corporate_number_taken")
			}
			return nakamawashi.Internal(s.op("ImportDirectory"), err)
		}
		ids[i] = id
		sup.Profile.CompanyID, sup.Profile.UpdatedAt = id, tx.now
		profiles = append(profiles, sup.Profile)
		for _, m := range sup.Machines {
			m.CompanyID, m.CreatedAt, m.UpdatedAt = id, tx.now, tx.now
			machines = append(append(machines, id), tx.machineValues(m)...)
		}
		tx.audit(ctx, id, "company.import", "company", id, map[string]any{
			"kind": string(sup.Company.Kind), "name": sup.Company.Name, "processes": sup.Profile.Processes, "machines": len(sup.Machines)})
	}
	if err := tx.saveProfiles(ctx, profiles, false); err != nil {
		return nakamawashi.Internal(s.op("ImportDirectory"), err)
	}
	if err := tx.insertMany(ctx, machineInsert, 20, machines, ""); err != nil {
		return nakamawashi.Internal(s.op("ImportDirectory"), err)
	}
	// The machines of new companies are exactly those just inserted, in
	// insertion order; read their ids back a chunk of companies at a time.
	for start := 0; start < len(ids); start += 1000 {
		chunk := ids[start:min(start+1000, len(ids))]
		ms, err := tx.loadMachines(ctx, idsIn(chunk))
		if err != nil {
			return nakamawashi.Internal(s.op("ImportDirectory"), err)
		}
		bySup, next := map[int64]*nakamawashi.Supplier{}, map[int64]int{}
		for i, sup := range sups[start : start+len(chunk)] {
			bySup[chunk[i]] = sup
		}
		for _, m := range ms {
			bySup[m.CompanyID].Machines[next[m.CompanyID]].ID = m.ID
			next[m.CompanyID]++
		}
	}
	docs := make(map[int64]searchDoc, len(sups))
	for i, sup := range sups {
		docs[ids[i]] = buildDoc(sup.Company, sup.Profile, sup.Machines, nil)
	}
	if err := tx.writeDocs(ctx, ids, docs, nil); err != nil {
		return nakamawashi.Internal(s.op("ImportDirectory"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("ImportDirectory"), err)
	}
	for i, sup := range sups {
		sup.Company.ID = ids[i]
	}
	// Fresh statistics, so that the planner knows how selective the
	// search index and the filters are after a bulk load.
	for _, table := range []string{"companies", "company_processes", "company_materials", "company_certifications",
		"company_lot_sizes", "machines", "search_docs", "search_grams"} {
		if _, err := s.write.ExecContext(ctx, `ANALYZE `+table); err != nil {
			return nakamawashi.Internal(s.op("ImportDirectory"), err)
		}
	}
	return nil
}
