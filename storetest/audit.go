package storetest

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

func testAuditEvents(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s, sys := e.s, e.sys
	w := e.world()
	bg := context.Background()

	t.Run("OneEventPerWrite", func(t *testing.T) {
		var c *nakamawashi.Company
		var u *nakamawashi.User
		var m *nakamawashi.Membership
		var tok *nakamawashi.APIToken
		var sess *nakamawashi.Session
		steps := []struct {
			name   string
			action string // of the newest event; "" when none is written
			n      int
			fn     func() error
		}{
			{"create company", "company.create", 1, func() error {
				c = sampleCompany(nakamawashi.KindMember, "株式会社監査")
				return s.CreateCompany(w.admin, c)
			}},
			{"refused company", "", 0, func() error {
				return s.CreateCompany(w.ownerA, sampleCompany(nakamawashi.KindMember, "株式会社勝手"))
			}},
			{"update company", "company.update", 1, func() error {
				_, err := s.UpdateCompany(w.admin, c.ID, nakamawashi.CompanyUpdate{Region: ptr("蒲田")})
				return err
			}},
			{"create user", "user.create", 1, func() (err error) {
				u, err = s.CreateUser(w.admin, &nakamawashi.NewUser{User: nakamawashi.User{Email: "audit@example.jp", Name: "監査 太郎"}, Password: Password})
				return err
			}},
			{"invalid user", "", 0, func() error {
				_, err := s.CreateUser(w.admin, &nakamawashi.NewUser{User: nakamawashi.User{Email: "audit2@example.jp", Name: "監査"}, Password: "x"})
				return err
			}},
			{"duplicate user", "", 0, func() error {
				_, err := s.CreateUser(w.admin, &nakamawashi.NewUser{User: nakamawashi.User{Email: "audit@example.jp", Name: "監査"}, Password: Password})
				return err
			}},
			{"create membership", "membership.create", 1, func() error {
				m = &nakamawashi.Membership{UserID: u.ID, CompanyID: c.ID, Role: nakamawashi.RoleOwner}
				return s.CreateMembership(w.admin, m)
			}},
			{"update user", "user.update", 1, func() error {
				_, err := s.UpdateUser(w.admin, u.ID, nakamawashi.UserUpdate{Name: ptr("監査 次郎")})
				return err
			}},
			{"change password", "user.password_change", 1, func() error {
				return s.ChangePassword(w.admin, u.ID, "", "another-long-password")
			}},
			{"failed login", "auth.login_failed", 1, func() error {
				_, _, err := s.Login(bg, nakamawashi.Credentials{Email: "audit@example.jp", Password: Password})
				return err
			}},
			{"login", "auth.login", 1, func() (err error) {
				sess, _, err = s.Login(bg, nakamawashi.Credentials{Email: "audit@example.jp", Password: "another-long-password"})
				return err
			}},
			{"authenticate", "", 0, func() error {
				_, _, err := s.Authenticate(bg, sess.Token)
				return err
			}},
			{"create token", "api_token.create", 1, func() (err error) {
				a := &nakamawashi.Actor{UserID: u.ID, UserName: "監査 次郎", CompanyID: c.ID, Role: nakamawashi.RoleOwner, CompanyKind: nakamawashi.KindMember}
				tok, err = s.CreateAPIToken(nakamawashi.NewContextWithActor(bg, a), "監査", e.clock.Now().Add(time.Hour))
				return err
			}},
			{"revoke token", "api_token.revoke", 1, func() error {
				a := &nakamawashi.Actor{UserID: u.ID, UserName: "監査 次郎", CompanyID: c.ID, Role: nakamawashi.RoleOwner}
				return s.RevokeAPIToken(nakamawashi.NewContextWithActor(bg, a), tok.ID)
			}},
			{"logout", "auth.logout", 1, func() error { return s.Logout(bg, sess.Token) }},
			{"last owner", "", 0, func() error { return s.DeleteMembership(w.admin, m.ID) }},
			{"delete membership", "membership.delete", 1, func() error {
				if err := s.CreateMembership(w.admin, &nakamawashi.Membership{UserID: u.ID, CompanyID: w.a.ID, Role: nakamawashi.RoleOwner}); err != nil {
					return err
				}
				ms, err := s.FindMemberships(w.admin, nakamawashi.MembershipFilter{UserID: &u.ID, CompanyID: &w.a.ID})
				if err != nil {
					return err
				}
				return s.DeleteMembership(w.admin, ms[0].ID)
			}},
		}
		for _, st := range steps {
			before := e.events()
			err := st.fn()
			if st.name == "delete membership" {
				before++ // the membership created first
			}
			if got := e.events(); got != before+st.n {
				t.Fatalf("%s (err %v): %d events, want %d", st.name, err, got-before, st.n)
			}
			if st.n == 0 {
				if err == nil && st.name != "authenticate" {
					t.Fatalf("%s: succeeded, want a refusal", st.name)
				}
				continue
			}
			if st.action != "auth.login_failed" && err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if ev := e.lastEvent(); ev.Action != st.action || ev.At.IsZero() || ev.Hash == "" {
				t.Fatalf("%s: newest event %+v, want %s", st.name, ev, st.action)
			}
		}
		v, err := s.VerifyAuditChain(sys)
		if err != nil || !v.OK || v.Events != int64(e.events()) {
			t.Fatalf("verify: %+v, %v", v, err)
		}
	})

	t.Run("Find", func(t *testing.T) {
		evs, n, err := s.FindAuditEvents(w.ownerA, nakamawashi.AuditFilter{})
		if err != nil || n == 0 {
			t.Fatalf("owner's own events: %d, %v", n, err)
		}
		for _, ev := range evs {
			if ev.CompanyID != w.a.ID {
				t.Fatalf("owner A sees an event of company %d", ev.CompanyID)
			}
		}
		_, _, err = s.FindAuditEvents(w.ownerA, nakamawashi.AuditFilter{CompanyID: &w.b.ID})
		wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
		_, _, err = s.FindAuditEvents(w.staffA, nakamawashi.AuditFilter{})
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		_, _, err = s.FindAuditEvents(bg, nakamawashi.AuditFilter{})
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)

		all, total, err := s.FindAuditEvents(w.admin, nakamawashi.AuditFilter{Limit: nakamawashi.MaxPageSize})
		if err != nil || total != len(all) {
			t.Fatalf("admin: %d of %d, %v", len(all), total, err)
		}
		for i := 1; i < len(all); i++ {
			if all[i].ID != all[i-1].ID-1 {
				t.Fatalf("not newest first without gaps: %d after %d", all[i].ID, all[i-1].ID)
			}
		}
		// Time windows: the clock moves, then one more event.
		e.clock.Add(time.Hour)
		since := e.clock.Now()
		if _, err := s.UpdateCompany(w.admin, w.b.ID, nakamawashi.CompanyUpdate{Fax: ptr("03-1234-5679")}); err != nil {
			t.Fatal(err)
		}
		got, n, err := s.FindAuditEvents(w.admin, nakamawashi.AuditFilter{Since: &since})
		if err != nil || n != 1 || got[0].Action != "company.update" || got[0].CompanyID != w.b.ID {
			t.Fatalf("since: %+v, %d, %v", got, n, err)
		}
		_, n, err = s.FindAuditEvents(w.admin, nakamawashi.AuditFilter{Until: &since})
		if err != nil || n != total {
			t.Fatalf("until: %d, %v; want %d", n, err, total)
		}
		_, n, err = s.FindAuditEvents(w.admin, nakamawashi.AuditFilter{CompanyID: &w.b.ID, EntityType: "company", EntityID: &w.b.ID})
		if err != nil || n != 2 {
			t.Fatalf("by entity: %d, %v; want create and update", n, err)
		}
	})

	t.Run("Verify", func(t *testing.T) {
		_, err := s.VerifyAuditChain(w.ownerA)
		wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
		_, err = s.VerifyAuditChain(bg)
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)
		v, err := s.VerifyAuditChain(w.admin)
		if err != nil || !v.OK || v.LastHash != e.lastEvent().Hash {
			t.Fatalf("verify: %+v, %v", v, err)
		}
	})
}

// testAuditTamper changes the stored log behind the store's back.
func testAuditTamper(t *testing.T, h Harness) {
	setup := func(t *testing.T) *env {
		e := newEnv(t, h)
		for i := 0; i < 8; i++ {
			c := e.company(nakamawashi.KindMember, fmt.Sprintf("株式会社改ざん%d", i))
			if _, err := e.s.UpdateCompany(e.sys, c.ID, nakamawashi.CompanyUpdate{Building: ptr("3F")}); err != nil {
				t.Fatal(err)
			}
		}
		v, err := e.s.VerifyAuditChain(e.sys)
		if err != nil || !v.OK || v.Events != 16 {
			t.Fatalf("verify before tampering: %+v, %v", v, err)
		}
		return e
	}

	t.Run("TriggersRefuse", func(t *testing.T) {
		e := setup(t)
		for _, q := range []string{
			`UPDATE audit_events SET detail = '{}' WHERE id = 3`,
			`DELETE FROM audit_events WHERE id = 3`,
			`DELETE FROM audit_events`,
		} {
			if err := h.Exec(t, e.s, q); err == nil {
				t.Fatalf("%s: accepted, want the trigger to refuse", q)
			}
		}
		if v, err := e.s.VerifyAuditChain(e.sys); err != nil || !v.OK {
			t.Fatalf("verify: %+v, %v", v, err)
		}
	})

	tests := []struct {
		name     string
		query    string
		args     []any
		brokenAt int64
	}{
		{"Detail", `UPDATE audit_events SET detail = ? WHERE id = ?`, []any{`{"building":["","4F"]}`, 6}, 6},
		{"Actor", `UPDATE audit_events SET actor_name = ? WHERE id = ?`, []any{"someone else", 5}, 5},
		{"Delete", `DELETE FROM audit_events WHERE id = ?`, []any{9}, 10},
		{"Reorder", `UPDATE audit_events SET id = id + 100 WHERE id = ?`, []any{16}, 116},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			h.DropAuditTriggers(t, e.s)
			if err := h.Exec(t, e.s, tt.query, tt.args...); err != nil {
				t.Fatalf("%s: %v", tt.query, err)
			}
			v, err := e.s.VerifyAuditChain(e.sys)
			if err != nil {
				t.Fatal(err)
			}
			if v.OK || v.BrokenAt != tt.brokenAt || v.Reason == "" || v.Events != tt.brokenAt-1 && tt.name != "Delete" && tt.name != "Reorder" {
				t.Fatalf("verify: got %+v, want broken at %d", v, tt.brokenAt)
			}
		})
	}
}

// testConcurrency writes from many goroutines at once: every write must
// succeed and the chain must stay whole (no two events chained to one).
func testConcurrency(t *testing.T, h Harness) {
	e := newEnv(t, h)
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := sampleCompany(nakamawashi.KindMember, fmt.Sprintf("株式会社並行%02d", i))
			c.CorporateNumber = corporateNumber(i)
			if err := e.s.CreateCompany(e.sys, c); err != nil {
				errs <- err
				return
			}
			if _, err := e.s.UpdateCompany(e.sys, c.ID, nakamawashi.CompanyUpdate{Building: ptr("2F")}); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	v, err := e.s.VerifyAuditChain(e.sys)
	if err != nil || !v.OK || v.Events != 2*n {
		t.Fatalf("verify: %+v, %v; want %d events", v, err, 2*n)
	}
	if _, total, _ := e.s.FindCompanies(e.sys, nakamawashi.CompanyFilter{}); total != n {
		t.Fatalf("companies: %d, want %d", total, n)
	}
}

// testStore covers the operations on the database itself.
func testStore(t *testing.T, h Harness) {
	e := newEnv(t, h)
	if err := e.s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	w := e.world()
	path := filepath.Join(t.TempDir(), "backup.db")
	err := e.s.Backup(w.ownerA, path)
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	err = e.s.Backup(context.Background(), path)
	wantCode(t, err, nakamawashi.EUNAUTHORIZED)
	err = e.s.Backup(w.admin, path)
	if code := nakamawashi.ErrorCode(err); code != "" && code != nakamawashi.EUNSUPPORTED {
		t.Fatalf("backup: %v, want success or EUNSUPPORTED", err)
	}
	if err == nil {
		wantCode(t, e.s.Backup(w.admin, path), nakamawashi.ECONFLICT)
	}
}
