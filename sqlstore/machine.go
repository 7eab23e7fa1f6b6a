package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/nakamawashi/nakamawashi"
)

const machineColumns = `id, company_id, process, maker, model, count, shape, x, y, z, d, l, axes, tolerance_um, roughness_ra, note,
	created_at, updated_at`

func scanMachine(sc scanner) (*nakamawashi.Machine, error) {
	var m nakamawashi.Machine
	err := sc.Scan(&m.ID, &m.CompanyID, &m.Process, &m.Maker, &m.Model, &m.Count, &m.Envelope.Shape,
		&m.Envelope.X, &m.Envelope.Y, &m.Envelope.Z, &m.Envelope.D, &m.Envelope.L, &m.Axes, &m.ToleranceUM, &m.RoughnessRa, &m.Note,
		timeScan{&m.CreatedAt}, timeScan{&m.UpdatedAt})
	return &m, err
}

// machineValues are the stored columns of m after company_id, in the order
// of machineInsert.
func (tx *Tx) machineValues(m *nakamawashi.Machine) []any {
	b := m.Envelope.Box()
	e := m.Envelope
	return []any{m.Process, m.Maker, m.Model, m.Count, string(e.Shape), e.X, e.Y, e.Z, e.D, e.L, b[0], b[1], b[2],
		m.Axes, m.ToleranceUM, m.RoughnessRa, m.Note, tx.t(m.CreatedAt), tx.t(m.UpdatedAt)}
}

const machineInsert = `INSERT INTO machines (company_id, process, maker, model, count, shape, x, y, z, d, l, box_a, box_b, box_c,
	axes, tolerance_um, roughness_ra, note, created_at, updated_at) VALUES `

// loadMachines reads the machines of the companies sel selects, by
// company and id.
func (tx *Tx) loadMachines(ctx context.Context, sel idSet) ([]*nakamawashi.Machine, error) {
	rows, err := tx.query(ctx, `SELECT `+machineColumns+` FROM machines WHERE `+sel.expr+` ORDER BY company_id, id`, sel.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*nakamawashi.Machine{}
	for rows.Next() {
		m, err := scanMachine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (tx *Tx) findMachineByID(ctx context.Context, id int64) (*nakamawashi.Machine, error) {
	m, err := scanMachine(tx.queryRow(ctx, `SELECT `+machineColumns+` FROM machines WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.machine.not_found")
	}
	return m, err
}

// FindMachines returns the machines of a company the caller may read.
func (s *Store) FindMachines(ctx context.Context, companyID int64) ([]*nakamawashi.Machine, error) {
	if err := mayRead(ctx, companyID, "err.company.not_found"); err != nil {
		return nil, err
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindMachines"), err)
	}
	defer tx.Rollback()
	if err := tx.companyExists(ctx, companyID); err != nil {
		return nil, nakamawashi.Internal(s.op("FindMachines"), err)
	}
	ms, err := tx.loadMachines(ctx, idsIn([]int64{companyID}))
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindMachines"), err)
	}
	return ms, nil
}

// CreateMachine validates m and adds it to the machines of m.CompanyID.
func (s *Store) CreateMachine(ctx context.Context, m *nakamawashi.Machine) error {
	if err := mayWrite(ctx, nakamawashi.PermProfileEdit, m.CompanyID, "err.company.not_found"); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateMachine"), err)
	}
	defer tx.Rollback()
	if err := tx.lockCompany(ctx, m.CompanyID); err != nil {
		return nakamawashi.Internal(s.op("CreateMachine"), err)
	}
	m.CreatedAt, m.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, machineInsert+`(`+placeholders(20)+`)`, append([]any{m.CompanyID}, tx.machineValues(m)...)...)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateMachine"), err)
	}
	if err := tx.reindex(ctx, m.CompanyID); err != nil {
		return nakamawashi.Internal(s.op("CreateMachine"), err)
	}
	tx.audit(ctx, m.CompanyID, "machine.create", "machine", id, map[string]any{
		"process": m.Process, "maker": m.Maker, "model": m.Model, "count": m.Count})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("CreateMachine"), err)
	}
	m.ID = id
	return nil
}

// UpdateMachine validates m and replaces the stored machine m.ID with it;
// the machine stays with its company.
func (s *Store) UpdateMachine(ctx context.Context, m *nakamawashi.Machine) error {
	if nakamawashi.ActorFromContext(ctx) == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("UpdateMachine"), err)
	}
	defer tx.Rollback()
	old, err := tx.findMachineByID(ctx, m.ID)
	if err != nil {
		return nakamawashi.Internal(s.op("UpdateMachine"), err)
	}
	if err := mayWrite(ctx, nakamawashi.PermProfileEdit, old.CompanyID, "err.machine.not_found"); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	m.CompanyID, m.CreatedAt = old.CompanyID, old.CreatedAt
	ch := machineChanges(old, m)
	if len(ch) == 0 {
		m.UpdatedAt = old.UpdatedAt
		return nil
	}
	m.UpdatedAt = tx.now
	b := m.Envelope.Box()
	e := m.Envelope
	if _, err := tx.exec(ctx, `UPDATE machines SET process = ?, maker = ?, model = ?, count = ?, shape = ?, x = ?, y = ?, z = ?, d = ?, l = ?,
		box_a = ?, box_b = ?, box_c = ?, axes = ?, tolerance_um = ?, roughness_ra = ?, note = ?, updated_at = ? WHERE id = ?`,
		m.Process, m.Maker, m.Model, m.Count, string(e.Shape), e.X, e.Y, e.Z, e.D, e.L, b[0], b[1], b[2],
		m.Axes, m.ToleranceUM, m.RoughnessRa, m.Note, tx.t(m.UpdatedAt), m.ID); err != nil {
		return nakamawashi.Internal(s.op("UpdateMachine"), err)
	}
	if err := tx.reindex(ctx, m.CompanyID); err != nil {
		return nakamawashi.Internal(s.op("UpdateMachine"), err)
	}
	tx.audit(ctx, m.CompanyID, "machine.update", "machine", m.ID, ch.detail())
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("UpdateMachine"), err)
	}
	return nil
}

// DeleteMachine removes a machine.
func (s *Store) DeleteMachine(ctx context.Context, id int64) error {
	if nakamawashi.ActorFromContext(ctx) == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("DeleteMachine"), err)
	}
	defer tx.Rollback()
	old, err := tx.findMachineByID(ctx, id)
	if err != nil {
		return nakamawashi.Internal(s.op("DeleteMachine"), err)
	}
	if err := mayWrite(ctx, nakamawashi.PermProfileEdit, old.CompanyID, "err.machine.not_found"); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM machines WHERE id = ?`, id); err != nil {
		return nakamawashi.Internal(s.op("DeleteMachine"), err)
	}
	if err := tx.reindex(ctx, old.CompanyID); err != nil {
		return nakamawashi.Internal(s.op("DeleteMachine"), err)
	}
	tx.audit(ctx, old.CompanyID, "machine.delete", "machine", id, map[string]any{
		"process": old.Process, "maker": old.Maker, "model": old.Model, "count": old.Count})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("DeleteMachine"), err)
	}
	return nil
}

func machineChanges(old, m *nakamawashi.Machine) changes {
	ch := changes{}
	ch.str("process", old.Process, m.Process)
	ch.str("maker", old.Maker, m.Maker)
	ch.str("model", old.Model, m.Model)
	ch.str("note", old.Note, m.Note)
	num := func(field string, o, n any) {
		if o != n {
			ch[field] = [2]any{o, n}
		}
	}
	num("count", old.Count, m.Count)
	num("envelope", old.Envelope, m.Envelope)
	num("axes", old.Axes, m.Axes)
	num("tolerance_um", old.ToleranceUM, m.ToleranceUM)
	num("roughness_ra", old.RoughnessRa, m.RoughnessRa)
	return ch
}
