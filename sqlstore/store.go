package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// Dialect is what differs between SQL engines. Queries in this package are
// written with "?" placeholders and portable SQL; the dialect fills the gaps.
type Dialect struct {
	// Name names the engine in operation names and logs, e.g. "sqlite".
	Name string

	// NumberedPlaceholders rewrites "?" to "$1", "$2", … (PostgreSQL).
	NumberedPlaceholders bool

	// TimeValue returns the value stored for a time, which has already
	// been brought to UTC and microseconds: a fixed-width string in
	// SQLite, the time itself for a timestamptz column.
	TimeValue func(t time.Time) any

	// LockAudit is executed in a write transaction before the last event
	// of the audit chain is read, so that two transactions cannot chain to
	// the same event. Empty when write transactions are exclusive already.
	LockAudit string

	// LockCompany is appended to "SELECT id FROM companies WHERE id = ?"
	// to lock the company's row until the write transaction ends, so that
	// two writes to one company's directory records (profile codes, search
	// index) run one after the other. Empty when write transactions are
	// exclusive already.
	LockCompany string

	// IsUniqueViolation reports whether err is a unique-constraint violation.
	IsUniqueViolation func(err error) bool

	// Backup writes a consistent copy of the database to path. Nil means
	// that the engine is backed up with its own tools.
	Backup func(ctx context.Context, db *sql.DB, path string) error

	// ReadTxOptions are used for read-only transactions; nil for the
	// driver's default.
	ReadTxOptions *sql.TxOptions

	// LockMigrations, if set, takes a lock on conn that keeps other
	// processes from migrating at the same time, and returns its release.
	LockMigrations func(ctx context.Context, conn *sql.Conn) (unlock func(), err error)
}

// Store implements nakamawashi.Store on database/sql.
type Store struct {
	// Now returns the current time; tests replace it. Each transaction
	// reads it once.
	Now func() time.Time

	// PasswordParams are the argon2id costs of new password hashes; the
	// zero value means nakamawashi.DefaultPasswordParams.
	PasswordParams nakamawashi.PasswordParams

	// Flow holds the office's settings for the order flow (tax rounding,
	// payment method and terms of work orders); zero fields take defaults.
	Flow nakamawashi.FlowSettings

	// FailPoint is for crash tests of the order flow; nil in production.
	FailPoint FailPoint

	write   *sql.DB
	read    *sql.DB
	dialect Dialect

	dummyOnce sync.Once
	dummyHash string // for unknown emails, when PasswordParams are not the defaults
}

var _ nakamawashi.Store = (*Store)(nil)

// New returns a store on the given pools. Writes go to write; read-only
// service methods use read, which may be the same pool. The caller has
// migrated the database (see Migrate).
func New(write, read *sql.DB, d Dialect) *Store {
	if read == nil {
		read = write
	}
	return &Store{Now: time.Now, write: write, read: read, dialect: d}
}

// DB returns the write pool: the database itself, for tools and tests.
func (s *Store) DB() *sql.DB { return s.write }

// Dialect returns the store's dialect.
func (s *Store) Dialect() Dialect { return s.dialect }

// Rebind rewrites a query written with "?" placeholders for the dialect.
func (s *Store) Rebind(query string) string { return rebind(s.dialect, query) }

// Ping checks that both pools answer.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.write.PingContext(ctx); err != nil {
		return &nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Message: nakamawashi.Msg("err.store.unavailable"), Op: s.op("Ping"), Err: err}
	}
	if s.read != s.write {
		if err := s.read.PingContext(ctx); err != nil {
			return &nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Message: nakamawashi.Msg("err.store.unavailable"), Op: s.op("Ping"), Err: err}
		}
	}
	return nil
}

// Backup writes a consistent copy of the database to path. Only the system
// and network admins may; PostgreSQL answers EUNSUPPORTED.
func (s *Store) Backup(ctx context.Context, path string) error {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermUsersAll, 0); err != nil {
		return err
	}
	if s.dialect.Backup == nil {
		return nakamawashi.Errorf(nakamawashi.EUNSUPPORTED, "err.backup.unsupported")
	}
	if err := s.dialect.Backup(ctx, s.read, path); err != nil {
		return nakamawashi.Internal(s.op("Backup"), err)
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	var errs []error
	if s.read != s.write {
		errs = append(errs, s.read.Close())
	}
	errs = append(errs, s.write.Close())
	return errors.Join(errs...)
}

func (s *Store) op(name string) string { return s.dialect.Name + "." + name }

func (s *Store) now() time.Time { return nakamawashi.TruncateTime(s.Now()) }

func (s *Store) passwordParams() nakamawashi.PasswordParams {
	if s.PasswordParams == (nakamawashi.PasswordParams{}) {
		return nakamawashi.DefaultPasswordParams
	}
	return s.PasswordParams
}

// rebind turns "?" into "$n" for dialects that number their placeholders.
// Quoted strings are copied as they are, so a "?" inside a literal stays.
func rebind(d Dialect, q string) string {
	if !d.NumberedPlaceholders || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// uniqueErr is the ECONFLICT answer to a unique violation on field.
func uniqueErr(field, key string) error {
	return &nakamawashi.Error{
		Code:    nakamawashi.ECONFLICT,
		Message: nakamawashi.Msg(key),
		Fields:  map[string]nakamawashi.Message{field: nakamawashi.Msg(key)},
	}
}

// likePattern returns a LIKE pattern matching s anywhere, with the
// wildcards of s escaped by a backslash (ESCAPE '\').
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(s)) + "%"
}
