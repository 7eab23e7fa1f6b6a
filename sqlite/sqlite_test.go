package sqlite_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/sqlite"
	"github.com/nakamawashi/nakamawashi/sqlstore"
	"github.com/nakamawashi/nakamawashi/storetest"
)

// cheap keeps password hashing fast in tests.
var cheap = nakamawashi.PasswordParams{Memory: 64, Time: 1, Threads: 1}

// MustOpen opens a store on a fresh file in a temporary directory.
func MustOpen(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "data", "nakamawashi.db"))
	if err != nil {
		tb.Fatal(err)
	}
	s.PasswordParams = cheap
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Name: "sqlite",
		Open: func(t *testing.T) nakamawashi.Store { return MustOpen(t) },
		Exec: func(t *testing.T, s nakamawashi.Store, query string, args ...any) error {
			_, err := s.(*sqlstore.Store).DB().ExecContext(context.Background(), query, args...)
			return err
		},
		DropAuditTriggers: func(t *testing.T, s nakamawashi.Store) {
			t.Helper()
			db := s.(*sqlstore.Store).DB()
			for _, q := range []string{`DROP TRIGGER audit_events_no_update`, `DROP TRIGGER audit_events_no_delete`} {
				if _, err := db.ExecContext(context.Background(), q); err != nil {
					t.Fatal(err)
				}
			}
		},
	})
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	sys := nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor)
	s := MustOpen(t)
	c := &nakamawashi.Company{Kind: nakamawashi.KindMember, Name: "株式会社控え", NameKana: "ヒカエ", PostalCode: "1440051",
		Prefecture: "東京都", City: "大田区", Street: "蒲田1-1", Phone: "03-1234-5678", CorporateNumber: "7000012050002"}
	if err := s.CreateCompany(sys, c); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "backups", "copy.db")
	if err := s.Backup(sys, path); err != nil {
		t.Fatal(err)
	}
	err := s.Backup(sys, path)
	if nakamawashi.ErrorCode(err) != nakamawashi.ECONFLICT {
		t.Fatalf("backup over an existing file: got %v, want ECONFLICT", err)
	}
	if err := sqlite.IntegrityCheck(ctx, path); err != nil {
		t.Fatal(err)
	}
	// Writes after the backup are not in it.
	if _, err := s.UpdateCompany(sys, c.ID, nakamawashi.CompanyUpdate{Name: ptr("株式会社その後")}); err != nil {
		t.Fatal(err)
	}

	cp, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	got, err := cp.FindCompanyByID(sys, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "株式会社控え" || got.CorporateNumber != c.CorporateNumber || !got.CreatedAt.Equal(c.CreatedAt) {
		t.Fatalf("copy: got %+v", got)
	}
	v, err := cp.VerifyAuditChain(sys)
	if err != nil || !v.OK || v.Events != 1 {
		t.Fatalf("copy's audit chain: %+v, %v", v, err)
	}
}

func TestIntegrityCheck(t *testing.T) {
	ctx := context.Background()
	if err := sqlite.IntegrityCheck(ctx, filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Fatal("a missing file passed the check")
	}
	path := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(path, []byte("this is not a database, not at all, not even close to one......"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := sqlite.IntegrityCheck(ctx, path); err == nil {
		t.Fatal("a junk file passed the check")
	}
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nakamawashi.db")
	for i := 0; i < 2; i++ {
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != migrationCount(t) {
			t.Fatalf("schema_migrations: %d, %v", n, err)
		}
		var mode string
		if err := s.DB().QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Fatalf("journal_mode: %q, %v", mode, err)
		}
		s.Close()
	}
}

func ptr[T any](v T) *T { return &v }

// migrationCount returns the number of embedded migrations.
func migrationCount(tb testing.TB) int {
	tb.Helper()
	names, err := fs.Glob(sqlite.Migrations(), "migrations/*.sql")
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
