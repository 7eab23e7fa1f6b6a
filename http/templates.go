package http

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	gohttp "net/http"
	"path"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// jst is Japan Standard Time; Japan keeps no daylight saving time.
var jst = time.FixedZone("JST", 9*60*60)

// page is the data every template receives.
type page struct {
	Lang    nakamawashi.Language
	Title   string // catalog key
	Actor   *nakamawashi.Actor
	CSRF    string
	Network nakamawashi.Network
	Path    string // the current path and query, for "come back here" forms
	Status  int
	Message string            // an error or notice, already translated
	Notice  string            // catalog key of a success notice
	Errors  map[string]string // per-field messages, translated
	Form    any               // the values of the page's form
	Data    any               // what the page shows
}

// Can reports whether the actor may use perm on its own company's records.
func (p *page) Can(perm string) bool {
	return p.Actor != nil && p.Actor.Can(nakamawashi.Permission(perm), p.Actor.CompanyID)
}

// CanFor reports whether the actor may use perm on a company's records.
func (p *page) CanFor(perm string, companyID int64) bool {
	return p.Actor != nil && p.Actor.Can(nakamawashi.Permission(perm), companyID)
}

// CanNetwork reports whether the actor holds perm for every company.
func (p *page) CanNetwork(perm string) bool {
	return p.Actor != nil && p.Actor.CanNetwork(nakamawashi.Permission(perm))
}

// NetworkName returns the network's name, or the product's.
func (p *page) NetworkName() string {
	if p.Network.Name != "" {
		return p.Network.Name
	}
	return nakamawashi.Localize(p.Lang, "ui.app.name")
}

// newPage starts the data of a page for this request, with the CSRF token
// its forms need (the session's, or a double-submit one when anonymous).
func (s *Server) newPage(w gohttp.ResponseWriter, r *gohttp.Request, title string) *page {
	info := requestInfoFrom(r.Context())
	p := &page{Lang: info.lang, Title: title, Actor: info.actor, Network: s.Network, Path: localPath(r.URL.RequestURI())}
	if p.Lang == "" {
		p.Lang = nakamawashi.Japanese
	}
	if info.session != nil {
		p.CSRF = info.session.CSRFToken
	} else {
		p.CSRF = s.anonymousCSRF(w, r)
	}
	return p
}

// formField is one text input of a form, with its error if any.
type formField struct {
	Name     string
	Label    string // catalog key
	Value    string
	Required bool
	Error    string
}

// funcs returns the template functions for one language.
func (s *Server) funcs(lang nakamawashi.Language) template.FuncMap {
	m := template.FuncMap{
		"t": func(key string, args ...any) string { return nakamawashi.Localize(lang, key, args...) },
		"kind": func(k nakamawashi.CompanyKind) string {
			return nakamawashi.Localize(lang, "ui.kind."+string(k))
		},
		"role": func(r nakamawashi.Role) string { return nakamawashi.Localize(lang, "ui.role."+string(r)) },
		"language": func(l nakamawashi.Language) string {
			return nakamawashi.Localize(lang, "ui.lang."+string(nakamawashi.ParseLanguage(string(l))))
		},
		"postal":      nakamawashi.FormatPostalCode,
		"datetime":    func(t time.Time) string { return formatTime(t, "2006-01-02 15:04") },
		"date":        func(t time.Time) string { return formatTime(t, "2006-01-02") },
		"asset":       func(name string) string { return s.assets[name] },
		"lines":       func(text string) []string { return strings.Split(text, "\n") },
		"add":         func(a, b int) int { return a + b },
		"sub":         func(a, b int) int { return a - b },
		"kinds":       func() []nakamawashi.CompanyKind { return nakamawashi.CompanyKinds },
		"roles":       func() []nakamawashi.Role { return nakamawashi.Roles },
		"prefectures": func() []string { return nakamawashi.Prefectures },
		"languages":   func() []nakamawashi.Language { return nakamawashi.Languages },
		"fieldOf": func(p *page, name, label, value string, required bool) formField {
			return formField{Name: name, Label: label, Value: value, Required: required, Error: p.Errors[name]}
		},
		"regional": func(c *nakamawashi.Company) bool {
			return c != nil && s.Network.HomeRegion != "" && s.Network.IsRegional(c)
		},
	}
	for k, f := range s.directoryFuncs(lang) {
		m[k] = f
	}
	for k, f := range flowFuncs(lang) {
		m[k] = f
	}
	for k, f := range boardFuncs(lang) {
		m[k] = f
	}
	return m
}

func formatTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(jst).Format(layout)
}

// parseTemplates parses every page with the layout, once per language, and
// fingerprints the static assets for cache busting.
func (s *Server) parseTemplates() error {
	s.assets = map[string]string{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		s.assets[name] = "/static/" + name + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return err
	}
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	s.templates = map[nakamawashi.Language]map[string]*template.Template{}
	for _, lang := range nakamawashi.Languages {
		base, err := template.New("").Funcs(s.funcs(lang)).ParseFS(templateFS, "templates/layout.html")
		if err != nil {
			return err
		}
		set := map[string]*template.Template{}
		for _, p := range pages {
			name := strings.TrimSuffix(path.Base(p), ".html")
			if name == "layout" {
				continue
			}
			t, err := template.Must(base.Clone()).ParseFS(templateFS, p)
			if err != nil {
				return err
			}
			if t.Lookup("content") == nil {
				return fmt.Errorf("%s defines no content", p)
			}
			set[name] = t
		}
		s.templates[lang] = set
	}
	return nil
}

// render executes a page into a buffer, so that a template error becomes a
// clean 500 instead of half a page.
func (s *Server) render(w gohttp.ResponseWriter, r *gohttp.Request, status int, name string, data *page) {
	data.Status = status
	t := s.templates[data.Lang][name]
	var buf bytes.Buffer
	if t == nil {
		s.logger().Error("no template", "name", name)
		gohttp.Error(w, gohttp.StatusText(gohttp.StatusInternalServerError), gohttp.StatusInternalServerError)
		return
	} else if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.logger().Error("render template", "name", name, "err", err)
		gohttp.Error(w, gohttp.StatusText(gohttp.StatusInternalServerError), gohttp.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// handleStatic serves the embedded assets. Versioned URLs are cached long.
func (s *Server) handleStatic(w gohttp.ResponseWriter, r *gohttp.Request) {
	if strings.HasSuffix(r.URL.Path, "/") {
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.not_found"))
		return
	}
	if r.URL.Query().Get("v") != "" {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=3600")
	}
	gohttp.FileServerFS(staticFS).ServeHTTP(w, r)
}

// formError reports whether an error of code is shown on the form that
// caused it: invalid values, a conflict with the records, a file too
// large.
func formError(code string) bool {
	return code == nakamawashi.EINVALID || code == nakamawashi.ECONFLICT || code == nakamawashi.ETOOLARGE
}

// renderForm renders a page whose form was submitted. An error the person
// can fix (invalid input, a conflict, a file too large) shows on the form with its status, the
// input kept and a message next to each wrong field; any other error goes
// to the error page.
func (s *Server) renderForm(w gohttp.ResponseWriter, r *gohttp.Request, status int, name string, p *page, err error) {
	if err != nil {
		code := nakamawashi.ErrorCode(err)
		if !formError(code) {
			s.Error(w, r, err)
			return
		}
		status = ErrorStatus(code)
		p.Message = nakamawashi.ErrorMessage(p.Lang, err)
		p.Errors = nakamawashi.ErrorFields(p.Lang, err)
	}
	s.render(w, r, status, name, p)
}
