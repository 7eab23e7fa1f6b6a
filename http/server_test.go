package http_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	nkmhttp "github.com/nakamawashi/nakamawashi/http"
)

// TestOpenAPICoverage checks that every API route of the route table is in
// the OpenAPI document and that the document names no other operation.
func TestOpenAPICoverage(t *testing.T) {
	s := nkmhttp.NewServer()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas         map[string]json.RawMessage `json:"schemas"`
			SecuritySchemes map[string]struct {
				Scheme string `json:"scheme"`
			} `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	registered := map[string]bool{}
	for _, rt := range s.Routes() {
		if !rt.API {
			if strings.HasPrefix(rt.Pattern, "/api/") {
				t.Errorf("route %s under /api/ is not marked API", rt.Name)
			}
			continue
		}
		key := rt.Method + " " + rt.Pattern
		registered[key] = true
		if !documented[key] {
			t.Errorf("route %s (%s) is not documented", key, rt.Name)
		}
	}
	for key := range documented {
		if !registered[key] {
			t.Errorf("documented %s is not a route", key)
		}
	}
	for _, name := range []string{"Company", "User", "Membership", "APIToken", "AuditEvent", "Error"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("no schema %s", name)
		}
	}
	if doc.Components.SecuritySchemes["bearerAuth"].Scheme != "bearer" {
		t.Errorf("no bearer security scheme")
	}
	// Every $ref resolves.
	for _, m := range regexp.MustCompile(`"#/components/schemas/([A-Za-z]+)"`).FindAllStringSubmatch(w.Body.String(), -1) {
		if doc.Components.Schemas[m[1]] == nil {
			t.Errorf("dangling $ref %s", m[1])
		}
	}
}

// TestRouteTable checks the table itself and walks every route as an
// anonymous caller: protected routes refuse, public ones do not.
func TestRouteTable(t *testing.T) {
	e := newEnv(t)
	routes := e.server.Routes()
	names := map[string]bool{}
	for _, rt := range routes {
		if rt.Name == "" || rt.Summary == "" || rt.Method == "" || !strings.HasPrefix(rt.Pattern, "/") {
			t.Errorf("incomplete route %+v", rt)
		}
		if names[rt.Name] {
			t.Errorf("route name %s twice", rt.Name)
		}
		names[rt.Name] = true
		if !slices.Contains([]nkmhttp.Auth{nkmhttp.AuthNone, nkmhttp.AuthOptional, nkmhttp.AuthRequired}, rt.Auth) {
			t.Errorf("route %s: auth %q", rt.Name, rt.Auth)
		}
	}
	idRE := regexp.MustCompile(`\{[a-z]+\}`)
	for _, rt := range routes {
		path := strings.TrimSuffix(idRE.ReplaceAllString(rt.Pattern, "1"), "{$}")
		if strings.HasSuffix(path, "/static/") {
			path += "style.css"
		}
		req, _ := http.NewRequest(rt.Method, e.ts.URL+path, strings.NewReader("{}"))
		if rt.API {
			req.Header.Set("Content-Type", "application/json")
		} else {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case rt.Auth == nkmhttp.AuthRequired && rt.API:
			if resp.StatusCode != 401 {
				t.Errorf("%s %s anonymous: %d, want 401", rt.Method, path, resp.StatusCode)
			}
		case rt.Auth == nkmhttp.AuthRequired && rt.Method == "GET":
			if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
				t.Errorf("%s %s anonymous: %d %q, want a redirect to login", rt.Method, path, resp.StatusCode, resp.Header.Get("Location"))
			}
		case rt.Auth == nkmhttp.AuthRequired:
			if resp.StatusCode != 401 && resp.StatusCode != 403 {
				t.Errorf("%s %s anonymous: %d, want 401 or 403", rt.Method, path, resp.StatusCode)
			}
		case rt.Method == "GET":
			if resp.StatusCode != 200 {
				t.Errorf("%s %s anonymous: %d, want 200: %.200s", rt.Method, path, resp.StatusCode, body)
			}
		default: // public POSTs need the double-submit token
			if resp.StatusCode != 403 {
				t.Errorf("%s %s without CSRF: %d, want 403", rt.Method, path, resp.StatusCode)
			}
		}
		if resp.StatusCode >= 500 {
			t.Errorf("%s %s: %d", rt.Method, path, resp.StatusCode)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("admin")
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
	}
	for _, path := range []string{"/", "/login", "/companies", "/users", "/audit", "/audit/verify", "/account", "/api/v1/me", "/healthz", "/metrics", "/static/style.css", "/no/such/page", "/api/v1/openapi.json"} {
		resp, body := c.get(path)
		if resp.StatusCode >= 500 {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
		for k, v := range want {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", path, k, got, v)
			}
		}
		if resp.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", path)
		}
	}
	_, body := c.get("/audit/verify")
	if !strings.Contains(body, `id="audit-ok"`) {
		t.Errorf("admin verification: %s", body)
	}
	_, body = c.get("/")
	if !strings.Contains(body, `id="logout"`) || !strings.Contains(body, `id="nav-users"`) || !strings.Contains(body, `hx-headers='{"X-CSRF-Token": "`+c.csrf+`"}'`) {
		t.Errorf("dashboard lacks logout, users or hx-headers")
	}
	e.server.SecureCookies = true
	resp, _ := c.get("/login")
	if !strings.HasPrefix(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS with SecureCookies")
	}
}

func TestHealthAndMetrics(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	resp, body := c.get("/healthz")
	if resp.StatusCode != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
	c.get("/login")
	c.get("/nowhere")
	_, body = c.get("/metrics")
	for _, want := range []string{
		`nakamawashi_http_requests_total{route="healthz",method="GET",code="2xx"} 1`,
		`nakamawashi_http_requests_total{route="unmatched",method="GET",code="4xx"} 1`,
		`nakamawashi_http_request_duration_seconds_bucket{route="login.form",le="+Inf"} 1`,
		"# TYPE go_goroutines gauge", "process_start_time_seconds ", `nakamawashi_build_info{version="test"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
	e.store.Close()
	if resp, _ := c.get("/healthz"); resp.StatusCode != 503 {
		t.Errorf("healthz with a closed store: %d", resp.StatusCode)
	}
}

func TestOpenClose(t *testing.T) {
	e := newEnv(t)
	s := nkmhttp.NewServer()
	s.Addr = "127.0.0.1:0"
	s.Store = e.store
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	if s.Port() == 0 || !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Fatalf("port %d, url %s", s.Port(), s.URL())
	}
	resp, err := http.Get(s.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(s.URL() + "/healthz"); err == nil {
		t.Errorf("server still answers after Close")
	}
}
