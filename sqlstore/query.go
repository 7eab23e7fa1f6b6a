package sqlstore

import (
	"context"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// scanner is a row to read: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// conds collects the conditions of a list query and their arguments.
type conds struct {
	exprs []string
	args  []any
}

// add appends a condition written with ? placeholders.
func (c *conds) add(expr string, args ...any) {
	c.exprs = append(c.exprs, expr)
	c.args = append(c.args, args...)
}

// where renders the WHERE clause, or "" without conditions.
func (c *conds) where() string {
	if len(c.exprs) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.exprs, " AND ")
}

// listQuery is one page of a list: the rows of from (a FROM clause with its
// joins) that match c, in order, as columns.
type listQuery struct {
	op      string // the service method, for errors
	columns string
	from    string
	order   string
	c       conds
	offset  int
	limit   int
}

// findPage runs, in one read transaction, the count of the rows a list
// query matches and the page of them, scanning each row with scan.
func findPage[T any](ctx context.Context, s *Store, q listQuery, scan func(scanner) (T, error)) ([]T, int, error) {
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, 0, nakamawashi.Internal(s.op(q.op), err)
	}
	defer tx.Rollback()
	return findPageTx(ctx, tx, q, scan)
}

// findPageTx is findPage in a transaction the caller holds, for methods
// that read more in the same snapshot.
func findPageTx[T any](ctx context.Context, tx *Tx, q listQuery, scan func(scanner) (T, error)) ([]T, int, error) {
	s := tx.store
	limit, offset := page(q.offset, q.limit)
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) `+q.from+q.c.where(), q.c.args...).Scan(&n); err != nil {
		return nil, 0, nakamawashi.Internal(s.op(q.op), err)
	}
	rows, err := tx.query(ctx, `SELECT `+q.columns+` `+q.from+q.c.where()+` ORDER BY `+q.order+` LIMIT ? OFFSET ?`,
		append(q.c.args, limit, offset)...)
	if err != nil {
		return nil, 0, nakamawashi.Internal(s.op(q.op), err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, 0, nakamawashi.Internal(s.op(q.op), err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, nakamawashi.Internal(s.op(q.op), err)
	}
	return out, n, nil
}
