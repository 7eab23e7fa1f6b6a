package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// Tx is one transaction with the time it runs at. Audit events recorded on
// it are appended to the chain when it commits, in the same transaction,
// so that the chain lock is held only for the last moment.
type Tx struct {
	tx     *sql.Tx
	store  *Store
	now    time.Time
	events []*nakamawashi.AuditEvent
}

// beginWrite starts a write transaction on the write pool.
func (s *Store) beginWrite(ctx context.Context) (*Tx, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &Tx{tx: tx, store: s, now: s.now()}, nil
}

// beginRead starts a read-only transaction on the read pool.
func (s *Store) beginRead(ctx context.Context) (*Tx, error) {
	tx, err := s.read.BeginTx(ctx, s.dialect.ReadTxOptions)
	if err != nil {
		return nil, err
	}
	return &Tx{tx: tx, store: s, now: s.now()}, nil
}

// Rollback aborts the transaction; after Commit it does nothing.
func (tx *Tx) Rollback() error { return tx.tx.Rollback() }

// Commit appends the recorded audit events and commits.
func (tx *Tx) Commit(ctx context.Context) error {
	if len(tx.events) > 0 {
		if err := tx.appendEvents(ctx); err != nil {
			return err
		}
	}
	return tx.tx.Commit()
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, rebind(tx.store.dialect, q), args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, rebind(tx.store.dialect, q), args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, rebind(tx.store.dialect, q), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// t returns the stored value of a time.
func (tx *Tx) t(t time.Time) any { return tx.store.dialect.TimeValue(nakamawashi.TruncateTime(t)) }

// unique reports whether err is a unique violation.
func (tx *Tx) unique(err error) bool {
	return err != nil && tx.store.dialect.IsUniqueViolation != nil && tx.store.dialect.IsUniqueViolation(err)
}

// audit records an event for the actor in ctx, appended at commit.
func (tx *Tx) audit(ctx context.Context, companyID int64, action, entityType string, entityID int64, detail any) {
	tx.events = append(tx.events, nakamawashi.NewAuditEvent(ctx, tx.now, companyID, action, entityType, entityID, detail))
}

// appendEvents chains the recorded events after the last stored one and
// inserts them under the dialect's chain lock.
func (tx *Tx) appendEvents(ctx context.Context) error {
	if q := tx.store.dialect.LockAudit; q != "" {
		if _, err := tx.exec(ctx, q); err != nil {
			return fmt.Errorf("lock audit chain: %w", err)
		}
	}
	lastID, lastHash := int64(0), nakamawashi.GenesisHash
	err := tx.queryRow(ctx, `SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1`).Scan(&lastID, &lastHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read audit chain head: %w", err)
	}
	for _, e := range tx.events {
		e.Chain(lastID, lastHash)
		if _, err := tx.exec(ctx, `INSERT INTO audit_events (id, at, actor_user_id, actor_name, company_id, action, entity_type, entity_id, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, tx.t(e.At), e.ActorUserID, e.ActorName, e.CompanyID, e.Action, e.EntityType, e.EntityID, e.Detail, e.PrevHash, e.Hash); err != nil {
			return fmt.Errorf("append audit event: %w", err)
		}
		lastID, lastHash = e.ID, e.Hash
	}
	tx.events = nil
	return nil
}

// timeScan scans a stored time: a time.Time from drivers that parse them,
// or the TimeFormat text SQLite keeps.
type timeScan struct{ t *time.Time }

// Scan implements sql.Scanner.
func (ts timeScan) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*ts.t = time.Time{}
	case time.Time:
		*ts.t = nakamawashi.TruncateTime(v)
	case string:
		return ts.parse(v)
	case []byte:
		return ts.parse(string(v))
	default:
		return fmt.Errorf("cannot scan %T into a time", v)
	}
	return nil
}

func (ts timeScan) parse(s string) error {
	t, err := time.Parse(nakamawashi.TimeFormat, s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return fmt.Errorf("cannot parse time %q", s)
		}
	}
	*ts.t = nakamawashi.TruncateTime(t)
	return nil
}

// nullTimeScan scans a nullable time into a pointer that stays nil for NULL.
type nullTimeScan struct{ t **time.Time }

// Scan implements sql.Scanner.
func (ns nullTimeScan) Scan(v any) error {
	if v == nil {
		*ns.t = nil
		return nil
	}
	var t time.Time
	if err := (timeScan{&t}).Scan(v); err != nil {
		return err
	}
	*ns.t = &t
	return nil
}

// changes collects the fields an update changed, as {field: [old, new]}.
type changes map[string][2]any

func (c changes) str(field, old, new string) {
	if old != new {
		c[field] = [2]any{old, new}
	}
}

func (c changes) detail() any {
	if len(c) == 0 {
		return nil
	}
	return map[string][2]any(c)
}

// page returns the limit and offset of a list query.
func page(offset, limit int) (int, int) {
	if offset < 0 {
		offset = 0
	}
	return nakamawashi.PageLimit(limit), offset
}
