package http_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	nkmhttp "github.com/nakamawashi/nakamawashi/http"
	"github.com/nakamawashi/nakamawashi/sqlite"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

// password is every fixture user's password.
const password = "correct-horse-battery"

// env is a server on a real SQLite store with a small network in it.
type env struct {
	t       testing.TB
	store   *sqlstore.Store
	server  *nkmhttp.Server
	ts      *httptest.Server
	a, b, c *nakamawashi.Company // member A, member B, customer C
	office  *nakamawashi.Company
	partner *nakamawashi.Company // regional, in 日立市
	users   map[string]*nakamawashi.User
}

func company(kind nakamawashi.CompanyKind, name, kana, city string) *nakamawashi.Company {
	pref := "東京都"
	if city == "日立市" {
		pref = "茨城県"
	}
	return &nakamawashi.Company{Kind: kind, Name: name, NameKana: kana, PostalCode: "144-0051", Prefecture: pref,
		City: city, Street: "西蒲田1-2-3", Phone: "03-1234-5678", Region: city}
}

// newEnv opens a store in a temporary directory and fills it.
func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	store.PasswordParams = nakamawashi.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	e := &env{t: t, store: store, users: map[string]*nakamawashi.User{}}
	e.a = company(nakamawashi.KindMember, "株式会社アルファ精工", "アルファセイコウ", "大田区")
	e.b = company(nakamawashi.KindMember, "ベータ製作所", "ベータセイサクショ", "大田区")
	e.b.Description = "秘密のベータ情報"
	e.c = company(nakamawashi.KindCustomer, "ガンマ発注株式会社", "ガンマハッチュウ", "品川区")
	e.office = company(nakamawashi.KindOffice, "ネットワーク事務局", "ネットワークジムキョク", "大田区")
	e.partner = company(nakamawashi.KindPartner, "デルタ工業", "デルタコウギョウ", "日立市")
	for _, c := range []*nakamawashi.Company{e.a, e.b, e.c, e.office, e.partner} {
		if err := store.CreateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []struct {
		key, email, name string
		company          *nakamawashi.Company
		role             nakamawashi.Role
		lang             nakamawashi.Language
	}{
		{"admin", "admin@example.jp", "事務局 花子", e.office, nakamawashi.RoleAdmin, nakamawashi.Japanese},
		{"ownerA", "owner-a@example.jp", "山田 太郎", e.a, nakamawashi.RoleOwner, nakamawashi.Japanese},
		{"staffA", "staff-a@example.jp", "佐藤 次郎", e.a, nakamawashi.RoleStaff, nakamawashi.Japanese},
		{"ownerB", "owner-b@example.jp", "ベータ 社長", e.b, nakamawashi.RoleOwner, nakamawashi.English},
		{"customer", "buyer@example.jp", "Gamma Buyer", e.c, nakamawashi.RoleOwner, nakamawashi.English},
	} {
		nu, err := store.CreateUser(ctx, &nakamawashi.NewUser{
			User:     nakamawashi.User{Email: u.email, Name: u.name, Language: u.lang},
			Password: password, CompanyID: u.company.ID, Role: u.role,
		})
		if err != nil {
			t.Fatal(err)
		}
		e.users[u.key] = nu
	}
	e.server = nkmhttp.NewServer()
	e.server.Store = store
	e.server.Network = nakamawashi.Network{Name: "大田区IoT仲間まわしネットワーク", HomeRegion: "大田区"}
	e.server.Version = "test"
	e.ts = httptest.NewServer(e.server)
	t.Cleanup(e.ts.Close)
	return e
}

// client is a browser: a cookie jar that does not follow redirects.
type client struct {
	e    *env
	http *http.Client
	csrf string // the last CSRF token seen in a page
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// do sends a request and returns the response with its body read.
func (c *client) do(req *http.Request) (*http.Response, string) {
	c.e.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	if m := csrfRE.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.e.t.Helper()
	req, _ := http.NewRequest("GET", c.e.ts.URL+path, nil)
	return c.do(req)
}

// post sends a form; the CSRF token of the last page goes with it unless
// the form sets csrf_token itself.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok && c.csrf != "" {
		form.Set("csrf_token", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) cookie(name string) *http.Cookie {
	u, _ := url.Parse(c.e.ts.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// login logs the client in as a fixture user.
func (c *client) login(key string) {
	c.e.t.Helper()
	c.get("/login")
	resp, body := c.post("/login", url.Values{"email": {c.e.users[key].Email}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		c.e.t.Fatalf("login %s: status %d: %s", key, resp.StatusCode, body)
	}
	c.get("/")
}

// token issues an API token for a fixture user.
func (e *env) token(key string) string {
	e.t.Helper()
	_, actor, err := e.store.Login(context.Background(), nakamawashi.Credentials{Email: e.users[key].Email, Password: password})
	if err != nil {
		e.t.Fatal(err)
	}
	tok, err := e.store.CreateAPIToken(nakamawashi.NewContextWithActor(context.Background(), actor), "test", timeIn(30))
	if err != nil {
		e.t.Fatal(err)
	}
	return tok.Token
}

// api sends a JSON request with a bearer token (none if token is "").
func (e *env) api(token, method, path, body string) (*http.Response, string) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, e.ts.URL+path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// decodeError parses an API error body.
func decodeError(t testing.TB, body string) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("not an API error: %q (%v)", body, err)
	}
	return e
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func timeIn(days int) time.Time { return time.Now().Add(time.Duration(days) * 24 * time.Hour) }
