package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/postgres"
	"github.com/nakamawashi/nakamawashi/sqlstore"
	"github.com/nakamawashi/nakamawashi/storetest"
)

// cheap keeps password hashing fast in tests.
var cheap = nakamawashi.PasswordParams{Memory: 64, Time: 1, Threads: 1}

// dsn returns the test database, or skips the test.
func dsn(tb testing.TB) string {
	tb.Helper()
	d := os.Getenv("NAKAMAWASHI_TEST_POSTGRES")
	if d == "" {
		tb.Skip("set NAKAMAWASHI_TEST_POSTGRES to a PostgreSQL URL (postgres://…) to run the PostgreSQL tests")
	}
	return d
}

var (
	adminOnce sync.Once
	adminDB   *sql.DB
)

// freshSchema creates an empty schema, dropped at cleanup, and returns it
// with a DSN whose search_path is that schema.
func freshSchema(tb testing.TB) (schema, dsnWithSchema string) {
	tb.Helper()
	base := dsn(tb)
	adminOnce.Do(func() {
		var err error
		if adminDB, err = sql.Open("pgx", base); err != nil {
			tb.Fatal(err)
		}
	})
	b := make([]byte, 6)
	rand.Read(b)
	schema = "t_" + hex.EncodeToString(b)
	if _, err := adminDB.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if _, err := adminDB.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			tb.Error(err)
		}
	})
	u, err := url.Parse(base)
	if err != nil || !strings.HasPrefix(base, "postgres") {
		tb.Fatalf("NAKAMAWASHI_TEST_POSTGRES must be a postgres:// URL")
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return schema, u.String()
}

// MustOpen opens a store on a fresh schema of its own.
func MustOpen(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	_, d := freshSchema(tb)
	s, err := postgres.Open(context.Background(), d)
	if err != nil {
		tb.Fatal(err)
	}
	s.PasswordParams = cheap
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	dsn(t)
	storetest.Run(t, storetest.Harness{
		Name: "postgres",
		Open: func(t *testing.T) nakamawashi.Store { return MustOpen(t) },
		Exec: func(t *testing.T, s nakamawashi.Store, query string, args ...any) error {
			st := s.(*sqlstore.Store)
			_, err := st.DB().ExecContext(context.Background(), st.Rebind(query), args...)
			return err
		},
		DropAuditTriggers: func(t *testing.T, s nakamawashi.Store) {
			t.Helper()
			db := s.(*sqlstore.Store).DB()
			for _, q := range []string{
				`DROP TRIGGER audit_events_no_update ON audit_events`,
				`DROP TRIGGER audit_events_no_delete ON audit_events`,
			} {
				if _, err := db.ExecContext(context.Background(), q); err != nil {
					t.Fatal(err)
				}
			}
		},
	})
}

func TestBackupUnsupported(t *testing.T) {
	s := MustOpen(t)
	sys := nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
	err := s.Backup(sys, t.TempDir()+"/x.db")
	if nakamawashi.ErrorCode(err) != nakamawashi.EUNSUPPORTED {
		t.Fatalf("got %v, want EUNSUPPORTED", err)
	}
}

// TestMigrateConcurrently opens stores on one empty schema at once, as
// servers starting together would: the migration lock lets one migrate and
// the others find the work done.
func TestMigrateConcurrently(t *testing.T) {
	MustOpen(t) // the admin connection
	schema, u := freshSchema(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := postgres.Open(context.Background(), u)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := adminDB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+schema+`.schema_migrations`).Scan(&n); err != nil || n != migrationCount(t) {
		t.Fatalf("schema_migrations: %d, %v", n, err)
	}
}

func TestOpenBadDSN(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://user:secret@[::1")
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("got %v, want an error that does not echo the password", err)
	}
}

// migrationCount returns the number of embedded migrations.
func migrationCount(tb testing.TB) int {
	tb.Helper()
	names, err := fs.Glob(postgres.Migrations(), "migrations/*.sql")
	if err != nil || len(names) == 0 {
		tb.Fatalf("migrations: %v, %v", names, err)
	}
	return len(names)
}

// BenchmarkSearch measures directory search over 10,000 companies; see
// storetest.BenchSearch.
func BenchmarkSearch(b *testing.B) {
	storetest.BenchSearch(b, MustOpen(b))
}
