package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// mayRead returns nil if the caller may read the records of companyID,
// EUNAUTHORIZED for an anonymous caller and ENOTFOUND with notFound
// otherwise, so that a company's existence is not revealed.
func mayRead(ctx context.Context, companyID int64, notFound string) error {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	} else if !a.Can(nakamawashi.PermCompanyRead, companyID) {
		return nakamawashi.Errorf(nakamawashi.ENOTFOUND, notFound)
	}
	return nil
}

// mayWrite is mayRead followed by perm: a company the caller cannot see is
// not found; one it sees but may not change is EFORBIDDEN.
func mayWrite(ctx context.Context, perm nakamawashi.Permission, companyID int64, notFound string) error {
	if err := mayRead(ctx, companyID, notFound); err != nil {
		return err
	}
	return nakamawashi.Authorize(ctx, perm, companyID)
}

// idSet selects companies in the loaders below: a condition on a column
// named company_id, with its arguments.
type idSet struct {
	expr string
	args []any
}

// idsIn selects the given companies.
func idsIn(ids []int64) idSet {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return idSet{expr: "company_id IN (" + placeholders(len(ids)) + ")", args: args}
}

// placeholders returns n comma-separated "?".
func placeholders(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// codeTables are the join tables of a profile's codes.
var codeTables = []string{"company_processes", "company_materials", "company_certifications", "company_lot_sizes"}

// codes returns the code list of p stored in table.
func profileCodes(p *nakamawashi.Profile, table string) []string {
	switch table {
	case "company_processes":
		return p.Processes
	case "company_materials":
		return p.Materials
	case "company_certifications":
		return p.Certifications
	}
	out := make([]string, len(p.LotSizes))
	for i, l := range p.LotSizes {
		out[i] = string(l)
	}
	return out
}

func addProfileCode(p *nakamawashi.Profile, table, code string) {
	switch table {
	case "company_processes":
		p.Processes = append(p.Processes, code)
	case "company_materials":
		p.Materials = append(p.Materials, code)
	case "company_certifications":
		p.Certifications = append(p.Certifications, code)
	default:
		p.LotSizes = append(p.LotSizes, nakamawashi.LotSize(code))
	}
}

// emptyProfile is the profile of a company that has not entered one.
func emptyProfile(companyID int64) *nakamawashi.Profile {
	return &nakamawashi.Profile{CompanyID: companyID, Processes: []string{}, Materials: []string{},
		Certifications: []string{}, LotSizes: []nakamawashi.LotSize{}}
}

// loadProfiles reads the profiles of the companies ids, which sel selects
// too, with one query per table. Companies without a stored profile get an
// empty one.
func (tx *Tx) loadProfiles(ctx context.Context, ids []int64, sel idSet) (map[int64]*nakamawashi.Profile, error) {
	out := make(map[int64]*nakamawashi.Profile, len(ids))
	for _, id := range ids {
		out[id] = emptyProfile(id)
	}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.query(ctx, `SELECT company_id, capacity_hours, hourly_rate, employees, latitude, longitude, updated_at
		FROM company_profiles WHERE `+sel.expr, sel.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var capacity, rate, employees int
		var lat, lon sql.NullFloat64
		var p nakamawashi.Profile
		if err := rows.Scan(&id, &capacity, &rate, &employees, &lat, &lon, timeScan{&p.UpdatedAt}); err != nil {
			return nil, err
		}
		if q, ok := out[id]; ok {
			q.CapacityHours, q.HourlyRate, q.Employees, q.UpdatedAt = capacity, rate, employees, p.UpdatedAt
			if lat.Valid && lon.Valid {
				q.Latitude, q.Longitude = &lat.Float64, &lon.Float64
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := tx.loadCodes(ctx, sel, out); err != nil {
		return nil, err
	}
	return out, nil
}

// loadCodes reads the codes of the profiles in out from all the code
// tables in one query (one round trip, each table read once). The rows
// come in any order and are put in the listed order here: sorting tens of
// thousands of rows costs the database more.
func (tx *Tx) loadCodes(ctx context.Context, sel idSet, out map[int64]*nakamawashi.Profile) error {
	var parts []string
	var args []any
	for i, table := range codeTables {
		parts = append(parts, `SELECT `+itoa(i)+` AS t, company_id, code, pos FROM `+table+` WHERE `+sel.expr)
		args = append(args, sel.args...)
	}
	rows, err := tx.query(ctx, strings.Join(parts, ` UNION ALL `), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	type code struct {
		table, pos int
		code       string
	}
	codes := map[int64][]code{}
	for rows.Next() {
		var c code
		var id int64
		if err := rows.Scan(&c.table, &id, &c.code, &c.pos); err != nil {
			return err
		}
		codes[id] = append(codes[id], c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for id, cs := range codes {
		p, ok := out[id]
		if !ok {
			continue
		}
		slices.SortFunc(cs, func(a, b code) int { return cmp.Or(a.table-b.table, a.pos-b.pos) })
		for _, c := range cs {
			addProfileCode(p, codeTables[c.table], c.code)
		}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// findProfile returns the profile of one company.
func (tx *Tx) findProfile(ctx context.Context, companyID int64) (*nakamawashi.Profile, error) {
	ps, err := tx.loadProfiles(ctx, []int64{companyID}, idsIn([]int64{companyID}))
	if err != nil {
		return nil, err
	}
	return ps[companyID], nil
}

// companyExists returns ENOTFOUND unless the company is stored.
func (tx *Tx) companyExists(ctx context.Context, id int64) error {
	var one int
	err := tx.queryRow(ctx, `SELECT 1 FROM companies WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.company.not_found")
	}
	return err
}

// lockCompany returns ENOTFOUND unless the company is stored, and holds
// its row until the write transaction ends: writes to one company's
// directory records (profile codes, machines, posts and the search index
// built from them) read what they replace, and must not interleave.
func (tx *Tx) lockCompany(ctx context.Context, id int64) error {
	var one int64
	err := tx.queryRow(ctx, `SELECT id FROM companies WHERE id = ?`+tx.store.dialect.LockCompany, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.company.not_found")
	}
	return err
}

// FindProfile returns the profile of a company the caller may read; a
// company that has not entered one has an empty profile. The location is
// the one entered, or nil (nakamawashi.Location estimates it).
func (s *Store) FindProfile(ctx context.Context, companyID int64) (*nakamawashi.Profile, error) {
	if err := mayRead(ctx, companyID, "err.company.not_found"); err != nil {
		return nil, err
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindProfile"), err)
	}
	defer tx.Rollback()
	if err := tx.companyExists(ctx, companyID); err != nil {
		return nil, nakamawashi.Internal(s.op("FindProfile"), err)
	}
	p, err := tx.findProfile(ctx, companyID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindProfile"), err)
	}
	return p, nil
}

// UpdateProfile validates p and replaces the profile of p.CompanyID with
// it. Owners edit their own company's profile, admins any.
func (s *Store) UpdateProfile(ctx context.Context, p *nakamawashi.Profile) error {
	if err := mayWrite(ctx, nakamawashi.PermProfileEdit, p.CompanyID, "err.company.not_found"); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("UpdateProfile"), err)
	}
	defer tx.Rollback()
	if err := tx.lockCompany(ctx, p.CompanyID); err != nil {
		return nakamawashi.Internal(s.op("UpdateProfile"), err)
	}
	old, err := tx.findProfile(ctx, p.CompanyID)
	if err != nil {
		return nakamawashi.Internal(s.op("UpdateProfile"), err)
	}
	ch := profileChanges(old, p)
	if len(ch) == 0 && !old.UpdatedAt.IsZero() {
		p.UpdatedAt = old.UpdatedAt
		return nil
	}
	p.UpdatedAt = tx.now
	if err := tx.saveProfiles(ctx, []*nakamawashi.Profile{p}, true); err != nil {
		return nakamawashi.Internal(s.op("UpdateProfile"), err)
	}
	if err := tx.reindex(ctx, p.CompanyID); err != nil {
		return nakamawashi.Internal(s.op("UpdateProfile"), err)
	}
	tx.audit(ctx, p.CompanyID, "profile.update", "profile", p.CompanyID, ch.detail())
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("UpdateProfile"), err)
	}
	return nil
}

// saveProfiles stores profiles whose UpdatedAt is set, replacing what is
// stored when replace is set (new companies have nothing to replace).
func (tx *Tx) saveProfiles(ctx context.Context, ps []*nakamawashi.Profile, replace bool) error {
	var rows []any
	codes := map[string][]any{}
	for _, p := range ps {
		if replace {
			for _, table := range codeTables {
				if _, err := tx.exec(ctx, `DELETE FROM `+table+` WHERE company_id = ?`, p.CompanyID); err != nil {
					return err
				}
			}
		}
		var lat, lon any
		if p.Latitude != nil && p.Longitude != nil {
			lat, lon = *p.Latitude, *p.Longitude
		}
		rows = append(rows, p.CompanyID, p.CapacityHours, p.HourlyRate, p.Employees, lat, lon, tx.t(p.UpdatedAt))
		for _, table := range codeTables {
			for i, c := range profileCodes(p, table) {
				codes[table] = append(codes[table], p.CompanyID, c, i)
			}
		}
	}
	if err := tx.insertMany(ctx, `INSERT INTO company_profiles (company_id, capacity_hours, hourly_rate, employees, latitude, longitude, updated_at) VALUES `,
		7, rows, ` ON CONFLICT (company_id) DO UPDATE SET capacity_hours = excluded.capacity_hours, hourly_rate = excluded.hourly_rate,
		employees = excluded.employees, latitude = excluded.latitude, longitude = excluded.longitude, updated_at = excluded.updated_at`); err != nil {
		return err
	}
	for _, table := range codeTables {
		if err := tx.insertMany(ctx, `INSERT INTO `+table+` (company_id, code, pos) VALUES `, 3, codes[table], ""); err != nil {
			return err
		}
	}
	return nil
}

// maxParams bounds the arguments of one statement, under the limits of
// both engines (SQLite 32766, PostgreSQL 65535).
const maxParams = 3000

// insertMany inserts rows of n values each (vals holds them one row after
// the other) with multi-row INSERTs: prefix is "INSERT INTO t (…) VALUES ",
// suffix an optional ON CONFLICT clause.
func (tx *Tx) insertMany(ctx context.Context, prefix string, n int, vals []any, suffix string) error {
	row := "(" + placeholders(n) + ")"
	per := maxParams / n
	for len(vals) > 0 {
		k := min(per, len(vals)/n)
		var b strings.Builder
		b.WriteString(prefix)
		for i := 0; i < k; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
		}
		b.WriteString(suffix)
		if _, err := tx.exec(ctx, b.String(), vals[:k*n]...); err != nil {
			return err
		}
		vals = vals[k*n:]
	}
	return nil
}

func profileChanges(old, p *nakamawashi.Profile) changes {
	ch := changes{}
	list := func(field string, o, n []string) {
		if !slices.Equal(o, n) {
			ch[field] = [2]any{o, n}
		}
	}
	list("processes", old.Processes, p.Processes)
	list("materials", old.Materials, p.Materials)
	list("certifications", old.Certifications, p.Certifications)
	list("lot_sizes", profileCodes(old, "company_lot_sizes"), profileCodes(p, "company_lot_sizes"))
	num := func(field string, o, n int) {
		if o != n {
			ch[field] = [2]any{o, n}
		}
	}
	num("capacity_hours", old.CapacityHours, p.CapacityHours)
	num("hourly_rate", old.HourlyRate, p.HourlyRate)
	num("employees", old.Employees, p.Employees)
	coord := func(field string, o, n *float64) {
		if (o == nil) != (n == nil) || o != nil && *o != *n && !(math.IsNaN(*o) && math.IsNaN(*n)) {
			ch[field] = [2]any{o, n}
		}
	}
	coord("latitude", old.Latitude, p.Latitude)
	coord("longitude", old.Longitude, p.Longitude)
	return ch
}
