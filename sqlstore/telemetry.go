package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"weak"

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

	stmts, err := s.prepareIngest(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
	}
	wtx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("AppendStateIntervals"), err)
	}
	defer wtx.Rollback()
	tx := ingestTx{wtx, stmts.stmts}
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

// ingestChunk is the length of one IN list and of one list of machines
// to update: a shorter one is padded with its last id, which changes
// nothing, so that every batch runs the same few statements, prepared
// once (ingestStmt).
const ingestChunk = 250

// insertChunks are the rows of the INSERTs a batch is cut into, largest
// first: each a statement prepared once. A row is five parameters, well
// under the engines' limits (SQLite 32,766, PostgreSQL 65,535). Rows
// cannot be padded: PostgreSQL refuses an INSERT … ON CONFLICT that meets
// one key twice.
//
// SQLite, in the process, has no round trips to save, and a multi-row
// INSERT costs it a statement journal (the undo of each page the statement
// touches, in case a later row fails), which a single-row INSERT does not
// need: it takes the rows one at a time (BenchmarkStoreBatch in package
// ingest: a quarter faster for 4,000 intervals).
func insertChunks(d Dialect) []int {
	if d.Name == "sqlite" {
		return []int{1}
	}
	return []int{500, 100, 20, 5, 1}
}

// ingestStmts are the prepared statements of the ingest, per store: a
// batch of a thousand intervals spends much of its time parsing SQL
// otherwise. A Store has no field for them, so they hang off it here and
// go with it.
var ingestStmts sync.Map // weak.Pointer[Store] → *stmtCache

// ingestTx is a write transaction of AppendStateIntervals, with the
// prepared statements.
type ingestTx struct {
	*Tx
	stmts map[string]*sql.Stmt
}

type stmtCache struct {
	once  sync.Once
	err   error
	stmts map[string]*sql.Stmt
}

// ingestQueries are the statements of AppendStateIntervals that run with
// every batch.
func ingestQueries(d Dialect) []string {
	qs := []string{queryIngestMachines, queryIngestDevices, updateIngestEnds}
	for _, n := range insertChunks(d) {
		qs = append(qs, insertIntervals+valueRows(n)+onIntervalConflict)
	}
	return qs
}

// prepareIngest prepares the ingest's statements on the store's write pool
// the first time, outside any transaction: the write pool has a single
// connection, which a transaction holds.
func (s *Store) prepareIngest(ctx context.Context) (*stmtCache, error) {
	key := weak.Make(s)
	v, loaded := ingestStmts.LoadOrStore(key, &stmtCache{})
	c := v.(*stmtCache)
	if !loaded {
		runtime.AddCleanup(s, func(key weak.Pointer[Store]) {
			if v, ok := ingestStmts.LoadAndDelete(key); ok {
				for _, st := range v.(*stmtCache).stmts {
					st.Close()
				}
			}
		}, key)
	}
	c.once.Do(func() {
		stmts := map[string]*sql.Stmt{}
		for _, q := range ingestQueries(s.dialect) {
			st, err := s.write.PrepareContext(ctx, rebind(s.dialect, q))
			if err != nil {
				for _, st := range stmts {
					st.Close()
				}
				c.err = err
				return
			}
			stmts[q] = st
		}
		c.stmts = stmts
	})
	if c.err != nil {
		// Tried again with the next batch.
		ingestStmts.CompareAndDelete(key, c)
		return nil, c.err
	}
	return c, nil
}

// ingestStmt returns the prepared statement q as a statement of the
// transaction: on the write pool's connection, where it was prepared, it
// is not prepared again.
func (tx ingestTx) ingestStmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st := tx.stmts[q]; st != nil {
		return tx.tx.StmtContext(ctx, st), nil
	}
	return tx.tx.PrepareContext(ctx, rebind(tx.store.dialect, q))
}

// execIngest runs the prepared statement q in the transaction.
func (tx ingestTx) execIngest(ctx context.Context, q string, args ...any) error {
	st, err := tx.ingestStmt(ctx, q)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

// queryIngest runs the prepared query q in the transaction; the caller
// closes the rows.
func (tx ingestTx) queryIngest(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := tx.ingestStmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// The statements of a batch, with ingestChunk ids or pairs each. The
// correlated MAX is one index seek per machine.
var (
	queryIngestMachines = `SELECT m.id, m.company_id, (SELECT MAX(s.start_at) FROM state_intervals s WHERE s.machine_id = m.id)
		FROM machines m WHERE m.id IN (` + placeholders(ingestChunk) + `)`
	queryIngestDevices = `SELECT id, machine_id FROM devices WHERE id IN (` + placeholders(ingestChunk) + `)`
	updateIngestEnds   = `UPDATE state_intervals SET end_at = (SELECT MIN(n.start_at) FROM state_intervals n
		WHERE n.machine_id = state_intervals.machine_id AND n.start_at > state_intervals.start_at)
		WHERE (` + strings.TrimSuffix(strings.Repeat("(machine_id = ? AND start_at = ?) OR ", ingestChunk), " OR ") + `)
		AND (end_at IS NULL OR end_at > (SELECT MIN(n.start_at) FROM state_intervals n
		WHERE n.machine_id = state_intervals.machine_id AND n.start_at > state_intervals.start_at))`
)

// paddedIDs returns the ids as arguments, padded to n with the last.
func paddedIDs(ids []int64, n int) []any {
	args := make([]any, n)
	for i := range args {
		args[i] = ids[min(i, len(ids)-1)]
	}
	return args
}

// valueRows returns n rows of five placeholders.
func valueRows(n int) string {
	return strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", n), ", ")
}

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
// of its machine, rows go in by the hundred (PostgreSQL; one at a time
// with a prepared statement in SQLite, see insertChunks), and then one
// UPDATE per ingestChunk machines ends each machine's interval stored
// before the batch at the batch's first start.
func (tx ingestTx) appendInOrder(ctx context.Context, batch []nakamawashi.StateInterval, machines map[int64]*ingestMachine) error {
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
	chunks := insertChunks(tx.store.dialect)
	args := make([]any, 0, 5*chunks[0])
	for lo := 0; lo < len(batch); {
		n := chunks[len(chunks)-1]
		for _, c := range chunks {
			if c <= len(batch)-lo {
				n = c
				break
			}
		}
		args = args[:0]
		for i := lo; i < lo+n; i++ {
			args = append(args, tx.intervalValues(batch[i], ends[i])...)
		}
		if err := tx.execIngest(ctx, insertIntervals+valueRows(n)+onIntervalConflict, args...); err != nil {
			return err
		}
		lo += n
	}
	var ids []int64 // the machines with an interval stored before the batch
	for id, m := range machines {
		if !m.last.IsZero() {
			ids = append(ids, id)
		}
	}
	for lo := 0; lo < len(ids); lo += ingestChunk {
		chunk := ids[lo:min(lo+ingestChunk, len(ids))]
		args = args[:0]
		for i := range ingestChunk {
			id := chunk[min(i, len(chunk)-1)] // padded with the last pair
			args = append(args, id, tx.t(machines[id].last))
		}
		if err := tx.execIngest(ctx, updateIngestEnds, args...); err != nil {
			return err
		}
	}
	return nil
}

// appendEach stores the intervals one at a time, in the order given, for
// batches with redeliveries and late messages.
func (tx ingestTx) appendEach(ctx context.Context, batch []nakamawashi.StateInterval, machines map[int64]*ingestMachine) error {
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
func (tx ingestTx) ingestMachines(ctx context.Context, batch []nakamawashi.StateInterval) (map[int64]*ingestMachine, error) {
	ids := distinct(batch, func(iv nakamawashi.StateInterval) int64 { return iv.MachineID })
	found := map[int64]int64{} // machine → company
	machines := map[int64]*ingestMachine{}
	for lo := 0; lo < len(ids); lo += ingestChunk {
		chunk := ids[lo:min(lo+ingestChunk, len(ids))]
		// The correlated MAX is one index seek per machine.
		rows, err := tx.queryIngest(ctx, queryIngestMachines, paddedIDs(chunk, ingestChunk)...)
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
func (tx ingestTx) checkIngestDevices(ctx context.Context, batch []nakamawashi.StateInterval) error {
	ids := distinct(batch, func(iv nakamawashi.StateInterval) int64 { return iv.DeviceID })
	bound := map[int64]int64{} // device → machine
	for lo := 0; lo < len(ids); lo += ingestChunk {
		chunk := ids[lo:min(lo+ingestChunk, len(ids))]
		rows, err := tx.queryIngest(ctx, queryIngestDevices, paddedIDs(chunk, ingestChunk)...)
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
