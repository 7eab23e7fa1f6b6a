package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// boardCompany is what a board needs of a company.
type boardCompany struct {
	name, prefecture, region string
	view                     nakamawashi.TelemetrySharing
}

// FindBoard returns the machines f selects with the states the caller may
// see of them.
func (s *Store) FindBoard(ctx context.Context, f nakamawashi.BoardFilter) ([]*nakamawashi.BoardMachine, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	withRange := !f.From.IsZero() || !f.To.IsZero()
	if withRange {
		f.From, f.To = nakamawashi.TruncateTime(f.From), nakamawashi.TruncateTime(f.To)
		if !f.To.After(f.From) || f.To.Sub(f.From) > nakamawashi.MaxStateIntervalRange {
			return nil, nakamawashi.Errorf(nakamawashi.EINVALID, "err.telemetry.range", int(nakamawashi.MaxStateIntervalRange/(24*time.Hour)))
		}
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindBoard"), err)
	}
	defer tx.Rollback()

	where, args := "1 = 1", []any{}
	switch {
	case f.MachineID != 0:
		m, err := tx.findMachineByID(ctx, f.MachineID)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("FindBoard"), err)
		}
		if err := mayRead(ctx, m.CompanyID, "err.machine.not_found"); err != nil {
			return nil, err
		}
		where, args = "id = ?", []any{f.MachineID}
	case f.CompanyID != 0:
		if err := mayRead(ctx, f.CompanyID, "err.company.not_found"); err != nil {
			return nil, err
		}
		if err := tx.companyExists(ctx, f.CompanyID); err != nil {
			return nil, nakamawashi.Internal(s.op("FindBoard"), err)
		}
		where, args = "company_id = ?", []any{f.CompanyID}
	}
	rows, err := tx.query(ctx, `SELECT `+machineColumns+` FROM machines WHERE `+where+` ORDER BY company_id, id`, args...)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindBoard"), err)
	}
	var machines []*nakamawashi.Machine
	companyIDs := []int64{}
	seen := map[int64]bool{}
	for rows.Next() {
		m, err := scanMachine(rows)
		if err != nil {
			rows.Close()
			return nil, nakamawashi.Internal(s.op("FindBoard"), err)
		}
		machines = append(machines, m)
		if !seen[m.CompanyID] {
			seen[m.CompanyID] = true
			companyIDs = append(companyIDs, m.CompanyID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("FindBoard"), err)
	}
	companies, err := tx.boardCompanies(ctx, a, companyIDs)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindBoard"), err)
	}

	out := []*nakamawashi.BoardMachine{}
	byID := map[int64]*nakamawashi.BoardMachine{}
	var ids, history []int64
	for _, m := range machines {
		c := companies[m.CompanyID]
		if c == nil || c.view == nakamawashi.ShareNothing {
			continue
		}
		bm := &nakamawashi.BoardMachine{Machine: *m, CompanyName: c.name, Prefecture: c.prefecture, Region: c.region, View: c.view}
		out = append(out, bm)
		byID[m.ID] = bm
		ids = append(ids, m.ID)
		if withRange && c.view == nakamawashi.ShareUtilization {
			history = append(history, m.ID)
		}
	}
	for lo := 0; lo < len(ids); lo += ingestChunk {
		chunk := ids[lo:min(lo+ingestChunk, len(ids))]
		ivs, err := tx.scanIntervals(ctx, `SELECT machine_id, device_id, state, start_at, end_at FROM state_intervals s
			WHERE s.machine_id IN (`+placeholders(len(chunk))+`)
			AND s.start_at = (SELECT MAX(x.start_at) FROM state_intervals x WHERE x.machine_id = s.machine_id)`, int64Args(chunk)...)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("FindBoard"), err)
		}
		for _, iv := range ivs {
			byID[iv.MachineID].Current = &iv
		}
	}
	for lo := 0; lo < len(history); lo += ingestChunk {
		chunk := history[lo:min(lo+ingestChunk, len(history))]
		ivs, err := tx.scanIntervals(ctx, `SELECT machine_id, device_id, state, start_at, end_at FROM state_intervals
			WHERE machine_id IN (`+placeholders(len(chunk))+`) AND start_at < ? AND (end_at IS NULL OR end_at > ?)
			ORDER BY machine_id, start_at`, append(int64Args(chunk), tx.t(f.To), tx.t(f.From))...)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("FindBoard"), err)
		}
		for _, iv := range ivs {
			bm := byID[iv.MachineID]
			bm.Intervals = append(bm.Intervals, iv)
		}
	}
	return out, nil
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// scanIntervals runs a query for state intervals.
func (tx *Tx) scanIntervals(ctx context.Context, q string, args ...any) ([]nakamawashi.StateInterval, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nakamawashi.StateInterval
	for rows.Next() {
		var iv nakamawashi.StateInterval
		var device sql.NullInt64
		if err := rows.Scan(&iv.MachineID, &device, &iv.State, timeScan{&iv.Start}, timeScan{&iv.End}); err != nil {
			return nil, err
		}
		iv.DeviceID = device.Int64
		out = append(out, iv)
	}
	return out, rows.Err()
}

// boardCompanies reads the companies of a board with what a sees of each.
func (tx *Tx) boardCompanies(ctx context.Context, a *nakamawashi.Actor, ids []int64) (map[int64]*boardCompany, error) {
	out := map[int64]*boardCompany{}
	for lo := 0; lo < len(ids); lo += ingestChunk {
		chunk := ids[lo:min(lo+ingestChunk, len(ids))]
		rows, err := tx.query(ctx, `SELECT c.id, c.name, c.prefecture, c.region, t.level FROM companies c
			LEFT JOIN telemetry_sharing t ON t.company_id = c.id WHERE c.id IN (`+placeholders(len(chunk))+`)`, int64Args(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var c boardCompany
			var level sql.NullString
			if err := rows.Scan(&id, &c.name, &c.prefecture, &c.region, &level); err != nil {
				rows.Close()
				return nil, err
			}
			sharing := nakamawashi.DefaultTelemetrySharing
			if level.Valid {
				sharing = nakamawashi.TelemetrySharing(level.String)
			}
			c.view = nakamawashi.ShareNothing
			if a.Can(nakamawashi.PermCompanyRead, id) {
				c.view = a.TelemetryView(id, sharing)
			}
			out[id] = &c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// TelemetrySharing returns what the company shows the network.
func (s *Store) TelemetrySharing(ctx context.Context, companyID int64) (nakamawashi.TelemetrySharing, error) {
	if err := mayRead(ctx, companyID, "err.company.not_found"); err != nil {
		return "", err
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return "", nakamawashi.Internal(s.op("TelemetrySharing"), err)
	}
	defer tx.Rollback()
	if err := tx.companyExists(ctx, companyID); err != nil {
		return "", nakamawashi.Internal(s.op("TelemetrySharing"), err)
	}
	var level string
	err = tx.queryRow(ctx, `SELECT level FROM telemetry_sharing WHERE company_id = ?`, companyID).Scan(&level)
	if errors.Is(err, sql.ErrNoRows) {
		return nakamawashi.DefaultTelemetrySharing, nil
	} else if err != nil {
		return "", nakamawashi.Internal(s.op("TelemetrySharing"), err)
	}
	return nakamawashi.TelemetrySharing(level), nil
}

// SetTelemetrySharing changes what the company shows the network.
func (s *Store) SetTelemetrySharing(ctx context.Context, companyID int64, level nakamawashi.TelemetrySharing) error {
	if err := mayWrite(ctx, nakamawashi.PermProfileEdit, companyID, "err.company.not_found"); err != nil {
		return err
	}
	if !level.Valid() {
		pr := nakamawashi.Problems{}
		pr.Add("sharing", "err.telemetry.sharing")
		return pr.Err()
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("SetTelemetrySharing"), err)
	}
	defer tx.Rollback()
	if err := tx.companyExists(ctx, companyID); err != nil {
		return nakamawashi.Internal(s.op("SetTelemetrySharing"), err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO telemetry_sharing (company_id, level, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (company_id) DO UPDATE SET level = excluded.level, updated_at = excluded.updated_at`,
		companyID, string(level), tx.t(tx.now)); err != nil {
		return nakamawashi.Internal(s.op("SetTelemetrySharing"), err)
	}
	tx.audit(ctx, companyID, "telemetry.sharing", "company", companyID, map[string]any{"level": level})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("SetTelemetrySharing"), err)
	}
	return nil
}

// EnableDevice lets a disabled device in again with a new secret.
func (s *Store) EnableDevice(ctx context.Context, id int64) (string, error) {
	if nakamawashi.ActorFromContext(ctx) == nil {
		return "", nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return "", nakamawashi.Internal(s.op("EnableDevice"), err)
	}
	defer tx.Rollback()
	d, err := tx.loadManagedDevice(ctx, id)
	if err != nil {
		return "", nakamawashi.Internal(s.op("EnableDevice"), err)
	} else if !d.Disabled {
		return "", nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.device.enabled")
	}
	secret := nakamawashi.NewDeviceSecret()
	if _, err := tx.exec(ctx, `UPDATE devices SET disabled = ?, secret_hash = ? WHERE id = ?`, false, nakamawashi.HashToken(secret), id); err != nil {
		return "", nakamawashi.Internal(s.op("EnableDevice"), err)
	}
	tx.audit(ctx, d.CompanyID, "device.enable", "device", id, map[string]any{"name": d.Name, "username": d.Username})
	if err := tx.Commit(ctx); err != nil {
		return "", nakamawashi.Internal(s.op("EnableDevice"), err)
	}
	return secret, nil
}

// DeleteDevice removes a device; its intervals stay with its machine.
func (s *Store) DeleteDevice(ctx context.Context, id int64) error {
	if nakamawashi.ActorFromContext(ctx) == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("DeleteDevice"), err)
	}
	defer tx.Rollback()
	d, err := tx.loadManagedDevice(ctx, id)
	if err != nil {
		return nakamawashi.Internal(s.op("DeleteDevice"), err)
	}
	if _, err := tx.exec(ctx, `UPDATE state_intervals SET device_id = NULL WHERE device_id = ?`, id); err != nil {
		return nakamawashi.Internal(s.op("DeleteDevice"), err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM devices WHERE id = ?`, id); err != nil {
		return nakamawashi.Internal(s.op("DeleteDevice"), err)
	}
	tx.audit(ctx, d.CompanyID, "device.delete", "device", id, map[string]any{"name": d.Name, "username": d.Username, "machine_id": d.MachineID})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("DeleteDevice"), err)
	}
	return nil
}

// FindCompanyLotEvents returns the traveler scans made at a company.
func (s *Store) FindCompanyLotEvents(ctx context.Context, companyID int64, from, to time.Time) ([]nakamawashi.CompanyLotEvent, error) {
	if err := mayWrite(ctx, nakamawashi.PermTelemetryRead, companyID, "err.company.not_found"); err != nil {
		return nil, err
	}
	from, to = nakamawashi.TruncateTime(from), nakamawashi.TruncateTime(to)
	if !to.After(from) || to.Sub(from) > nakamawashi.MaxLotEventRange {
		return nil, nakamawashi.Errorf(nakamawashi.EINVALID, "err.telemetry.range", int(nakamawashi.MaxLotEventRange/(24*time.Hour)))
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindCompanyLotEvents"), err)
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT e.id, e.lot_id, e.seq, e.kind, e.good, e.defect, e.note, e.company_id, e.user_id, e.user_name, e.at, l.number
		FROM lot_events e JOIN lots l ON l.id = e.lot_id
		WHERE e.company_id = ? AND e.at >= ? AND e.at < ? ORDER BY e.at, e.id`, companyID, tx.t(from), tx.t(to))
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindCompanyLotEvents"), err)
	}
	defer rows.Close()
	out := []nakamawashi.CompanyLotEvent{}
	for rows.Next() {
		var e nakamawashi.CompanyLotEvent
		if err := rows.Scan(&e.ID, &e.LotID, &e.Seq, &e.Kind, &e.Good, &e.Defect, &e.Note, &e.CompanyID, &e.UserID,
			&e.UserName, timeScan{&e.At}, &e.LotNumber); err != nil {
			return nil, nakamawashi.Internal(s.op("FindCompanyLotEvents"), err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("FindCompanyLotEvents"), err)
	}
	return out, nil
}
