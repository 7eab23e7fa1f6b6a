package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func TestAPIBearer(t *testing.T) {
	e := newEnv(t)
	tok := e.token("ownerA")

	resp, body := e.api(tok, "GET", "/api/v1/me", "")
	var me struct {
		UserID    int64  `json:"user_id"`
		CompanyID int64  `json:"company_id"`
		Role      string `json:"role"`
		Auth      string `json:"auth"`
	}
	if err := json.Unmarshal([]byte(body), &me); resp.StatusCode != 200 || err != nil {
		t.Fatalf("me: %d %s", resp.StatusCode, body)
	}
	if me.UserID != e.users["ownerA"].ID || me.CompanyID != e.a.ID || me.Role != "owner" || me.Auth != "token" {
		t.Errorf("me: %+v", me)
	}

	// No CSRF token needed with a bearer token.
	resp, body = e.api(tok, "PATCH", "/api/v1/companies/"+itoa(e.a.ID), `{"description":"旋盤加工"}`)
	if resp.StatusCode != 200 || !strings.Contains(body, "旋盤加工") {
		t.Fatalf("patch: %d %s", resp.StatusCode, body)
	}

	for name, header := range map[string]string{"unknown token": "Bearer nkm_nope", "wrong scheme": "Basic abc", "empty": "Bearer "} {
		req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: %d %q", name, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	}
	resp, body = e.api("", "GET", "/api/v1/companies", "")
	if resp.StatusCode != 401 || decodeError(t, body).Error.Code != "unauthorized" {
		t.Errorf("anonymous API: %d %s", resp.StatusCode, body)
	}

	// Lists have one shape.
	resp, body = e.api(tok, "GET", "/api/v1/companies?limit=2", "")
	var list struct {
		Items  []nakamawashi.Company `json:"items"`
		Total  int                   `json:"total"`
		Offset int                   `json:"offset"`
		Limit  int                   `json:"limit"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || resp.StatusCode != 200 || len(list.Items) != 2 || list.Total < 4 || list.Limit != 2 {
		t.Errorf("list: %d %s", resp.StatusCode, body)
	}
	for _, path := range []string{"/api/v1/companies/abc", "/api/v1/companies/0", "/api/v1/companies/-1", "/api/v1/companies/+1", "/api/v1/companies/01", "/api/v1/companies/99999999999999999999", "/api/v1/companies/999999"} {
		resp, body := e.api(tok, "GET", path, "")
		if resp.StatusCode != 404 {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
	if resp, body := e.api(tok, "GET", "/api/v1/companies?limit=x", ""); resp.StatusCode != 400 {
		t.Errorf("bad limit: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.api(tok, "PUT", "/api/v1/companies", `{}`); resp.StatusCode != 405 || decodeError(t, body).Error.Code != "method_not_allowed" {
		t.Errorf("PUT: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.api(tok, "GET", "/api/v1/nothing", ""); resp.StatusCode != 404 || decodeError(t, body).Error.Code != "not_found" {
		t.Errorf("unknown API path: %d %s", resp.StatusCode, body)
	}

	// Tokens: created once with a secret, listed without.
	resp, body = e.api(tok, "POST", "/api/v1/tokens", `{"name":"ci"}`)
	if resp.StatusCode != 201 || !strings.Contains(body, `"token":"nkm_`) {
		t.Fatalf("token create: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api(tok, "GET", "/api/v1/tokens", "")
	if resp.StatusCode != 200 || strings.Contains(body, `"token":`) {
		t.Errorf("token list shows secrets: %s", body)
	}
}

// TestCookieAPINeedsCSRF checks that the API, reached with a session cookie,
// needs the X-CSRF-Token header for changes.
func TestCookieAPINeedsCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("ownerA")
	patch := func(token string) int {
		req, _ := http.NewRequest("PATCH", e.ts.URL+"/api/v1/companies/"+itoa(e.a.ID), strings.NewReader(`{"description":"x"}`))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("X-CSRF-Token", token)
		}
		resp, _ := c.do(req)
		return resp.StatusCode
	}
	if got := patch(""); got != 403 {
		t.Errorf("without token: %d, want 403", got)
	}
	if got := patch("wrong"); got != 403 {
		t.Errorf("with a wrong token: %d, want 403", got)
	}
	if got := patch(c.csrf); got != 200 {
		t.Errorf("with the token: %d, want 200", got)
	}
	req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/me", nil)
	if resp, body := c.do(req); resp.StatusCode != 200 || !strings.Contains(body, `"auth":"session"`) {
		t.Errorf("me by cookie: %d %s", resp.StatusCode, body)
	}
}

// TestAPIErrorShapes sends broken bodies to a create endpoint and checks
// each is a 4xx with a message and that nothing was written.
func TestAPIErrorShapes(t *testing.T) {
	e := newEnv(t)
	e.server.MaxBodyBytes = 4096
	tok := e.token("admin")
	count := func() int {
		_, body := e.api(tok, "GET", "/api/v1/companies?limit=1", "")
		var l struct{ Total int }
		json.Unmarshal([]byte(body), &l)
		return l.Total
	}
	before := count()
	valid := `{"kind":"member","name":"イプシロン工業","name_kana":"イプシロンコウギョウ","postal_code":"1440051","prefecture":"東京都","city":"大田区","street":"東糀谷1-1","phone":"03-9999-0000"}`
	for _, tt := range []struct {
		name, contentType, body string
		status                  int
		code, field             string
	}{
		{"malformed", "application/json", `{"kind":"member",`, 400, "invalid", ""},
		{"wrong type", "application/json", `{"kind":"member","name":123}`, 400, "invalid", "name"},
		{"unknown field", "application/json", strings.Replace(valid, `"kind"`, `"id":5,"kind"`, 1), 400, "invalid", "id"},
		{"oversized", "application/json", `{"description":"` + strings.Repeat("あ", 3000) + `"}`, 413, "too_large", ""},
		{"invalid utf-8", "application/json", strings.Replace(valid, "イプシロン工業", "\xff\xfe", 1), 400, "invalid", ""},
		{"wrong content type", "text/plain", valid, 415, "unsupported_media", ""},
		{"form content type", "application/x-www-form-urlencoded", "name=x", 415, "unsupported_media", ""},
		{"trailing data", "application/json", valid + valid, 400, "invalid", ""},
		{"empty", "application/json", "", 400, "invalid", ""},
		{"validation", "application/json", strings.Replace(valid, "1440051", "12", 1), 400, "invalid", "postal_code"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/companies", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", tt.contentType)
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Accept-Language", "en")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e apiError
			if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
				t.Fatalf("status %d, body not JSON: %v", resp.StatusCode, err)
			}
			if resp.StatusCode != tt.status || e.Error.Code != tt.code || e.Error.Message == "" {
				t.Errorf("got %d %+v, want %d %s", resp.StatusCode, e.Error, tt.status, tt.code)
			}
			if tt.field != "" && e.Error.Fields[tt.field] == "" {
				t.Errorf("fields %v do not name %s", e.Error.Fields, tt.field)
			}
		})
	}
	if after := count(); after != before {
		t.Fatalf("companies %d after broken requests, want %d", after, before)
	}
	// The actor's language wins over Accept-Language: the admin reads Japanese.
	_, body := e.api(tok, "POST", "/api/v1/companies", strings.Replace(valid, "1440051", "12", 1))
	if !strings.Contains(decodeError(t, body).Error.Fields["postal_code"], "7桁") {
		t.Errorf("validation message not in the user's language: %s", body)
	}
	resp, body := e.api(tok, "POST", "/api/v1/companies", valid)
	if resp.StatusCode != 201 || resp.Header.Get("Location") == "" || count() != before+1 {
		t.Errorf("valid create: %d %s", resp.StatusCode, body)
	}
}

// TestCrossCompanyAccess checks that people of one company cannot read or
// change what belongs to another, through the API or the UI.
func TestCrossCompanyAccess(t *testing.T) {
	e := newEnv(t)
	tokA := e.token("ownerA")
	secrets := []string{e.users["ownerB"].Email, e.users["ownerB"].Name}

	// Owner of A asks for B's members.
	resp, body := e.api(tokA, "GET", "/api/v1/companies/"+itoa(e.b.ID)+"/members", "")
	if resp.StatusCode != 403 && resp.StatusCode != 404 {
		t.Errorf("API members of B: %d", resp.StatusCode)
	}
	for _, s := range append(secrets, e.b.Name) {
		if strings.Contains(body, s) {
			t.Errorf("API leaks %q: %s", s, body)
		}
	}
	c := e.client()
	c.login("ownerA")
	resp, body = c.get("/companies/" + itoa(e.b.ID) + "/members")
	if resp.StatusCode != 403 && resp.StatusCode != 404 {
		t.Errorf("UI members of B: %d", resp.StatusCode)
	}
	for _, s := range append(secrets, e.b.Name) {
		if strings.Contains(body, s) {
			t.Errorf("UI leaks %q", s)
		}
	}
	// Own members are visible.
	resp, body = c.get("/companies/" + itoa(e.a.ID) + "/members")
	if resp.StatusCode != 200 || !strings.Contains(body, e.users["staffA"].Email) {
		t.Errorf("own members: %d", resp.StatusCode)
	}

	// Changing B, removing B's people, editing B in the UI.
	if resp, _ := e.api(tokA, "PATCH", "/api/v1/companies/"+itoa(e.b.ID), `{"name":"乗っ取り"}`); resp.StatusCode != 403 && resp.StatusCode != 404 {
		t.Errorf("PATCH B: %d", resp.StatusCode)
	}
	sys := nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
	bID := e.b.ID
	ms, err := e.store.FindMemberships(sys, nakamawashi.MembershipFilter{CompanyID: &bID})
	if err != nil || len(ms) == 0 {
		t.Fatal(ms, err)
	}
	if resp, _ := e.api(tokA, "DELETE", "/api/v1/memberships/"+itoa(ms[0].ID), ""); resp.StatusCode != 403 && resp.StatusCode != 404 {
		t.Errorf("DELETE B's membership: %d", resp.StatusCode)
	}
	if resp, _ := c.post("/companies/"+itoa(e.a.ID)+"/members/"+itoa(ms[0].ID)+"/delete", nil); resp.StatusCode != 404 {
		t.Errorf("UI delete of B's membership through A's path: %d", resp.StatusCode)
	}
	if resp, _ := c.get("/companies/" + itoa(e.b.ID) + "/edit"); resp.StatusCode != 403 && resp.StatusCode != 404 {
		t.Errorf("UI edit B: %d", resp.StatusCode)
	}
	if resp, _ := c.post("/companies/"+itoa(e.b.ID)+"/edit", url.Values{"name": {"乗っ取り"}}); resp.StatusCode != 403 && resp.StatusCode != 404 {
		t.Errorf("UI update B: %d", resp.StatusCode)
	}
	if got, _ := e.store.FindCompanyByID(sys, e.b.ID); got.Name != e.b.Name {
		t.Errorf("B was renamed to %q", got.Name)
	}
	// An owner cannot make an admin, nor change the company's kind.
	resp, body = c.post("/companies/"+itoa(e.a.ID)+"/members", url.Values{"name": {"偽 管理者"}, "email": {"fake@example.jp"}, "password": {password}, "language": {"ja"}, "role": {"admin"}})
	if resp.StatusCode != 403 {
		t.Errorf("owner grants admin: %d", resp.StatusCode)
	}
	if resp, _ := e.api(tokA, "PATCH", "/api/v1/companies/"+itoa(e.a.ID), `{"kind":"office"}`); resp.StatusCode != 403 {
		t.Errorf("owner changes kind: %d", resp.StatusCode)
	}
	if resp, _ := e.api(tokA, "POST", "/api/v1/users", `{"email":"x@example.jp","name":"x","password":"`+password+`","company_id":`+itoa(e.b.ID)+`,"role":"staff"}`); resp.StatusCode != 403 && resp.StatusCode != 404 {
		t.Errorf("owner of A creates a user in B: %d", resp.StatusCode)
	}

	// A customer sees only its own company.
	tokC := e.token("customer")
	resp, body = e.api(tokC, "GET", "/api/v1/companies/"+itoa(e.a.ID), "")
	if resp.StatusCode != 404 || strings.Contains(body, e.a.Name) {
		t.Errorf("customer reads A: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api(tokC, "GET", "/api/v1/companies", "")
	if resp.StatusCode != 200 || strings.Contains(body, e.a.Name) || !strings.Contains(body, e.c.Name) {
		t.Errorf("customer directory: %s", body)
	}
	cc := e.client()
	cc.login("customer")
	resp, body = cc.get("/companies/" + itoa(e.a.ID))
	if resp.StatusCode != 404 || strings.Contains(body, e.a.Name) {
		t.Errorf("customer UI reads A: %d", resp.StatusCode)
	}
	if !strings.Contains(body, `lang="en"`) || !strings.Contains(body, "not found") {
		t.Errorf("the error page is not in the customer's English: %s", body)
	}
}

// TestCompanyForm checks the profile page and that an invalid edit comes
// back with the input and messages next to the fields.
func TestCompanyForm(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("ownerA")
	resp, body := c.get("/companies/" + itoa(e.partner.ID))
	if resp.StatusCode != 200 || !strings.Contains(body, "〒144-0051") {
		t.Fatalf("partner profile: %d %s", resp.StatusCode, body)
	}
	// A regional partner's kind already says 地方企業: no second badge.
	if n := strings.Count(body, `class="badge regional"`); n != 0 || !strings.Contains(body, ">地方企業</span>") {
		t.Errorf("partner profile: %d regional badges besides the kind", n)
	}
	if strings.Contains(body, `id="company-edit"`) {
		t.Errorf("edit link on another company's profile")
	}
	_, body = c.get("/companies/" + itoa(e.a.ID))
	if strings.Contains(body, `id="regional-badge"`) || !strings.Contains(body, `id="company-edit"`) {
		t.Errorf("own profile: badge or edit link wrong")
	}
	c.get("/companies/" + itoa(e.a.ID) + "/edit")
	form := url.Values{"name": {"アルファ精工（改）"}, "name_kana": {"あるふぁ"}, "postal_code": {"12-34"}, "prefecture": {"東京都"},
		"city": {"大田区"}, "street": {"西蒲田1-2-3"}, "phone": {"03-1234-5678"}, "region": {"大田区"}}
	resp, body = c.post("/companies/"+itoa(e.a.ID)+"/edit", form)
	if resp.StatusCode != 400 || !strings.Contains(body, `id="error-postal_code"`) || !strings.Contains(body, "郵便番号は7桁") {
		t.Fatalf("invalid edit: %d %s", resp.StatusCode, body)
	}
	if !strings.Contains(body, `value="12-34"`) || !strings.Contains(body, "アルファ精工（改）") {
		t.Errorf("input not kept")
	}
	form.Set("postal_code", "１４４－００５２")
	resp, _ = c.post("/companies/"+itoa(e.a.ID)+"/edit", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid edit: %d", resp.StatusCode)
	}
	_, body = c.get(resp.Header.Get("Location"))
	if !strings.Contains(body, "〒144-0052") || !strings.Contains(body, `id="notice"`) {
		t.Errorf("after edit: %s", body)
	}

	// Search, and the admin-only new form.
	_, body = c.get("/companies?q=" + url.QueryEscape("ベータ"))
	if !strings.Contains(body, e.b.Name) || strings.Contains(body, e.partner.Name) {
		t.Errorf("search: %s", body)
	}
	if resp, _ := c.get("/companies/new"); resp.StatusCode != 403 {
		t.Errorf("owner opens new company form: %d", resp.StatusCode)
	}
	if _, body := c.get("/"); strings.Contains(body, `id="nav-users"`) || !strings.Contains(body, `id="nav-audit"`) {
		t.Errorf("owner navigation wrong")
	}
}

// TestAccountTokens creates a token in the UI, sees it once and revokes it.
func TestAccountTokens(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("staffA")
	c.get("/account")
	resp, body := c.post("/account/tokens", url.Values{"token_name": {"laptop"}, "token_days": {"30"}})
	if resp.StatusCode != 201 || !strings.Contains(body, `id="new-token-value"`) {
		t.Fatalf("create token: %d %s", resp.StatusCode, body)
	}
	secret := body[strings.Index(body, "nkm_"):]
	secret = secret[:strings.IndexAny(secret, "<\"")]
	if r, _ := e.api(secret, "GET", "/api/v1/me", ""); r.StatusCode != 200 {
		t.Fatalf("new token does not work: %d", r.StatusCode)
	}
	_, body = c.get("/account")
	if strings.Contains(body, secret) || !strings.Contains(body, "laptop") {
		t.Errorf("token list shows the secret or misses the token")
	}
	tokens, _ := e.store.FindAPITokens(nakamawashi.NewContextWithActor(context.Background(), &nakamawashi.Actor{UserID: e.users["staffA"].ID, CompanyID: e.a.ID, Role: nakamawashi.RoleStaff}))
	if len(tokens) != 1 {
		t.Fatalf("tokens: %v", tokens)
	}
	resp, _ = c.post("/account/tokens/"+itoa(tokens[0].ID)+"/delete", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if r, _ := e.api(secret, "GET", "/api/v1/me", ""); r.StatusCode != 401 {
		t.Errorf("revoked token still works: %d", r.StatusCode)
	}

	// Password change keeps this browser logged in with a new session.
	old := c.cookie("nkm_session").Value
	c.get("/account")
	resp, body = c.post("/account/password", url.Values{"current_password": {"wrong-wrong-wrong"}, "new_password": {"new-password-123"}, "new_password_confirm": {"new-password-123"}})
	if resp.StatusCode != 400 || !strings.Contains(body, `id="error-current_password"`) {
		t.Fatalf("wrong current password: %d", resp.StatusCode)
	}
	resp, _ = c.post("/account/password", url.Values{"current_password": {password}, "new_password": {"new-password-123"}, "new_password_confirm": {"new-password-123"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account?ok=password" {
		t.Fatalf("change password: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if c.cookie("nkm_session").Value == old {
		t.Errorf("session not renewed after a password change")
	}
	if resp, _ := c.get("/account"); resp.StatusCode != 200 {
		t.Errorf("logged out after password change: %d", resp.StatusCode)
	}
}
