package http_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

// TestMembers adds a person to a company in the UI, with a validation error
// first, and removes the membership again.
func TestMembers(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("ownerA")
	path := "/companies/" + itoa(e.a.ID) + "/members"
	resp, body := c.get(path)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="member-form"`) || strings.Contains(body, `value="admin"`) {
		t.Fatalf("members page: %d", resp.StatusCode)
	}
	form := url.Values{"name": {"鈴木 三郎"}, "email": {"suzuki@example.jp"}, "password": {"short"}, "language": {"ja"}, "role": {"staff"}}
	resp, body = c.post(path, form)
	if resp.StatusCode != 400 || !strings.Contains(body, `id="error-password"`) || !strings.Contains(body, `value="suzuki@example.jp"`) {
		t.Fatalf("short password: %d %s", resp.StatusCode, body)
	}
	form.Set("password", "long-enough-password")
	resp, _ = c.post(path, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add member: %d", resp.StatusCode)
	}
	_, body = c.get(path + "?ok=created")
	if !strings.Contains(body, "suzuki@example.jp") || !strings.Contains(body, `id="notice"`) {
		t.Fatalf("new member not listed")
	}
	i := strings.Index(body, `suzuki@example.jp`)
	j := strings.Index(body[i:], `/delete"`)
	k := strings.LastIndex(body[i:i+j], `action="`)
	action := body[i+k+len(`action="`) : i+j+len(`/delete`)]
	resp, _ = c.post(action, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove %s: %d", action, resp.StatusCode)
	}
	if _, body = c.get(path); strings.Contains(body, "suzuki@example.jp") {
		t.Errorf("member still listed after removal")
	}

	// Staff may read but not manage.
	s := e.client()
	s.login("staffA")
	resp, body = s.get(path)
	if resp.StatusCode != 200 || strings.Contains(body, `id="member-form"`) {
		t.Errorf("staff members page: %d", resp.StatusCode)
	}
	if resp, _ := s.post(path, form); resp.StatusCode != 403 {
		t.Errorf("staff adds a member: %d", resp.StatusCode)
	}

	// The network office sees every user.
	a := e.client()
	a.login("admin")
	resp, body = a.get("/users")
	if resp.StatusCode != 200 || !strings.Contains(body, e.users["ownerB"].Email) {
		t.Errorf("users page: %d", resp.StatusCode)
	}
	if resp, _ := c.get("/users"); resp.StatusCode != 403 {
		t.Errorf("owner opens /users: %d", resp.StatusCode)
	}
}

// TestSwitchCompany lets a person with two memberships act for the other.
func TestSwitchCompany(t *testing.T) {
	e := newEnv(t)
	sys := systemContext()
	m := &nakamawashi.Membership{UserID: e.users["staffA"].ID, CompanyID: e.partner.ID, Role: nakamawashi.RoleOwner}
	if err := e.store.CreateMembership(sys, m); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.login("staffA")
	_, body := c.get("/")
	if !strings.Contains(body, `id="company-switch"`) {
		t.Fatalf("no company switcher")
	}
	if resp, _ := c.post("/session/company", url.Values{"membership_id": {itoa(m.ID)}, "csrf_token": {"x"}}); resp.StatusCode != 403 {
		t.Errorf("switch without CSRF: %d", resp.StatusCode)
	}
	resp, _ := c.post("/session/company", url.Values{"membership_id": {itoa(m.ID)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch: %d", resp.StatusCode)
	}
	_, body = c.get("/")
	if !strings.Contains(body, `<dd id="dashboard-company">`+e.partner.Name) || !strings.Contains(body, `id="nav-audit"`) {
		t.Errorf("after switch: %s", body)
	}
}

func systemContext() context.Context {
	return nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
}
