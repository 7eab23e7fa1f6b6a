package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/sqlstore"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// pragmas apply to every connection: WAL so that readers never wait for the
// writer, FULL sync so that a commit is on disk when it returns, foreign
// keys checked, and a generous wait when the file is busy.
//
// Each connection also keeps a 32 MiB page cache (SQLite's default is 2 MiB)
// so that a directory search over thousands of companies stays in memory.
//
// Temporary files stay in memory (temp_store): above all the statement
// journal that every multi-row INSERT … ON CONFLICT of the ingest writes,
// which would otherwise be a temporary file written page by page. It
// holds nothing durable: the statement's undo, dropped when it ends.
// Durability is untouched: the WAL is still synced on every commit.
//
// The WAL is checkpointed into the database file once it holds 10,000
// pages (about 40 MB) instead of 1,000: a transaction of the ingest's
// group commit touches a few pages per machine, thousands in all, so at
// 1,000 every commit would also checkpoint; at 10,000 a checkpoint writes
// a page once for several commits.
const pragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=cache_size(-32768)&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(10000)"

// Dialect is the sqlstore dialect of SQLite.
var Dialect = sqlstore.Dialect{
	Name:              "sqlite",
	TimeValue:         func(t time.Time) any { return t.Format(nakamawashi.TimeFormat) },
	IsUniqueViolation: isUniqueViolation,
	Backup:            backup,
	// Write transactions begin IMMEDIATE on the one write connection, so
	// they are exclusive already: the audit chain needs no extra lock.
	LockAudit: "",
}

// Open opens (creating if needed) the database file at path, with its
// directory, and brings its schema up to date.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("sqlite: invalid database path %q", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	write, err := sql.Open("sqlite", path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// One writer: SQLite allows one at a time anyway, and a single
	// connection makes writers queue in Go instead of spinning on
	// SQLITE_BUSY.
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", path+"?"+pragmas)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)

	s := sqlstore.New(write, read, Dialect)
	// The write pool opens first, so that it sets WAL mode before any reader.
	if err := write.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := s.Migrate(ctx, migrations, "migrations"); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return s, nil
}

// Migrations returns the embedded migrations, for tools that inspect them.
func Migrations() fs.FS { return migrations }

func isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// backup writes a copy with VACUUM INTO: consistent, compact, and taken
// on a read connection, so that writers go on meanwhile.
func backup(ctx context.Context, db *sql.DB, path string) error {
	if _, err := os.Stat(path); err == nil {
		return nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.backup.exists")
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// IntegrityCheck runs PRAGMA integrity_check on the database file at path,
// for instance a backup, without changing it. It returns nil if SQLite
// finds the file sound and an error listing the problems otherwise.
func IntegrityCheck(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("sqlite: integrity check: %w", err)
	}
	if strings.ContainsAny(path, "?#") {
		return fmt.Errorf("sqlite: invalid database path %q", path)
	}
	db, err := sql.Open("sqlite", path+"?_pragma=query_only(1)")
	if err != nil {
		return fmt.Errorf("sqlite: integrity check: %w", err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("sqlite: integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("sqlite: integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("sqlite: integrity check: %s", strings.Join(problems, "; "))
	}
	return nil
}
