package demo_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/demo"
	"github.com/nakamawashi/nakamawashi/sqlite"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

// MustOpenStore opens a fresh SQLite store in a temporary directory with
// cheap password hashing.
func MustOpenStore(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "demo.db"))
	if err != nil {
		tb.Fatal(err)
	}
	s.PasswordParams = nakamawashi.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	tb.Cleanup(func() { s.Close() })
	return s
}

// countByKind lists every company as the system and counts them per kind.
func countByKind(t *testing.T, s nakamawashi.Store) (map[nakamawashi.CompanyKind]int, []*nakamawashi.Company) {
	t.Helper()
	ctx := nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
	companies, total, err := s.FindCompanies(ctx, nakamawashi.CompanyFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if total != len(companies) {
		t.Fatalf("got %d companies of %d", len(companies), total)
	}
	kinds := map[nakamawashi.CompanyKind]int{}
	for _, c := range companies {
		kinds[c.Kind]++
	}
	return kinds, companies
}

func TestSeed(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)

	logins, seeded, err := demo.Seed(ctx, s, demo.Options{})
	if err != nil {
		t.Fatal(err)
	} else if !seeded {
		t.Fatal("seeded is false on an empty store")
	}

	kinds, companies := countByKind(t, s)
	want := map[nakamawashi.CompanyKind]int{}
	for _, c := range demo.Companies() {
		want[c.Kind]++
	}
	for kind, n := range want {
		if kinds[kind] != n {
			t.Errorf("%s: got %d companies, want %d", kind, kinds[kind], n)
		}
	}
	if kinds[nakamawashi.KindMember] < 38 || kinds[nakamawashi.KindPartner] < 9 {
		t.Errorf("got %d members and %d partners, want about 40 and 10", kinds[nakamawashi.KindMember], kinds[nakamawashi.KindPartner])
	}
	network := demo.Network()
	hitachi := 0
	for _, c := range companies {
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
		if c.CorporateNumber != "" && !nakamawashi.CorporateNumberValid(c.CorporateNumber) {
			t.Errorf("%s: corporate number %s", c.Name, c.CorporateNumber)
		}
		if c.Region == "日立市" && c.Kind == nakamawashi.KindPartner {
			hitachi++
			if !(nakamawashi.Network{HomeRegion: "大田区"}).IsRegional(c) || !network.IsRegional(c) {
				t.Errorf("%s: not regional", c.Name)
			}
		}
		if c.Kind == nakamawashi.KindMember && network.IsRegional(c) {
			t.Errorf("%s: member is regional", c.Name)
		}
	}
	if hitachi < 7 {
		t.Errorf("got %d partners in 日立市, want at least 7", hitachi)
	}

	// Every login works with the demo password and acts in its role.
	for _, l := range logins {
		_, a, err := s.Login(ctx, nakamawashi.Credentials{Email: l.Email, Password: l.Password, RemoteAddr: "127.0.0.1"})
		if err != nil {
			t.Errorf("%s: %v", l.Email, err)
			continue
		}
		if a.Role != l.Role || a.CompanyName != l.CompanyName {
			t.Errorf("%s: got %s at %s, want %s at %s", l.Email, a.Role, a.CompanyName, l.Role, l.CompanyName)
		}
	}
	if _, _, err := s.Login(ctx, nakamawashi.Credentials{Email: logins[0].Email, Password: "wrong-password"}); err == nil {
		t.Error("login with a wrong password succeeded")
	}

	// Every company creation is on the audit log.
	sys := nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor)
	if _, n, err := s.FindAuditEvents(sys, nakamawashi.AuditFilter{EntityType: "company", Limit: 1}); err != nil {
		t.Fatal(err)
	} else if n != len(companies) {
		t.Errorf("got %d company audit events, want %d", n, len(companies))
	}

	// The owner is also a coordinator for the network office.
	owners, _, err := s.FindUsers(sys, nakamawashi.UserFilter{Email: "owner@example.jp"})
	if err != nil || len(owners) != 1 {
		t.Fatalf("owner: %v, %d users", err, len(owners))
	}
	ms, err := s.FindMemberships(sys, nakamawashi.MembershipFilter{UserID: &owners[0].ID})
	if err != nil {
		t.Fatal(err)
	} else if len(ms) != 2 {
		t.Errorf("owner has %d memberships, want 2", len(ms))
	}

	// A second Seed adds nothing and still returns the logins.
	again, seeded, err := demo.Seed(ctx, s, demo.Options{})
	if err != nil {
		t.Fatal(err)
	} else if seeded {
		t.Error("seeded is true on a seeded store")
	} else if len(again) != len(logins) {
		t.Errorf("got %d logins on the second run, want %d", len(again), len(logins))
	}
	kinds2, _ := countByKind(t, s)
	for kind, n := range kinds {
		if kinds2[kind] != n {
			t.Errorf("%s: %d companies after the second Seed, want %d", kind, kinds2[kind], n)
		}
	}
	_, nusers, err := s.FindUsers(sys, nakamawashi.UserFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	} else if nusers != len(logins) {
		t.Errorf("got %d users, want %d", nusers, len(logins))
	}
}

// TestSeedPassword checks that Options.Password replaces the default.
func TestSeedPassword(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	logins, _, err := demo.Seed(ctx, s, demo.Options{Password: "another-demo-password"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Login(ctx, nakamawashi.Credentials{Email: logins[0].Email, Password: "another-demo-password"}); err != nil {
		t.Errorf("login with the chosen password: %v", err)
	}
	if _, _, err := s.Login(ctx, nakamawashi.Credentials{Email: logins[1].Email, Password: demo.DefaultPassword}); err == nil {
		t.Error("login with the default password succeeded")
	}
}
