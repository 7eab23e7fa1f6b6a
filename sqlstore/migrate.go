package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// Migrate applies the migrations in fsys (files named like
// "0001_init.sql" in dir, applied in name order) that the database has not
// seen yet. Migrations are forward-only; each runs in its own transaction
// together with its row in schema_migrations, so a failed one leaves no
// trace and the next start tries it again.
func (s *Store) Migrate(ctx context.Context, fsys fs.FS, dir string) error {
	if err := s.migrate(ctx, fsys, dir); err != nil {
		return err
	}
	// Companies stored before the directory existed get their search
	// documents; this finds none on later starts.
	if err := s.indexMissing(ctx); err != nil {
		return fmt.Errorf("migrate: index the directory: %w", err)
	}
	return nil
}

func (s *Store) migrate(ctx context.Context, fsys fs.FS, dir string) error {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return err
	}
	sort.Strings(names)

	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if s.dialect.LockMigrations != nil {
		unlock, err := s.dialect.LockMigrations(ctx, conn)
		if err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		defer unlock()
	}

	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied := map[string]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("migrate: %w", err)
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}

	for _, name := range names {
		version := strings.TrimSuffix(path.Base(name), ".sql")
		if applied[version] {
			continue
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", version, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", version, err)
		}
		at := nakamawashi.TruncateTime(time.Now()).Format(nakamawashi.TimeFormat)
		if _, err := tx.ExecContext(ctx, rebind(s.dialect, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, at); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", version, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", version, err)
		}
	}
	return nil
}
