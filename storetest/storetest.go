package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

// Harness tells the suite how to get at one engine.
type Harness struct {
	// Name names the engine in failure messages.
	Name string
	// Open returns a fresh, empty, isolated store, closed by t.Cleanup.
	// It should set cheap password parameters: the suite hashes often.
	Open func(t *testing.T) nakamawashi.Store
	// Exec runs raw SQL, written with "?" placeholders, on the store's
	// database, for the tamper tests, and returns the database's answer.
	Exec func(t *testing.T, s nakamawashi.Store, query string, args ...any) error
	// DropAuditTriggers removes the append-only triggers of audit_events,
	// as an attacker with database access would.
	DropAuditTriggers func(t *testing.T, s nakamawashi.Store)
}

// Run runs the whole suite against the engine of h.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"Companies", testCompanies},
		{"CompanyScope", testCompanyScope},
		{"Users", testUsers},
		{"Memberships", testMemberships},
		{"LastOwnerConcurrency", testLastOwnerConcurrency},
		{"Login", testLogin},
		{"Lockout", testLockout},
		{"Sessions", testSessions},
		{"APITokens", testAPITokens},
		{"AuditEvents", testAuditEvents},
		{"AuditTamper", testAuditTamper},
		{"Concurrency", testConcurrency},
		{"DirectoryConcurrency", testDirectoryConcurrency},
		{"Store", testStore},
		{"Profiles", testProfiles},
		{"Machines", testMachines},
		{"Posts", testPosts},
		{"Search", testSearch},
		{"Suppliers", testSuppliers},
		{"ImportDirectory", testImportDirectory},
		{"Devices", testDevices},
		{"DeviceScope", testDeviceScope},
		{"StateIntervals", testStateIntervals},
		{"StateIntervalAtomicity", testStateIntervalAtomicity},
	}
	tests = append(tests, registered...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, h)
		})
	}
}

// registered are tests that files of the suite add with register, so
// that a new area of the store does not need a line in the list above.
var registered []struct {
	name string
	fn   func(t *testing.T, h Harness)
}

// register adds a test to the suite (from an init function).
func register(name string, fn func(t *testing.T, h Harness)) {
	registered = append(registered, struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{name, fn})
}

// Password is the password of every user the suite creates.
const Password = "correct-horse-battery"

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is one fresh store with a clock and the system's context.
type env struct {
	t     *testing.T
	h     Harness
	s     nakamawashi.Store
	clock *clock
	sys   context.Context
	n     int
}

func newEnv(t *testing.T, h Harness) *env {
	t.Helper()
	s := h.Open(t)
	c := &clock{now: time.Date(2026, 4, 1, 0, 30, 0, 123456789, time.UTC)}
	if st, ok := s.(*sqlstore.Store); ok {
		st.Now = c.Now
	} else {
		t.Fatalf("%s: the suite needs a *sqlstore.Store to set the clock, got %T", h.Name, s)
	}
	return &env{t: t, h: h, s: s, clock: c, sys: nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)}
}

// corporateNumber returns a valid 法人番号 made from n.
func corporateNumber(n int) string {
	base := fmt.Sprintf("%012d", 300000000000+n)
	return string(nakamawashi.CorporateCheckDigit(base)) + base
}

// sampleCompany returns a valid company of kind.
func sampleCompany(kind nakamawashi.CompanyKind, name string) *nakamawashi.Company {
	return &nakamawashi.Company{
		Kind:       kind,
		Name:       name,
		NameKana:   "テストセイサクショ",
		PostalCode: "144-0051",
		Prefecture: "東京都",
		City:       "大田区",
		Street:     "西蒲田7-1-1",
		Phone:      "03-1234-5678",
	}
}

// company creates a company as the system.
func (e *env) company(kind nakamawashi.CompanyKind, name string) *nakamawashi.Company {
	e.t.Helper()
	c := sampleCompany(kind, name)
	if err := e.s.CreateCompany(e.sys, c); err != nil {
		e.t.Fatalf("CreateCompany(%s): %v", name, err)
	}
	return c
}

// user creates a user as the system, with a membership if companyID is set.
func (e *env) user(email string, companyID int64, role nakamawashi.Role) *nakamawashi.User {
	e.t.Helper()
	u, err := e.s.CreateUser(e.sys, &nakamawashi.NewUser{
		User:      nakamawashi.User{Email: email, Name: "利用者 " + email, Language: nakamawashi.Japanese},
		Password:  Password,
		CompanyID: companyID,
		Role:      role,
	})
	if err != nil {
		e.t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

// login logs email in and returns a context carrying its actor, and the session.
func (e *env) login(email string) (context.Context, *nakamawashi.Session) {
	e.t.Helper()
	sess, a, err := e.s.Login(context.Background(), nakamawashi.Credentials{Email: email, Password: Password, RemoteAddr: "192.0.2.1"})
	if err != nil {
		e.t.Fatalf("Login(%s): %v", email, err)
	}
	return nakamawashi.NewContextWithActor(context.Background(), a), sess
}

// events returns the number of audit events.
func (e *env) events() int {
	e.t.Helper()
	_, n, err := e.s.FindAuditEvents(e.sys, nakamawashi.AuditFilter{Limit: 1})
	if err != nil {
		e.t.Fatalf("FindAuditEvents: %v", err)
	}
	return n
}

// lastEvent returns the newest audit event.
func (e *env) lastEvent() *nakamawashi.AuditEvent {
	e.t.Helper()
	evs, _, err := e.s.FindAuditEvents(e.sys, nakamawashi.AuditFilter{Limit: 1})
	if err != nil || len(evs) == 0 {
		e.t.Fatalf("FindAuditEvents: %v, %d events", err, len(evs))
	}
	return evs[0]
}

// count runs a COUNT query on the store's database.
func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	st := e.s.(*sqlstore.Store)
	var n int
	if err := st.DB().QueryRowContext(context.Background(), st.Rebind(query), args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// world is a small network: the office with an admin, two member
// companies with owners and staff, and a customer.
type world struct {
	office, a, b, cust                       *nakamawashi.Company
	admin, ownerA, staffA, ownerB, custOwner context.Context
}

func (e *env) world() *world {
	e.t.Helper()
	w := &world{
		office: e.company(nakamawashi.KindOffice, "大田区仲間まわし事務局"),
		a:      e.company(nakamawashi.KindMember, "株式会社エー製作所"),
		b:      e.company(nakamawashi.KindMember, "株式会社ビー工業"),
		cust:   e.company(nakamawashi.KindCustomer, "株式会社シー電機"),
	}
	e.user("admin@example.jp", w.office.ID, nakamawashi.RoleAdmin)
	e.user("owner-a@example.jp", w.a.ID, nakamawashi.RoleOwner)
	e.user("staff-a@example.jp", w.a.ID, nakamawashi.RoleStaff)
	e.user("owner-b@example.jp", w.b.ID, nakamawashi.RoleOwner)
	e.user("cust@example.jp", w.cust.ID, nakamawashi.RoleOwner)
	w.admin, _ = e.login("admin@example.jp")
	w.ownerA, _ = e.login("owner-a@example.jp")
	w.staffA, _ = e.login("staff-a@example.jp")
	w.ownerB, _ = e.login("owner-b@example.jp")
	w.custOwner, _ = e.login("cust@example.jp")
	return w
}

// wantCode fails t unless err carries code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := nakamawashi.ErrorCode(err); got != code {
		t.Fatalf("error code: got %q (%v), want %q", got, err, code)
	}
}

// wantError fails t unless err carries code and the message key.
func wantError(t *testing.T, err error, code, key string) {
	t.Helper()
	wantCode(t, err, code)
	var e *nakamawashi.Error
	if !errors.As(err, &e) || e.Message.Key != key {
		t.Fatalf("message: got %v, want %q", err, key)
	}
	if !nakamawashi.HasMessage(key) {
		t.Fatalf("message key %q is not in the catalog", key)
	}
}

// wantField fails t unless err is EINVALID or ECONFLICT with a message on field.
func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	var e *nakamawashi.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an error on field %q", err, field)
	}
	m, ok := e.Fields[field]
	if !ok || (key != "" && m.Key != key) {
		t.Fatalf("fields: got %v, want %q: %q", e.Fields, field, key)
	}
}

func ptr[T any](v T) *T { return &v }
