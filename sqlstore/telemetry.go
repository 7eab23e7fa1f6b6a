package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// ingestMachine is what a batch learns about one machine, once.
type ingestMachine struct {
	last time.Time // the latest start stored or appended; zero without any
}

// AppendStateIntervals stores a batch of intervals in one transaction: the
// ingest's group commit. Intervals are not audited: they are measurements,
// not changes people make, and would drown the chain.
//
// For each interval, in the order given: the machine's interval just
// before it, if open or reaching past its start, ends at its start; an
// interval that arrives after later ones (a redelivery or a late message)
// ends no later than the next stored start; so a machine's intervals never
// overlap. A start already stored changes nothing but fills the end of a
// stored open interval.
func (s *Store) AppendStateIntervals(ctx context.Context, ivs []nakamawashi.StateInterval) error {
	if nakamawashi.ActorFromContext(ctx) == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	if len(ivs) == 0 {
		return nil
	} else if len(ivs) > nakamawashi.MaxStateIntervalBatch {
		return nakamawashi.Errorf(nakamawashi.EINVALID, "err.telemetry.batch", nakamawashi.MaxStateIntervalBatch)
	}
	batch := make([]nakamawashi.StateInterval, len(ivs))
	copy(batch, ivs)
	pr := nakamawashi.Problems{}
	for i := range batch {
		var e *nakamawashi.Error
		if err := batch[i].Validate(); errors.As(err, &e) {
			for f, m := range e.Fields {
				pr.Add(fmt.Sprintf("%d.%s", i, f), m.Key, m.Args...)
			}
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}

	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
	}
	defer tx.Rollback()
	machines := map[int64]*ingestMachine{}
	devices := map[int64]bool{}
	for _, iv := range batch {
		m, err := tx.ingestMachine(ctx, machines, iv.MachineID)
		if err != nil {
			return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
		}
		var device any // NULL without a device
		if iv.DeviceID != 0 {
			if err := tx.checkIngestDevice(ctx, devices, iv); err != nil {
				return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
			}
			device = iv.DeviceID
		}
		end := iv.End
		if !m.last.IsZero() && !iv.Start.After(m.last) {
			// Out of order: end no later than the interval after it.
			var next *time.Time
			if err := tx.queryRow(ctx, `SELECT MIN(start_at) FROM state_intervals WHERE machine_id = ? AND start_at > ?`,
				iv.MachineID, tx.t(iv.Start)).Scan(nullTimeScan{&next}); err != nil {
				return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
			}
			if next != nil && (end.IsZero() || end.After(*next)) {
				end = *next
			}
		}
		// Intervals do not overlap, so only the one just before can reach
		// past this start: open, or too long for a late message.
		if _, err := tx.exec(ctx, `UPDATE state_intervals SET end_at = ?
			WHERE machine_id = ? AND (end_at IS NULL OR end_at > ?)
			AND start_at = (SELECT MAX(start_at) FROM state_intervals WHERE machine_id = ? AND start_at < ?)`,
			tx.t(iv.Start), iv.MachineID, tx.t(iv.Start), iv.MachineID, tx.t(iv.Start)); err != nil {
			return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
		}
		var endValue any
		if !end.IsZero() {
			endValue = tx.t(end)
		}
		if _, err := tx.exec(ctx, `INSERT INTO state_intervals (machine_id, device_id, state, start_at, end_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (machine_id, start_at) DO UPDATE SET end_at = COALESCE(state_intervals.end_at, excluded.end_at)`,
			iv.MachineID, device, iv.State, tx.t(iv.Start), endValue); err != nil {
			return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
		}
		if iv.Start.After(m.last) {
			m.last = iv.Start
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
	}
	return nil
}

// ingestMachine returns what the batch knows of machine id, reading it and
// checking that the caller manages its company's devices the first time.
func (tx *Tx) ingestMachine(ctx context.Context, machines map[int64]*ingestMachine, id int64) (*ingestMachine, error) {
	if m, ok := machines[id]; ok {
		return m, nil
	}
	var companyID int64
	err := tx.queryRow(ctx, `SELECT company_id FROM machines WHERE id = ?`, id).Scan(&companyID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.machine.not_found")
	} else if err != nil {
		return nil, err
	}
	if err := mayWrite(ctx, nakamawashi.PermProfileEdit, companyID, "err.machine.not_found"); err != nil {
		return nil, err
	}
	var last *time.Time
	if err := tx.queryRow(ctx, `SELECT MAX(start_at) FROM state_intervals WHERE machine_id = ?`, id).Scan(nullTimeScan{&last}); err != nil {
		return nil, err
	}
	m := &ingestMachine{}
	if last != nil {
		m.last = *last
	}
	machines[id] = m
	return m, nil
}

// checkIngestDevice returns an error unless the interval's device is bound
// to the interval's machine. A device disabled since it sent the interval
// still had its word: the broker stops it from sending more.
func (tx *Tx) checkIngestDevice(ctx context.Context, checked map[int64]bool, iv nakamawashi.StateInterval) error {
	if checked[iv.DeviceID] {
		return nil
	}
	var machineID int64
	err := tx.queryRow(ctx, `SELECT machine_id FROM devices WHERE id = ?`, iv.DeviceID).Scan(&machineID)
	if errors.Is(err, sql.ErrNoRows) {
		return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.device.not_found")
	} else if err != nil {
		return err
	} else if machineID != iv.MachineID {
		return nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.device.wrong_machine")
	}
	checked[iv.DeviceID] = true
	return nil
}

// FindStateIntervals returns the machine's intervals that overlap
// [from, to), oldest first.
func (s *Store) FindStateIntervals(ctx context.Context, machineID int64, from, to time.Time) ([]nakamawashi.StateInterval, error) {
	if nakamawashi.ActorFromContext(ctx) == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	from, to = nakamawashi.TruncateTime(from), nakamawashi.TruncateTime(to)
	if !to.After(from) || to.Sub(from) > nakamawashi.MaxStateIntervalRange {
		return nil, nakamawashi.Errorf(nakamawashi.EINVALID, "err.telemetry.range", int(nakamawashi.MaxStateIntervalRange/(24*time.Hour)))
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindStateIntervals"), err)
	}
	defer tx.Rollback()
	var companyID int64
	err = tx.queryRow(ctx, `SELECT company_id FROM machines WHERE id = ?`, machineID).Scan(&companyID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.machine.not_found")
	} else if err != nil {
		return nil, nakamawashi.Internal(s.op("FindStateIntervals"), err)
	}
	if err := mayWrite(ctx, nakamawashi.PermTelemetryRead, companyID, "err.machine.not_found"); err != nil {
		return nil, err
	}
	// A machine's intervals do not overlap, so the only one that starts
	// before from and reaches into the range is the last to start by
	// from: both queries stay on the primary key.
	var lo *time.Time
	if err := tx.queryRow(ctx, `SELECT MAX(start_at) FROM state_intervals WHERE machine_id = ? AND start_at <= ?`,
		machineID, tx.t(from)).Scan(nullTimeScan{&lo}); err != nil {
		return nil, nakamawashi.Internal(s.op("FindStateIntervals"), err)
	}
	if lo == nil {
		lo = &from
	}
	rows, err := tx.query(ctx, `SELECT machine_id, device_id, state, start_at, end_at FROM state_intervals
		WHERE machine_id = ? AND start_at >= ? AND start_at < ? AND (end_at IS NULL OR end_at > ?) ORDER BY start_at`,
		machineID, tx.t(*lo), tx.t(to), tx.t(from))
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindStateIntervals"), err)
	}
	defer rows.Close()
	out := []nakamawashi.StateInterval{}
	for rows.Next() {
		var iv nakamawashi.StateInterval
		var device sql.NullInt64
		if err := rows.Scan(&iv.MachineID, &device, &iv.State, timeScan{&iv.Start}, timeScan{&iv.End}); err != nil {
			return nil, nakamawashi.Internal(s.op("FindStateIntervals"), err)
		}
		iv.DeviceID = device.Int64
		out = append(out, iv)
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("FindStateIntervals"), err)
	}
	return out, nil
}
