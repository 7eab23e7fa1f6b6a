package http_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func TestLoginLogout(t *testing.T) {
	e := newEnv(t)
	c := e.client()

	// Anonymous pages redirect to the login form, keeping a local next.
	resp, _ := c.get("/companies?q=x")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next="+url.QueryEscape("/companies?q=x") {
		t.Fatalf("anonymous page: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := c.get("/login")
	if resp.StatusCode != 200 || !strings.Contains(body, `id="login-form"`) || !strings.Contains(body, `id="login-submit"`) {
		t.Fatalf("login form: %d %s", resp.StatusCode, body)
	}
	anon := c.cookie("nkm_csrf")
	if anon == nil || anon.Value != c.csrf {
		t.Fatalf("double-submit cookie %v does not match the form's token %q", anon, c.csrf)
	}
	var setCookie string
	for _, v := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(v, "nkm_csrf=") {
			setCookie = v
		}
	}
	if !strings.Contains(setCookie, "HttpOnly") || !strings.Contains(setCookie, "SameSite=Lax") {
		t.Errorf("csrf cookie attributes: %q", setCookie)
	}

	creds := url.Values{"email": {e.users["ownerA"].Email}, "password": {password}}
	for name, token := range map[string]string{"missing": "", "wrong": strings.Repeat("x", 43)} {
		form := url.Values{"email": creds["email"], "password": creds["password"], "csrf_token": {token}}
		if resp, _ := c.post("/login", form); resp.StatusCode != http.StatusForbidden {
			t.Errorf("login with %s csrf token: status %d, want 403", name, resp.StatusCode)
		}
	}

	// A session token planted before login is not the one after it.
	u, _ := url.Parse(e.ts.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "nkm_session", Value: "planted-by-attacker", Path: "/"}})
	resp, body = c.post("/login", url.Values{"email": creds["email"], "password": creds["password"], "next": {"/companies"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/companies" {
		t.Fatalf("login: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	var sessionHeader string
	for _, v := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(v, "nkm_session=") && !strings.HasPrefix(v, "nkm_session=;") {
			sessionHeader = v
		}
	}
	for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(sessionHeader, attr) {
			t.Errorf("session cookie %q lacks %s", sessionHeader, attr)
		}
	}
	if strings.Contains(sessionHeader, "Secure") {
		t.Errorf("session cookie over plain HTTP is Secure: %q", sessionHeader)
	}
	first := c.cookie("nkm_session")
	if first == nil || first.Value == "planted-by-attacker" || !strings.HasPrefix(sessionHeader, "nkm_session="+first.Value) {
		t.Fatalf("session cookie not renewed: %v", first)
	}
	resp, body = c.get("/")
	if resp.StatusCode != 200 || !strings.Contains(body, `id="dashboard-title"`) || !strings.Contains(body, "山田 太郎") {
		t.Fatalf("dashboard: %d %s", resp.StatusCode, body)
	}
	if !strings.Contains(body, e.a.Name) || !strings.Contains(body, "代表・管理者") || !strings.Contains(body, e.server.Network.Name) {
		t.Errorf("dashboard lacks company, role or network: %s", body)
	}
	if c.csrf == anon.Value {
		t.Errorf("logged-in pages still carry the anonymous token")
	}

	// Logging in again renews the session and ends the old one.
	c.get("/login") // redirects: already logged in
	resp, _ = c.post("/login", creds)
	second := c.cookie("nkm_session")
	if resp.StatusCode != http.StatusSeeOther || second == nil || second.Value == first.Value {
		t.Fatalf("second login: %d, cookie %v (first %v)", resp.StatusCode, second, first.Value)
	}
	if _, _, err := e.store.Authenticate(context.Background(), first.Value); err == nil {
		t.Errorf("the session before the second login still works")
	}

	// Logout needs the CSRF token.
	c.get("/")
	if resp, _ := c.post("/logout", url.Values{"csrf_token": {"nope"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout with a wrong token: %d, want 403", resp.StatusCode)
	}
	req, _ := http.NewRequest("POST", e.ts.URL+"/logout", nil)
	if resp, _ := c.do(req); resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout without a token: %d, want 403", resp.StatusCode)
	}
	resp, _ = c.post("/logout", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout: %d, want a redirect to login", resp.StatusCode)
	}
	if _, _, err := e.store.Authenticate(context.Background(), second.Value); err == nil {
		t.Errorf("the session survives logout")
	}
}

func TestLoginRedirectStaysLocal(t *testing.T) {
	e := newEnv(t)
	for _, next := range []string{"//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/%0d%0aSet-Cookie:x"} {
		c := e.client()
		c.get("/login?next=" + url.QueryEscape(next))
		resp, _ := c.post("/login", url.Values{"email": {e.users["ownerA"].Email}, "password": {password}, "next": {next}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || (loc != "/" && loc != next) || strings.Contains(loc, "evil") || strings.ContainsAny(loc, "\r\n") {
			t.Errorf("next %q: %d redirect to %q", next, resp.StatusCode, loc)
		}
	}
}

func TestLoginFailures(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.get("/login")
	resp, body := c.post("/login", url.Values{"email": {e.users["ownerA"].Email}, "password": {"wrong-password"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "メールアドレスまたはパスワードが正しくありません") {
		t.Fatalf("wrong password: %d %s", resp.StatusCode, body)
	}
	if !strings.Contains(body, `value="`+e.users["ownerA"].Email+`"`) {
		t.Errorf("the email is not kept in the form")
	}
	for range nakamawashi.LoginMaxPerAccount {
		resp, body = c.post("/login", url.Values{"email": {e.users["ownerA"].Email}, "password": {"wrong-password"}})
	}
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "しばらくログインできません") {
		t.Fatalf("lockout: %d %s", resp.StatusCode, body)
	}
}

func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	_, body := c.get("/login")
	if !strings.Contains(body, `<html lang="ja">`) || !strings.Contains(body, "ログイン") {
		t.Fatalf("default language is not Japanese: %s", body)
	}
	if !strings.Contains(body, `id="lang-en"`) || !strings.Contains(body, `id="lang-ja"`) {
		t.Errorf("no language buttons")
	}
	if resp, _ := c.post("/lang", url.Values{"lang": {"en"}, "csrf_token": {"bad"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("language switch with a bad token: %d", resp.StatusCode)
	}
	resp, _ := c.post("/lang", url.Values{"lang": {"en"}, "next": {"/login"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("switch: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = c.get("/login")
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Log in") {
		t.Fatalf("anonymous switch to English did not stick: %s", body)
	}

	// Logged in, the switch changes the user's own setting.
	c.login("ownerA")
	_, body = c.get("/")
	if !strings.Contains(body, `<html lang="ja">`) {
		t.Errorf("the user's Japanese setting should win over the cookie")
	}
	c.post("/lang", url.Values{"lang": {"en"}, "next": {"/"}})
	_, body = c.get("/")
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Hello, 山田 太郎") {
		t.Fatalf("dashboard after switch: %s", body)
	}
	u, err := e.store.FindUserByID(nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor), e.users["ownerA"].ID)
	if err != nil || u.Language != nakamawashi.English {
		t.Errorf("user language %v, %v; want en", u.Language, err)
	}
}
