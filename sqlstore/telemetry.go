package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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
	machines, err := tx.ingestMachines(ctx, batch)
	if err != nil {
		return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
	}
	if err := tx.checkIngestDevices(ctx, batch); err != nil {
		return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
	}
	if inOrder(batch, machines) {
		err = tx.appendInOrder(ctx, batch, machines)
	} else {
		err = tx.appendEach(ctx, batch, machines)
	}
	if err != nil {
		return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
	}
	return nil
}

// ingestChunk bounds the ids of one IN list and the rows of one INSERT,
// well under the engines' limits on parameters.
const ingestChunk = 100

// insertIntervals is the INSERT of state intervals; a start already stored
// only fills the end of an open interval.
const insertIntervals = `INSERT INTO state_intervals (machine_id, device_id, state, start_at, end_at) VALUES `
const onIntervalConflict = ` ON CONFLICT (machine_id, start_at) DO UPDATE SET end_at = COALESCE(state_intervals.end_at, excluded.end_at)`

// intervalValues returns the stored values of iv ending at end.
func (tx *Tx) intervalValues(iv nakamawashi.StateInterval, end time.Time) []any {
	var device, endValue any // NULL without a device, for an open interval
	if iv.DeviceID != 0 {
		device = iv.DeviceID
	}
	if !end.IsZero() {
		endValue = tx.t(end)
	}
	return []any{iv.MachineID, device, iv.State, tx.t(iv.Start), endValue}
}

// inOrder reports whether each machine's intervals in the batch start after
// everything stored for it and after each other: what a live feed sends.
func inOrder(batch []nakamawashi.StateInterval, machines map[int64]*ingestMachine) bool {
	last := map[int64]time.Time{}
	for id, m := range machines {
		last[id] = m.last
	}
	for _, iv := range batch {
		if !iv.Start.After(last[iv.MachineID]) {
			return false
		}
		last[iv.MachineID] = iv.Start
	}
	return true
}

// appendInOrder stores a batch that inOrder accepts with a few statements
// instead of a few per interval, since round trips are what an ingest to a
// database server waits on: each interval ends no later than the next one
// of its machine, rows go in by the hundred, and then one UPDATE ends each
// machine's interval stored before the batch at the batch's first start.
func (tx *Tx) appendInOrder(ctx context.Context, batch []nakamawashi.StateInterval, machines map[int64]*ingestMachine) error {
	ends := make([]time.Time, len(batch))
	next := map[int64]time.Time{}
	for i := len(batch) - 1; i >= 0; i-- {
		iv := batch[i]
		ends[i] = iv.End
		if n, ok := next[iv.MachineID]; ok && (ends[i].IsZero() || ends[i].After(n)) {
			ends[i] = n
		}
		next[iv.MachineID] = iv.Start
	}
	for lo := 0; lo < len(batch); lo += ingestChunk {
		hi := min(lo+ingestChunk, len(batch))
		rows := make([]string, 0, hi-lo)
		args := make([]any, 0, 5*(hi-lo))
		for i := lo; i < hi; i++ {
			rows = append(rows, "(?, ?, ?, ?, ?)")
			args = append(args, tx.intervalValues(batch[i], ends[i])...)
		}
		if _, err := tx.exec(ctx, insertIntervals+strings.Join(rows, ", ")+onIntervalConflict, args...); err != nil {
			return err
		}
	}
	var pairs []string
	var args []any
	for id, m := range machines {
		if !m.last.IsZero() {
			pairs = append(pairs, "(machine_id = ? AND start_at = ?)")
			args = append(args, id, tx.t(m.last))
		}
	}
	for lo := 0; lo < len(pairs); lo += ingestChunk {
		hi := min(lo+ingestChunk, len(pairs))
		if _, err := tx.exec(ctx, `UPDATE state_intervals SET end_at = (SELECT MIN(n.start_at) FROM state_intervals n
			WHERE n.machine_id = state_intervals.machine_id AND n.start_at > state_intervals.start_at)
			WHERE (`+strings.Join(pairs[lo:hi], " OR ")+`) AND (end_at IS NULL OR end_at > (SELECT MIN(n.start_at) FROM state_intervals n
			WHERE n.machine_id = state_intervals.machine_id AND n.start_at > state_intervals.start_at))`, args[2*lo:2*hi]...); err != nil {
			return err
		}
	}
	return nil
}

// appendEach stores the intervals one at a time, in the order given, for
// batches with redeliveries and late messages.
func (tx *Tx) appendEach(ctx context.Context, batch []nakamawashi.StateInterval, machines map[int64]*ingestMachine) error {
	// The two statements run for every interval: prepared once a batch.
	trim, err := tx.prepare(ctx, `UPDATE state_intervals SET end_at = ?
		WHERE machine_id = ? AND (end_at IS NULL OR end_at > ?)
		AND start_at = (SELECT MAX(start_at) FROM state_intervals WHERE machine_id = ? AND start_at < ?)`)
	if err != nil {
		return err
	}
	defer trim.Close()
	insert, err := tx.prepare(ctx, insertIntervals+`(?, ?, ?, ?, ?)`+onIntervalConflict)
	if err != nil {
		return err
	}
	defer insert.Close()
	for _, iv := range batch {
		m := machines[iv.MachineID]
		end := iv.End
		if !m.last.IsZero() && !iv.Start.After(m.last) {
			// Out of order: end no later than the interval after it.
			var next *time.Time
			if err := tx.queryRow(ctx, `SELECT MIN(start_at) FROM state_intervals WHERE machine_id = ? AND start_at > ?`,
				iv.MachineID, tx.t(iv.Start)).Scan(nullTimeScan{&next}); err != nil {
				return err
			}
			if next != nil && (end.IsZero() || end.After(*next)) {
				end = *next
			}
		}
		// Intervals do not overlap, so only the one just before can reach
		// past this start: open, or too long for a late message.
		if _, err := trim.ExecContext(ctx, tx.t(iv.Start), iv.MachineID, tx.t(iv.Start), iv.MachineID, tx.t(iv.Start)); err != nil {
			return err
		}
		if _, err := insert.ExecContext(ctx, tx.intervalValues(iv, end)...); err != nil {
			return err
		}
		if iv.Start.After(m.last) {
			m.last = iv.Start
		}
	}
	return nil
}

// prepare prepares a statement written with "?" placeholders on the
// transaction; the caller closes it.
func (tx *Tx) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	return tx.tx.PrepareContext(ctx, rebind(tx.store.dialect, q))
}

// distinct returns the distinct non-zero values of f over the batch, in
// the order they first appear.
func distinct(batch []nakamawashi.StateInterval, f func(nakamawashi.StateInterval) int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, iv := range batch {
		if id := f(iv); id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// ingestMachines reads the batch's machines with the latest start stored
// for each, and checks that they exist and that the caller manages their
// companies' devices, in the order the batch names them.
func (tx *Tx) ingestMachines(ctx context.Context, batch []nakamawashi.StateInterval) (map[int64]*ingestMachine, error) {
	ids := distinct(batch, func(iv nakamawashi.StateInterval) int64 { return iv.MachineID })
	found := map[int64]int64{} // machine → company
	machines := map[int64]*ingestMachine{}
	for lo := 0; lo < len(ids); lo += ingestChunk {
		chunk := ids[lo:min(lo+ingestChunk, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		// The correlated MAX is one index seek per machine.
		rows, err := tx.query(ctx, `SELECT m.id, m.company_id, (SELECT MAX(s.start_at) FROM state_intervals s WHERE s.machine_id = m.id)
			FROM machines m WHERE m.id IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, companyID int64
			var last *time.Time
			if err := rows.Scan(&id, &companyID, nullTimeScan{&last}); err != nil {
				rows.Close()
				return nil, err
			}
			found[id] = companyID
			m := &ingestMachine{}
			if last != nil {
				m.last = *last
			}
			machines[id] = m
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, id := range ids {
		companyID, ok := found[id]
		if !ok {
			return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.machine.not_found")
		}
		if err := mayWrite(ctx, nakamawashi.PermProfileEdit, companyID, "err.machine.not_found"); err != nil {
			return nil, err
		}
	}
	return machines, nil
}

// checkIngestDevices returns an error unless each interval's device, if
// any, is bound to the interval's machine. A device disabled since it sent
// an interval still had its word: the broker stops it from sending more.
func (tx *Tx) checkIngestDevices(ctx context.Context, batch []nakamawashi.StateInterval) error {
	ids := distinct(batch, func(iv nakamawashi.StateInterval) int64 { return iv.DeviceID })
	bound := map[int64]int64{} // device → machine
	for lo := 0; lo < len(ids); lo += ingestChunk {
		chunk := ids[lo:min(lo+ingestChunk, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := tx.query(ctx, `SELECT id, machine_id FROM devices WHERE id IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, machineID int64
			if err := rows.Scan(&id, &machineID); err != nil {
				rows.Close()
				return err
			}
			bound[id] = machineID
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, iv := range batch {
		if iv.DeviceID == 0 {
			continue
		}
		machineID, ok := bound[iv.DeviceID]
		if !ok {
			return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.device.not_found")
		} else if machineID != iv.MachineID {
			return nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.device.wrong_machine")
		}
	}
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
