package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

func testLogin(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	bg := context.Background()
	a := e.company(nakamawashi.KindMember, "株式会社エー製作所")
	e.user("owner@example.jp", a.ID, nakamawashi.RoleOwner)
	e.user("loner@example.jp", 0, "")

	t.Run("Success", func(t *testing.T) {
		before := e.events()
		sess, actor, err := s.Login(bg, nakamawashi.Credentials{Email: " OWNER@example.jp", Password: Password, RemoteAddr: "192.0.2.7:51234", UserAgent: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if sess.Token == "" || sess.CSRFToken == "" || sess.Token == sess.CSRFToken || sess.ID == 0 {
			t.Fatalf("session: got %+v", sess)
		}
		now := e.clock.Now()
		if !sess.CreatedAt.Equal(nakamawashi.TruncateTime(now)) || !sess.ExpiresAt.Equal(sess.CreatedAt.Add(nakamawashi.SessionIdleTimeout)) {
			t.Fatalf("session times: got %+v", sess)
		}
		want := nakamawashi.Actor{UserID: sess.UserID, UserName: "利用者 owner@example.jp", Email: "owner@example.jp", Language: nakamawashi.Japanese,
			CompanyID: a.ID, CompanyName: a.Name, CompanyKind: nakamawashi.KindMember, Role: nakamawashi.RoleOwner}
		if *actor != want {
			t.Fatalf("actor: got %+v, want %+v", *actor, want)
		}
		if sess.CompanyID != a.ID || sess.Role != nakamawashi.RoleOwner {
			t.Fatalf("session membership: got %+v", sess)
		}
		ev := e.lastEvent()
		if e.events() != before+1 || ev.Action != "auth.login" || ev.ActorUserID != actor.UserID || ev.CompanyID != a.ID {
			t.Fatalf("event: got %+v", ev)
		}
		if e.count(`SELECT COUNT(*) FROM sessions WHERE token_hash = ? OR csrf_token = ?`, sess.Token, sess.Token) != 0 {
			t.Fatal("the session token is stored in clear")
		}
		if e.count(`SELECT COUNT(*) FROM sessions WHERE token_hash = ?`, nakamawashi.HashToken(sess.Token)) != 1 {
			t.Fatal("the session's hash is not stored")
		}

		// Every login is a new session with a new token; the old one lives on.
		sess2, _, err := s.Login(bg, nakamawashi.Credentials{Email: "owner@example.jp", Password: Password})
		if err != nil {
			t.Fatal(err)
		}
		if sess2.Token == sess.Token || sess2.ID == sess.ID || sess2.CSRFToken == sess.CSRFToken {
			t.Fatal("a second login reused the session")
		}
		for _, tok := range []string{sess.Token, sess2.Token} {
			if _, _, err := s.Authenticate(bg, tok); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("Failures", func(t *testing.T) {
		e.user("disabled@example.jp", a.ID, nakamawashi.RoleStaff)
		var id int64
		if us, _, err := s.FindUsers(e.sys, nakamawashi.UserFilter{Email: "disabled@example.jp"}); err != nil || len(us) != 1 {
			t.Fatal(us, err)
		} else {
			id = us[0].ID
		}
		if _, err := s.UpdateUser(e.sys, id, nakamawashi.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name  string
			cred  nakamawashi.Credentials
			event string
		}{
			{"wrong password", nakamawashi.Credentials{Email: "owner@example.jp", Password: "not the password"}, "wrong_password"},
			{"unknown user", nakamawashi.Credentials{Email: "nobody@example.jp", Password: Password}, "unknown_user"},
			{"disabled", nakamawashi.Credentials{Email: "disabled@example.jp", Password: Password}, "disabled"},
			{"no membership", nakamawashi.Credentials{Email: "loner@example.jp", Password: Password}, "no_membership"},
			{"empty", nakamawashi.Credentials{}, "unknown_user"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := e.events()
				sess, actor, err := s.Login(bg, tt.cred)
				wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.login_failed")
				if sess != nil || actor != nil {
					t.Fatal("a failed login returned a session")
				}
				ev := e.lastEvent()
				if e.events() != before+1 || ev.Action != "auth.login_failed" || ev.CompanyID != 0 || !strings.Contains(ev.Detail, tt.event) {
					t.Fatalf("event: got %+v", ev)
				}
				if strings.Contains(ev.Detail, Password) || strings.Contains(ev.Detail, "not the password") {
					t.Fatal("the audit log holds a password")
				}
			})
		}
	})
}

func testLockout(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	bg := context.Background()
	a := e.company(nakamawashi.KindMember, "株式会社エー製作所")
	e.user("victim@example.jp", a.ID, nakamawashi.RoleOwner)
	e.user("other@example.jp", a.ID, nakamawashi.RoleStaff)

	t.Run("PerAccount", func(t *testing.T) {
		for i := 0; i < nakamawashi.LoginMaxPerAccount; i++ {
			_, _, err := s.Login(bg, nakamawashi.Credentials{Email: "victim@example.jp", Password: "guess" + fmt.Sprint(i), RemoteAddr: fmt.Sprintf("198.51.100.%d", i)})
			wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.login_failed")
			e.clock.Add(time.Minute)
		}
		// Locked, even with the right password and from a fresh address.
		_, _, err := s.Login(bg, nakamawashi.Credentials{Email: "VICTIM@example.jp", Password: Password, RemoteAddr: "203.0.113.9"})
		wantError(t, err, nakamawashi.ETOOMANY, "err.login_locked")
		// Other accounts are not.
		if _, _, err := s.Login(bg, nakamawashi.Credentials{Email: "other@example.jp", Password: Password, RemoteAddr: "203.0.113.9"}); err != nil {
			t.Fatal(err)
		}
		// Once the first failures leave the window, the account opens.
		e.clock.Add(nakamawashi.LoginWindow - 4*time.Minute)
		if _, _, err := s.Login(bg, nakamawashi.Credentials{Email: "victim@example.jp", Password: Password, RemoteAddr: "203.0.113.9"}); err != nil {
			t.Fatal(err)
		}
		// A success forgives the account's failures.
		for i := 0; i < nakamawashi.LoginMaxPerAccount-1; i++ {
			s.Login(bg, nakamawashi.Credentials{Email: "victim@example.jp", Password: "again"})
		}
		if _, _, err := s.Login(bg, nakamawashi.Credentials{Email: "victim@example.jp", Password: Password}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("PerAddress", func(t *testing.T) {
		const addr = "203.0.113.66"
		for i := 0; i < nakamawashi.LoginMaxPerAddress; i++ {
			_, _, err := s.Login(bg, nakamawashi.Credentials{Email: fmt.Sprintf("spray%d@example.jp", i), Password: Password, RemoteAddr: fmt.Sprintf("%s:%d", addr, 40000+i)})
			wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.login_failed")
		}
		_, _, err := s.Login(bg, nakamawashi.Credentials{Email: "other@example.jp", Password: Password, RemoteAddr: addr + ":50000"})
		wantError(t, err, nakamawashi.ETOOMANY, "err.login_locked")
		if _, _, err := s.Login(bg, nakamawashi.Credentials{Email: "other@example.jp", Password: Password, RemoteAddr: "203.0.113.67"}); err != nil {
			t.Fatal(err)
		}
		e.clock.Add(nakamawashi.LoginWindow + time.Second)
		if _, _, err := s.Login(bg, nakamawashi.Credentials{Email: "other@example.jp", Password: Password, RemoteAddr: addr}); err != nil {
			t.Fatal(err)
		}
		// Old failures are purged on login.
		if n := e.count(`SELECT COUNT(*) FROM login_failures`); n != 0 {
			t.Fatalf("login_failures: got %d rows, want 0", n)
		}
	})
}

func testSessions(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	bg := context.Background()
	a := e.company(nakamawashi.KindMember, "株式会社エー製作所")
	b := e.company(nakamawashi.KindPartner, "日立精機株式会社")
	e.user("user@example.jp", a.ID, nakamawashi.RoleOwner)
	e.user("second@example.jp", b.ID, nakamawashi.RoleOwner)

	t.Run("Authenticate", func(t *testing.T) {
		ctx, sess := e.login("user@example.jp")
		got, actor, err := s.Authenticate(bg, sess.Token)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != sess.ID || got.CSRFToken != sess.CSRFToken || got.Token != "" || *actor != *nakamawashi.ActorFromContext(ctx) {
			t.Fatalf("got %+v, %+v", got, actor)
		}
		for _, tok := range []string{"", "not-a-token", sess.CSRFToken} {
			_, _, err := s.Authenticate(bg, tok)
			wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.session.expired")
		}
	})

	t.Run("Sliding", func(t *testing.T) {
		_, sess := e.login("user@example.jp")
		seen := sess.LastSeenAt
		e.clock.Add(30 * time.Second)
		got, _, err := s.Authenticate(bg, sess.Token)
		if err != nil || !got.LastSeenAt.Equal(seen) {
			t.Fatalf("within a minute: %v, last seen %v, want %v (no write)", err, got.LastSeenAt, seen)
		}
		e.clock.Add(2 * time.Minute)
		got, _, err = s.Authenticate(bg, sess.Token)
		if err != nil || !got.LastSeenAt.After(seen) || !got.ExpiresAt.After(sess.ExpiresAt) {
			t.Fatalf("after a minute: %v, %+v", err, got)
		}
		// Active sessions live past the idle timeout …
		for i := 0; i < 3; i++ {
			e.clock.Add(nakamawashi.SessionIdleTimeout - time.Hour)
			if _, _, err := s.Authenticate(bg, sess.Token); err != nil {
				t.Fatalf("renewal %d: %v", i, err)
			}
		}
		// … but not past the maximum age.
		for i := 0; i < 20; i++ {
			e.clock.Add(nakamawashi.SessionIdleTimeout - time.Hour)
			if _, _, err := s.Authenticate(bg, sess.Token); err != nil {
				wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.session.expired")
				if age := e.clock.Now().Sub(sess.CreatedAt); age < nakamawashi.SessionMaxAge {
					t.Fatalf("ended at age %v, before the maximum %v", age, nakamawashi.SessionMaxAge)
				}
				return
			}
		}
		t.Fatal("a session outlived its maximum age")
	})

	t.Run("Idle", func(t *testing.T) {
		_, sess := e.login("user@example.jp")
		e.clock.Add(nakamawashi.SessionIdleTimeout)
		_, _, err := s.Authenticate(bg, sess.Token)
		wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.session.expired")
		// The next login purges it.
		e.login("user@example.jp")
		if e.count(`SELECT COUNT(*) FROM sessions WHERE token_hash = ?`, nakamawashi.HashToken(sess.Token)) != 0 {
			t.Fatal("an expired session was not purged")
		}
	})

	t.Run("Logout", func(t *testing.T) {
		_, sess := e.login("user@example.jp")
		_, other := e.login("user@example.jp")
		before := e.events()
		if err := s.Logout(bg, sess.Token); err != nil {
			t.Fatal(err)
		}
		if ev := e.lastEvent(); e.events() != before+1 || ev.Action != "auth.logout" || ev.ActorName != "利用者 user@example.jp" {
			t.Fatalf("event: %+v", ev)
		}
		_, _, err := s.Authenticate(bg, sess.Token)
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)
		if err := s.Logout(bg, sess.Token); err != nil {
			t.Fatalf("second logout: %v", err)
		}
		if err := s.Logout(bg, ""); err != nil {
			t.Fatalf("empty logout: %v", err)
		}
		if _, _, err := s.Authenticate(bg, other.Token); err != nil {
			t.Fatalf("another session ended with the first: %v", err)
		}
	})

	t.Run("SwitchCompany", func(t *testing.T) {
		ctx, sess := e.login("user@example.jp")
		uid := nakamawashi.ActorFromContext(ctx).UserID
		m := &nakamawashi.Membership{UserID: uid, CompanyID: b.ID, Role: nakamawashi.RoleStaff}
		if err := s.CreateMembership(e.sys, m); err != nil {
			t.Fatal(err)
		}
		actor, err := s.SwitchCompany(bg, sess.Token, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if actor.CompanyID != b.ID || actor.CompanyName != b.Name || actor.CompanyKind != nakamawashi.KindPartner || actor.Role != nakamawashi.RoleStaff || actor.UserID != uid {
			t.Fatalf("actor: %+v", actor)
		}
		got, actor2, err := s.Authenticate(bg, sess.Token)
		if err != nil || got.CompanyID != b.ID || *actor2 != *actor {
			t.Fatalf("after the switch: %+v, %+v, %v", got, actor2, err)
		}
		if ev := e.lastEvent(); ev.Action != "auth.switch_company" || ev.CompanyID != b.ID {
			t.Fatalf("event: %+v", ev)
		}
		// Another user's membership is not found.
		ms, err := s.FindMemberships(e.sys, nakamawashi.MembershipFilter{CompanyID: &b.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, om := range ms {
			if om.UserID != uid {
				_, err := s.SwitchCompany(bg, sess.Token, om.ID)
				wantError(t, err, nakamawashi.ENOTFOUND, "err.membership.not_found")
			}
		}
		_, err = s.SwitchCompany(bg, "stale", m.ID)
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)
	})
}

func testAPITokens(t *testing.T, h Harness) {
	e := newEnv(t, h)
	s := e.s
	bg := context.Background()
	a := e.company(nakamawashi.KindMember, "株式会社エー製作所")
	e.user("dev@example.jp", a.ID, nakamawashi.RoleOwner)
	e.user("peer@example.jp", a.ID, nakamawashi.RoleStaff)
	ctx, _ := e.login("dev@example.jp")
	peer, _ := e.login("peer@example.jp")

	t.Run("Create", func(t *testing.T) {
		before := e.events()
		tok, err := s.CreateAPIToken(ctx, "  生産管理連携  ", e.clock.Now().Add(30*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok.Token, nakamawashi.APITokenPrefix) || tok.ID == 0 || tok.Name != "生産管理連携" || tok.CompanyID != a.ID || tok.Role != nakamawashi.RoleOwner {
			t.Fatalf("token: %+v", tok)
		}
		if e.events() != before+1 || strings.Contains(e.lastEvent().Detail, tok.Token) {
			t.Fatalf("event: %+v", e.lastEvent())
		}
		if e.count(`SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? OR name = ?`, tok.Token, tok.Token) != 0 {
			t.Fatal("the token is stored in clear")
		}
		if e.count(`SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?`, nakamawashi.HashToken(tok.Token)) != 1 {
			t.Fatal("the token's hash is not stored")
		}

		actor, err := s.AuthenticateAPIToken(bg, tok.Token)
		if err != nil || *actor != *nakamawashi.ActorFromContext(ctx) {
			t.Fatalf("authenticate: %+v, %v", actor, err)
		}
		list, err := s.FindAPITokens(ctx)
		if err != nil || len(list) != 1 || list[0].Token != "" || list[0].ID != tok.ID || list[0].LastUsedAt == nil {
			t.Fatalf("list: %+v, %v", list, err)
		}
		used := *list[0].LastUsedAt
		e.clock.Add(10 * time.Second)
		s.AuthenticateAPIToken(bg, tok.Token)
		if list, _ := s.FindAPITokens(ctx); !list[0].LastUsedAt.Equal(used) {
			t.Fatal("last_used_at was written twice within a minute")
		}
		if list, _ := s.FindAPITokens(peer); len(list) != 0 {
			t.Fatalf("another user's list: %+v", list)
		}

		// Expiry.
		e.clock.Add(31 * 24 * time.Hour)
		_, err = s.AuthenticateAPIToken(bg, tok.Token)
		wantError(t, err, nakamawashi.EUNAUTHORIZED, "err.token.invalid")
	})

	t.Run("Invalid", func(t *testing.T) {
		now := e.clock.Now()
		tests := []struct {
			name    string
			tname   string
			expires time.Time
			field   string
			key     string
		}{
			{"past", "x", now.Add(-time.Hour), "expires_at", "err.token.expiry"},
			{"now", "x", now, "expires_at", "err.token.expiry"},
			{"too far", "x", now.Add(nakamawashi.APITokenMaxAge + time.Hour), "expires_at", "err.token.expiry"},
			{"no name", " ", now.Add(time.Hour), "name", "err.required"},
			{"long name", strings.Repeat("長", 101), now.Add(time.Hour), "name", "err.text_max"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.CreateAPIToken(ctx, tt.tname, tt.expires)
				wantCode(t, err, nakamawashi.EINVALID)
				wantField(t, err, tt.field, tt.key)
			})
		}
		_, err := s.CreateAPIToken(bg, "x", now.Add(time.Hour))
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)
		_, err = s.CreateAPIToken(e.sys, "x", now.Add(time.Hour))
		wantCode(t, err, nakamawashi.EFORBIDDEN)
		if _, err := s.CreateAPIToken(ctx, "max", now.Add(nakamawashi.APITokenMaxAge)); err != nil {
			t.Fatalf("the longest allowed expiry: %v", err)
		}
	})

	t.Run("Revoke", func(t *testing.T) {
		tok, err := s.CreateAPIToken(ctx, "revoke me", e.clock.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		err = s.RevokeAPIToken(peer, tok.ID)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.token.not_found")
		if err := s.RevokeAPIToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if ev := e.lastEvent(); ev.Action != "api_token.revoke" || ev.EntityID != tok.ID {
			t.Fatalf("event: %+v", ev)
		}
		_, err = s.AuthenticateAPIToken(bg, tok.Token)
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)
		err = s.RevokeAPIToken(ctx, tok.ID)
		wantCode(t, err, nakamawashi.ENOTFOUND)
	})

	t.Run("DisabledUser", func(t *testing.T) {
		tok, err := s.CreateAPIToken(peer, "peer", e.clock.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(e.sys, nakamawashi.ActorFromContext(peer).UserID, nakamawashi.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		_, err = s.AuthenticateAPIToken(bg, tok.Token)
		wantCode(t, err, nakamawashi.EUNAUTHORIZED)
	})
}
