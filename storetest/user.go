package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func testUsers(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s, sys := e.s, e.sys
	w := e.world()

	t.Run("Create", func(t *testing.T) {
		before := e.events()
		u, err := s.CreateUser(w.ownerA, &nakamawashi.NewUser{
			User:      nakamawashi.User{Email: " Ｎｅｗ@Example.JP ", Name: "新人　太郎", Language: nakamawashi.English},
			Password:  Password,
			CompanyID: w.a.ID,
			Role:      nakamawashi.RoleStaff,
		})
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.Email != "new@example.jp" || u.Name != "新人 太郎" || u.Language != nakamawashi.English || u.CreatedAt.IsZero() {
			t.Fatalf("created: got %+v", u)
		}
		if got := e.events(); got != before+2 {
			t.Fatalf("events: got %d, want %d (user and membership)", got, before+2)
		}
		ms, err := s.FindMemberships(sys, nakamawashi.MembershipFilter{UserID: &u.ID})
		if err != nil || len(ms) != 1 || ms[0].CompanyID != w.a.ID || ms[0].Role != nakamawashi.RoleStaff {
			t.Fatalf("membership: got %v, %v", ms, err)
		}
		if e.count(`SELECT COUNT(*) FROM users WHERE password_hash = ?`, Password) != 0 {
			t.Fatal("the password is stored in clear")
		}
		ctx, _ := e.login("new@example.jp")
		if a := nakamawashi.ActorFromContext(ctx); a.Language != nakamawashi.English || a.CompanyID != w.a.ID {
			t.Fatalf("actor: got %+v", a)
		}
	})

	t.Run("CreateErrors", func(t *testing.T) {
		tests := []struct {
			name  string
			ctx   context.Context
			nu    nakamawashi.NewUser
			code  string
			field string
			key   string
		}{
			{"email taken", sys, nakamawashi.NewUser{User: nakamawashi.User{Email: "OWNER-A@example.jp", Name: "重複"}, Password: Password},
				nakamawashi.ECONFLICT, "email", "err.user.email_taken"},
			{"bad email", sys, nakamawashi.NewUser{User: nakamawashi.User{Email: "no-at-sign", Name: "名前"}, Password: Password},
				nakamawashi.EINVALID, "email", "err.email"},
			{"short password", sys, nakamawashi.NewUser{User: nakamawashi.User{Email: "short@example.jp", Name: "名前"}, Password: "short"},
				nakamawashi.EINVALID, "password", "err.password_short"},
			{"both at once", sys, nakamawashi.NewUser{User: nakamawashi.User{Email: "both@example.jp"}, Password: "short"},
				nakamawashi.EINVALID, "name", "err.required"},
			{"bad role", sys, nakamawashi.NewUser{User: nakamawashi.User{Email: "role@example.jp", Name: "名前"}, Password: Password, CompanyID: w.a.ID, Role: "boss"},
				nakamawashi.EINVALID, "role", "err.role"},
			{"no such company", sys, nakamawashi.NewUser{User: nakamawashi.User{Email: "nocompany@example.jp", Name: "名前"}, Password: Password, CompanyID: 9999, Role: nakamawashi.RoleStaff},
				nakamawashi.ENOTFOUND, "", "err.company.not_found"},
			{"owner into another company", w.ownerA, nakamawashi.NewUser{User: nakamawashi.User{Email: "x1@example.jp", Name: "名前"}, Password: Password, CompanyID: w.b.ID, Role: nakamawashi.RoleStaff},
				nakamawashi.EFORBIDDEN, "", "err.forbidden"},
			{"owner without company", w.ownerA, nakamawashi.NewUser{User: nakamawashi.User{Email: "x2@example.jp", Name: "名前"}, Password: Password},
				nakamawashi.EFORBIDDEN, "", "err.forbidden"},
			{"owner makes an admin", w.ownerA, nakamawashi.NewUser{User: nakamawashi.User{Email: "x3@example.jp", Name: "名前"}, Password: Password, CompanyID: w.a.ID, Role: nakamawashi.RoleAdmin},
				nakamawashi.EFORBIDDEN, "", "err.forbidden"},
			{"staff", w.staffA, nakamawashi.NewUser{User: nakamawashi.User{Email: "x4@example.jp", Name: "名前"}, Password: Password, CompanyID: w.a.ID, Role: nakamawashi.RoleStaff},
				nakamawashi.EFORBIDDEN, "", "err.forbidden"},
			{"anonymous", context.Background(), nakamawashi.NewUser{User: nakamawashi.User{Email: "x5@example.jp", Name: "名前"}, Password: Password},
				nakamawashi.EUNAUTHORIZED, "", "err.unauthorized"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, users := e.events(), e.count(`SELECT COUNT(*) FROM users`)
				_, err := s.CreateUser(tt.ctx, &tt.nu)
				wantCode(t, err, tt.code)
				if tt.field != "" {
					wantField(t, err, tt.field, tt.key)
				} else {
					wantError(t, err, tt.code, tt.key)
				}
				if got := e.events(); got != before {
					t.Fatalf("events: got %d, want %d", got, before)
				}
				if got := e.count(`SELECT COUNT(*) FROM users`); got != users {
					t.Fatalf("users: got %d, want %d", got, users)
				}
			})
		}
	})

	t.Run("Find", func(t *testing.T) {
		ownerB := nakamawashi.ActorFromContext(w.ownerB)
		tests := []struct {
			name   string
			ctx    context.Context
			filter nakamawashi.UserFilter
			want   int
			code   string
		}{
			{"admin sees all", w.admin, nakamawashi.UserFilter{}, 6, ""},
			{"staff sees itself", w.staffA, nakamawashi.UserFilter{}, 1, ""},
			{"owner reads own members", w.ownerA, nakamawashi.UserFilter{CompanyID: &w.a.ID}, 3, ""},
			{"staff reads own members", w.staffA, nakamawashi.UserFilter{CompanyID: &w.a.ID}, 3, ""},
			{"owner of another company", w.ownerB, nakamawashi.UserFilter{CompanyID: &w.a.ID}, 0, nakamawashi.EFORBIDDEN},
			{"by email", w.admin, nakamawashi.UserFilter{Email: "OWNER-B@example.jp"}, 1, ""},
			{"by id outside scope", w.staffA, nakamawashi.UserFilter{ID: &ownerB.UserID}, 0, ""},
			{"anonymous", context.Background(), nakamawashi.UserFilter{}, 0, nakamawashi.EUNAUTHORIZED},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, n, err := s.FindUsers(tt.ctx, tt.filter)
				if tt.code != "" {
					wantCode(t, err, tt.code)
					return
				}
				if err != nil || n != tt.want || len(got) != tt.want {
					t.Fatalf("got %d (%d listed), %v; want %d", n, len(got), err, tt.want)
				}
			})
		}

		if _, err := s.FindUserByID(w.ownerB, ownerB.UserID); err != nil {
			t.Fatalf("self: %v", err)
		}
		_, err := s.FindUserByID(w.ownerA, ownerB.UserID)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.user.not_found")
		if _, err := s.FindUserByID(w.ownerA, nakamawashi.ActorFromContext(w.staffA).UserID); err != nil {
			t.Fatalf("own member: %v", err)
		}
		_, err = s.FindUserByID(w.admin, 9999)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.user.not_found")
	})

	t.Run("Update", func(t *testing.T) {
		staff := nakamawashi.ActorFromContext(w.staffA)
		u, err := s.UpdateUser(w.staffA, staff.UserID, nakamawashi.UserUpdate{Name: ptr("改名 花子"), Language: ptr(nakamawashi.English)})
		if err != nil || u.Name != "改名 花子" || u.Language != nakamawashi.English {
			t.Fatalf("self update: %+v, %v", u, err)
		}
		if ev := e.lastEvent(); ev.Action != "user.update" || ev.Detail != `{"language":["ja","en"],"name":["利用者 staff-a@example.jp","改名 花子"]}` {
			t.Fatalf("event: got %s %s", ev.Action, ev.Detail)
		}
		_, err = s.UpdateUser(w.staffA, staff.UserID, nakamawashi.UserUpdate{Disabled: ptr(true)})
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		_, err = s.UpdateUser(w.ownerA, staff.UserID, nakamawashi.UserUpdate{Name: ptr("他人")})
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		_, err = s.UpdateUser(w.ownerB, staff.UserID, nakamawashi.UserUpdate{Name: ptr("他人")})
		wantCode(t, err, nakamawashi.ENOTFOUND)
		_, err = s.UpdateUser(w.staffA, staff.UserID, nakamawashi.UserUpdate{Language: ptr(nakamawashi.Language("fr"))})
		wantField(t, err, "language", "err.language")
	})

	t.Run("Disable", func(t *testing.T) {
		e.user("leaver@example.jp", w.a.ID, nakamawashi.RoleStaff)
		ctx, sess := e.login("leaver@example.jp")
		id := nakamawashi.ActorFromContext(ctx).UserID
		if _, err := s.UpdateUser(w.admin, id, nakamawashi.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.Authenticate(context.Background(), sess.Token)
		wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.session.expired")
		_, _, err = s.Login(context.Background(), nakamawashi.Credentials{Email: "leaver@example.jp", Password: Password})
		wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.login_failed")
		if _, err := s.UpdateUser(w.admin, id, nakamawashi.UserUpdate{Disabled: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		e.login("leaver@example.jp")
	})

	t.Run("ChangePassword", func(t *testing.T) {
		e.user("pw@example.jp", w.b.ID, nakamawashi.RoleStaff)
		ctx, sess := e.login("pw@example.jp")
		id := nakamawashi.ActorFromContext(ctx).UserID
		const next = "a-new-long-passphrase"

		err := s.ChangePassword(ctx, id, "wrong password", next)
		wantField(t, err, "current_password", "err.password_wrong")
		err = s.ChangePassword(ctx, id, Password, "short")
		wantField(t, err, "password", "err.password_short")
		err = s.ChangePassword(w.ownerB, id, "", next)
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		err = s.ChangePassword(w.ownerA, id, "", next)
		wantCode(t, err, nakamawashi.ENOTFOUND)

		before := e.events()
		if err := s.ChangePassword(ctx, id, Password, next); err != nil {
			t.Fatal(err)
		}
		if got := e.events(); got != before+1 {
			t.Fatalf("events: got %d, want %d", got, before+1)
		}
		if _, _, err := s.Authenticate(context.Background(), sess.Token); nakamawashi.ErrorCode(err) != nakamawashi.EUNAUTHORIZED {
			t.Fatalf("old session after a password change: %v", err)
		}
		_, _, err = s.Login(context.Background(), nakamawashi.Credentials{Email: "pw@example.jp", Password: Password})
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)
		if _, _, err := s.Login(context.Background(), nakamawashi.Credentials{Email: "pw@example.jp", Password: next}); err != nil {
			t.Fatal(err)
		}
		// Admins reset a password without knowing the old one.
		if err := s.ChangePassword(w.admin, id, "", Password); err != nil {
			t.Fatal(err)
		}
		e.login("pw@example.jp")
	})
}

func testMemberships(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	w := e.world()
	ownerA := nakamawashi.ActorFromContext(w.ownerA)
	staffA := nakamawashi.ActorFromContext(w.staffA)
	ownerB := nakamawashi.ActorFromContext(w.ownerB)

	t.Run("Find", func(t *testing.T) {
		ms, err := s.FindMemberships(w.ownerA, nakamawashi.MembershipFilter{CompanyID: &w.a.ID})
		if err != nil || len(ms) != 2 {
			t.Fatalf("own company: %v, %v", ms, err)
		}
		if ms[0].UserEmail != "owner-a@example.jp" || ms[0].UserName == "" || ms[0].CompanyName != w.a.Name || ms[0].CreatedAt.IsZero() {
			t.Fatalf("joined fields: got %+v", ms[0])
		}
		_, err = s.FindMemberships(w.ownerA, nakamawashi.MembershipFilter{CompanyID: &w.b.ID})
		wantError(t, err, nakamawashi.EFORBIDDEN, "err.forbidden")
		_, err = s.FindMemberships(w.custOwner, nakamawashi.MembershipFilter{CompanyID: &w.a.ID})
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		ms, err = s.FindMemberships(w.ownerB, nakamawashi.MembershipFilter{UserID: &ownerB.UserID})
		if err != nil || len(ms) != 1 {
			t.Fatalf("self: %v, %v", ms, err)
		}
		ms, err = s.FindMemberships(w.ownerB, nakamawashi.MembershipFilter{UserID: &staffA.UserID})
		if err != nil || len(ms) != 0 {
			t.Fatalf("another company's user: got %v, %v; want none", ms, err)
		}
		ms, err = s.FindMemberships(w.staffA, nakamawashi.MembershipFilter{})
		if err != nil || len(ms) != 2 {
			t.Fatalf("no filter: got %v, %v; want own company's", ms, err)
		}
		ms, err = s.FindMemberships(w.admin, nakamawashi.MembershipFilter{})
		if err != nil || len(ms) != 5 {
			t.Fatalf("admin: got %d, %v; want 5", len(ms), err)
		}
	})

	t.Run("CreateDelete", func(t *testing.T) {
		// owner B joins company A as staff: only the network office may add
		// an existing person, for adding discloses who they are.
		m := &nakamawashi.Membership{UserID: ownerB.UserID, CompanyID: w.a.ID, Role: nakamawashi.RoleStaff}
		err := s.CreateMembership(w.staffA, m)
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		err = s.CreateMembership(w.ownerB, m)
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		before := e.events()
		err = s.CreateMembership(w.ownerA, m)
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		if m.UserEmail != "" || m.UserName != "" || e.events() != before {
			t.Fatalf("a refused membership disclosed or wrote something: %+v", m)
		}
		err = s.CreateMembership(w.ownerA, &nakamawashi.Membership{UserID: 9999, CompanyID: w.a.ID, Role: nakamawashi.RoleStaff})
		wantCode(t, err, nakamawashi.EFORBIDDEN) // no oracle for which ids exist
		err = s.CreateMembership(w.admin, &nakamawashi.Membership{UserID: ownerB.UserID, CompanyID: w.a.ID, Role: nakamawashi.RoleCoordinator})
		if err != nil {
			t.Fatalf("admin grants coordinator: %v", err)
		}
		if err := s.DeleteMembership(w.admin, mustMembership(t, s, w.admin, ownerB.UserID, w.a.ID).ID); err != nil {
			t.Fatal(err)
		}
		before = e.events()
		if err := s.CreateMembership(w.admin, m); err != nil {
			t.Fatal(err)
		}
		if m.ID == 0 || m.CompanyName != w.a.Name || m.UserEmail != "owner-b@example.jp" || e.events() != before+1 {
			t.Fatalf("created: %+v", m)
		}
		err = s.CreateMembership(w.admin, &nakamawashi.Membership{UserID: ownerB.UserID, CompanyID: w.a.ID, Role: nakamawashi.RoleOwner})
		wantError(t, err, nakamawashi.ECONFLICT, "err.membership.exists")
		err = s.CreateMembership(w.admin, &nakamawashi.Membership{UserID: 9999, CompanyID: w.a.ID, Role: nakamawashi.RoleStaff})
		wantError(t, err, nakamawashi.ENOTFOUND, "err.user.not_found")
		err = s.CreateMembership(w.admin, &nakamawashi.Membership{CompanyID: w.a.ID, Role: nakamawashi.RoleStaff})
		wantField(t, err, "user_id", "err.required")

		// The new membership lets owner B switch into company A.
		_, sess := e.login("owner-b@example.jp")
		if _, err := s.SwitchCompany(context.Background(), sess.Token, m.ID); err != nil {
			t.Fatal(err)
		}
		// Removing it ends the sessions acting through it.
		err = s.DeleteMembership(w.ownerB, m.ID)
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		if err := s.DeleteMembership(w.ownerA, m.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Authenticate(context.Background(), sess.Token); nakamawashi.ErrorCode(err) != nakamawashi.EUNAUTHORIZED {
			t.Fatalf("session through a deleted membership: %v", err)
		}
		err = s.DeleteMembership(w.ownerA, m.ID)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.membership.not_found")
	})

	t.Run("LastOwner", func(t *testing.T) {
		ms, err := s.FindMemberships(w.ownerA, nakamawashi.MembershipFilter{UserID: &ownerA.UserID})
		if err != nil || len(ms) != 1 {
			t.Fatal(ms, err)
		}
		before := e.events()
		err = s.DeleteMembership(w.ownerA, ms[0].ID)
		wantError(t, err, nakamawashi.ECONFLICT, "err.membership.last_owner")
		if e.events() != before {
			t.Fatal("a refused delete wrote an event")
		}
		// With a second owner, the first may go.
		staff, err := s.FindMemberships(w.ownerA, nakamawashi.MembershipFilter{UserID: &staffA.UserID})
		if err != nil || len(staff) != 1 {
			t.Fatal(staff, err)
		}
		if err := s.CreateMembership(w.admin, &nakamawashi.Membership{UserID: ownerB.UserID, CompanyID: w.a.ID, Role: nakamawashi.RoleOwner}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteMembership(w.ownerA, ms[0].ID); err != nil {
			t.Fatal(err)
		}
		// Staff are never the last owner.
		if err := s.DeleteMembership(w.admin, staff[0].ID); err != nil {
			t.Fatal(err)
		}
	})
}

// mustMembership returns the membership of user in company.
func mustMembership(t *testing.T, s nakamawashi.Store, ctx context.Context, userID, companyID int64) *nakamawashi.Membership {
	t.Helper()
	ms, err := s.FindMemberships(ctx, nakamawashi.MembershipFilter{UserID: &userID, CompanyID: &companyID})
	if err != nil || len(ms) != 1 {
		t.Fatalf("membership of user %d in company %d: %v, %v", userID, companyID, ms, err)
	}
	return ms[0]
}

// testLastOwnerConcurrency removes the two owners of a company at once:
// one removal must be refused, so that the company keeps an owner.
func testLastOwnerConcurrency(t *testing.T, h Harness) {
	e := newEnv(t, h)
	for round := 0; round < 5; round++ {
		c := e.company(nakamawashi.KindMember, fmt.Sprintf("株式会社二人社長%d", round))
		var ids []int64
		for i := 0; i < 2; i++ {
			u := e.user(fmt.Sprintf("owner%d-%d@example.jp", round, i), c.ID, nakamawashi.RoleOwner)
			ms, err := e.s.FindMemberships(e.sys, nakamawashi.MembershipFilter{UserID: &u.ID})
			if err != nil || len(ms) != 1 {
				t.Fatalf("memberships: %v, %v", ms, err)
			}
			ids = append(ids, ms[0].ID)
		}
		var wg sync.WaitGroup
		errs := make([]error, len(ids))
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = e.s.DeleteMembership(e.sys, id)
			}()
		}
		wg.Wait()
		if n := e.count(`SELECT COUNT(*) FROM memberships WHERE company_id = ? AND role = 'owner'`, c.ID); n != 1 {
			t.Fatalf("round %d: %d owners left (errors %v), want 1", round, n, errs)
		}
	}
}
