package edge

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/nakamawashi/nakamawashi"
	_ "github.com/nakamawashi/nakamawashi/sqlite" // registers the SQLite driver
)

// An Entry is a message waiting in the buffer.
type Entry struct {
	Seq     int64
	Topic   string
	Payload []byte
}

// Buffer is the agent's outbox: messages in the order they were added,
// kept in a SQLite file until the broker has acknowledged them.
type Buffer struct {
	db *sql.DB
}

// OpenBuffer opens (or creates) the buffer at path.
func OpenBuffer(ctx context.Context, path string) (*Buffer, error) {
	const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"
	db, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
	if err != nil {
		return nil, unavailable("edge.OpenBuffer", fmt.Errorf("buffer %s: %w", path, err))
	}
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS outbox (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		topic TEXT NOT NULL,
		payload BLOB NOT NULL)`); err != nil {
		db.Close()
		return nil, unavailable("edge.OpenBuffer", fmt.Errorf("buffer %s: %w", path, err))
	}
	return &Buffer{db: db}, nil
}

// Close closes the file.
func (b *Buffer) Close() error { return b.db.Close() }

// Add appends a message; it is on disk when Add returns.
func (b *Buffer) Add(ctx context.Context, topic string, payload []byte) error {
	if _, err := b.db.ExecContext(ctx, `INSERT INTO outbox (topic, payload) VALUES (?, ?)`, topic, payload); err != nil {
		return unavailable("edge.Buffer.Add", err)
	}
	return nil
}

// Oldest returns up to n messages, oldest first.
func (b *Buffer) Oldest(ctx context.Context, n int) ([]Entry, error) {
	rows, err := b.db.QueryContext(ctx, `SELECT seq, topic, payload FROM outbox ORDER BY seq LIMIT ?`, n)
	if err != nil {
		return nil, unavailable("edge.Buffer.Oldest", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.Seq, &e.Topic, &e.Payload); err != nil {
			return nil, unavailable("edge.Buffer.Oldest", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("edge.Buffer.Oldest", err)
	}
	return out, nil
}

// Delete removes an acknowledged message.
func (b *Buffer) Delete(ctx context.Context, seq int64) error {
	if _, err := b.db.ExecContext(ctx, `DELETE FROM outbox WHERE seq = ?`, seq); err != nil {
		return unavailable("edge.Buffer.Delete", err)
	}
	return nil
}

// Len returns how many messages wait.
func (b *Buffer) Len(ctx context.Context) (int, error) {
	var n int
	if err := b.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		return 0, unavailable("edge.Buffer.Len", err)
	}
	return n, nil
}

func unavailable(op string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Op: op, Err: err}
}

func invalid(op, format string, args ...any) error {
	return &nakamawashi.Error{Code: nakamawashi.EINVALID, Op: op, Err: fmt.Errorf(format, args...)}
}
