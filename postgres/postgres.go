package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Advisory lock keys, arbitrary but fixed: one for the audit chain, one
// for migrations.
const (
	auditLockKey     = 0x6e616b61_00000001
	migrationLockKey = 0x6e616b61_00000002
)

// Dialect is the sqlstore dialect of PostgreSQL.
var Dialect = sqlstore.Dialect{
	Name:                 "postgres",
	NumberedPlaceholders: true,
	TimeValue:            func(t time.Time) any { return t },
	LockAudit:            fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", int64(auditLockKey)),
	IsUniqueViolation:    isUniqueViolation,
	ReadTxOptions:        &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	LockMigrations:       lockMigrations,
	// NO KEY UPDATE, not UPDATE: it does not block the KEY SHARE locks
	// that inserts referencing the company take (audit events among them,
	// under the audit lock), so it cannot deadlock with the chain.
	LockCompany: " FOR NO KEY UPDATE",
}

// Open connects to the database at dsn (a postgres:// URL or key=value
// string) and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	cfg, err := pgconnConfig(dsn)
	if err != nil {
		return nil, err
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := sqlstore.New(db, db, Dialect)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := s.Migrate(ctx, migrations, "migrations"); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return s, nil
}

// Migrations returns the embedded migrations, for tools that inspect them.
func Migrations() fs.FS { return migrations }

func isUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// lockMigrations holds a session advisory lock on conn until released.
func lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error) {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLockKey)); err != nil {
		return nil, err
	}
	return func() {
		conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(migrationLockKey))
	}, nil
}
