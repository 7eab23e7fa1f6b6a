package http

import (
	"fmt"
	"html/template"
	gohttp "net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// The order flow's pages share these helpers: the template functions for
// statuses and dates, the notices a redirect carries, reading ids and
// numbers from forms, and rendering a page again with its form errors.

// flowNotices are the notices a flow page shows after a redirect with
// ?ok=…; anything else in ok is ignored.
var flowNotices = []string{
	"submitted", "cancelled", "drawing", "routing", "requests", "chosen", "withdrawn", "drafted",
	"quote_sent", "accepted", "rejected", "answered", "declined", "wo_accepted", "delivered",
	"delivery_accepted", "invoiced", "paid", "scanned", "read", "corrected",
}

// flowNotice sets the page's notice from the ok parameter.
func flowNotice(p *page, r *gohttp.Request) {
	if ok := r.URL.Query().Get("ok"); slices.Contains(flowNotices, ok) {
		p.Notice = "ui.flow.ok." + ok
	}
}

// flowPage is a flow page showing data, with the notice of the redirect
// that led to it.
func (s *Server) flowPage(w gohttp.ResponseWriter, r *gohttp.Request, title string, data any) *page {
	p := s.newPage(w, r, title)
	p.Data = data
	flowNotice(p, r)
	return p
}

// flowFuncs are the template functions of the flow pages.
func flowFuncs(lang nakamawashi.Language) template.FuncMap {
	return template.FuncMap{
		// status names an entity's status: {{status "inquiry" .Status}}.
		"status": func(entity string, s any) string {
			return nakamawashi.Localize(lang, "flow.status."+entity+"."+toString(s))
		},
		"action": func(a any) string { return nakamawashi.Localize(lang, "flow.action."+toString(a)) },
		"day": func(d nakamawashi.Date) string {
			if d.IsZero() {
				return "—"
			}
			return d.String()
		},
		"dayWeek": func(d nakamawashi.Date) string {
			if d.IsZero() {
				return "—"
			}
			return d.String() + "（" + nakamawashi.Localize(lang, "ui.flow.weekday."+strconv.Itoa(int(d.Time().Weekday()))) + "）"
		},
		"timeOf": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return formatTime(*t, "2006-01-02 15:04")
		},
		"docKind":  func(k nakamawashi.DocumentKind) string { return nakamawashi.Localize(lang, "ui.flow.doc."+string(k)) },
		"docKinds": func() []nakamawashi.DocumentKind { return nakamawashi.DocumentKinds },
		"kb": func(n int64) string {
			if n < 1024 {
				return strconv.FormatInt(n, 10) + " B"
			}
			return nakamawashi.FormatNumber((n+1023)/1024) + " KB"
		},
		"statuses": func(e string) []string { return nakamawashi.Statuses(nakamawashi.Entity(e)) },
		"i64":      func(n int) int64 { return int64(n) },
		"deadlinePast": func(t time.Time) bool {
			return !t.IsZero() && time.Now().After(t)
		},
		"checked": func(list []int64, id int64) bool { return slices.Contains(list, id) },
		"frag":    func(p *page, d any) fragment { return fragment{Page: p, Data: d} },
		"pdf":     pdfURL,
		"drawingURL": func(id int64, version int) string {
			u := "/api/v1/drawings/" + i64s(id) + "/content"
			if version > 0 {
				u += "?version=" + strconv.Itoa(version)
			}
			return u
		},
	}
}

func toString(v any) string { return fmt.Sprint(v) }

// flowForm reads a urlencoded or multipart form (the caller's route says
// which) and returns its values.
func (s *Server) flowForm(w gohttp.ResponseWriter, r *gohttp.Request) (url.Values, error) {
	if isMultipart(r) {
		if err := s.parseUpload(w, r); err != nil {
			return nil, err
		}
		return r.MultipartForm.Value, nil
	}
	if err := s.parseForm(w, r); err != nil {
		return nil, err
	}
	return r.PostForm, nil
}

// formDate parses a typed date (2026-12-01, full-width digits accepted);
// empty is the zero date.
func (n *numbers) date(field, v string) nakamawashi.Date {
	v = n.clean(v)
	if v == "" {
		return nakamawashi.Date{}
	}
	d, err := nakamawashi.ParseDate(strings.ReplaceAll(v, "/", "-"))
	if err != nil {
		n.pr.Add(field, "err.date")
	}
	return d
}

// int64 parses a whole number of yen.
func (n *numbers) int64(field, v string) int64 {
	v = n.clean(v)
	if v == "" {
		return 0
	}
	i, err := strconv.ParseInt(v, 10, 64)
	if err != nil || len(v) > 15 {
		n.pr.Add(field, "err.http.integer")
		return 0
	}
	return i
}

// ids reads the ids of a multi-valued field; a malformed one is ENOTFOUND.
func ids(vs []string) ([]int64, error) {
	var out []int64
	for _, v := range vs {
		id, err := parseID(v)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// fieldErrorOnly reports whether err is one a person fixes on the form
// (renderForm shows it there).
func fieldErrorOnly(err error) bool {
	return formError(nakamawashi.ErrorCode(err))
}

// afterForm ends a form's POST: on success back to path with the notice
// ok; an error a person fixes on the form shows the page again through
// show; any other error answers the error page.
func (s *Server) afterForm(w gohttp.ResponseWriter, r *gohttp.Request, path, ok string, err error, show func(error)) {
	switch {
	case err == nil:
		redirectOK(w, r, path, ok)
	case fieldErrorOnly(err):
		show(err)
	default:
		s.Error(w, r, err)
	}
}

// idForm reads a flow page's POST on a record: the id in the path, then
// the form.
func (s *Server) idForm(w gohttp.ResponseWriter, r *gohttp.Request) (int64, url.Values, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	v, err := s.flowForm(w, r)
	return id, v, err
}

// redirectOK sends the browser to path with a notice.
func redirectOK(w gohttp.ResponseWriter, r *gohttp.Request, path, ok string) {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	frag := ""
	if i := strings.IndexByte(path, '#'); i >= 0 {
		path, frag = path[:i], path[i:]
	}
	gohttp.Redirect(w, r, path+sep+"ok="+ok+frag, gohttp.StatusSeeOther)
}

// isCoordinator reports whether the actor coordinates the network's flow.
func isCoordinator(a *nakamawashi.Actor) bool {
	return a != nil && a.CanNetwork(nakamawashi.PermCoordinate)
}

// isShop reports whether the actor works for a shop (a supplier).
func isShop(a *nakamawashi.Actor) bool {
	return a != nil && a.CompanyKind.Supplier() && a.Can(nakamawashi.PermShopWork, a.CompanyID)
}

// isCustomer reports whether the actor sends inquiries for its company.
func isCustomer(a *nakamawashi.Actor) bool {
	return a != nil && a.CompanyKind == nakamawashi.KindCustomer && a.Can(nakamawashi.PermInquiryRead, a.CompanyID)
}

func i64s(id int64) string { return strconv.FormatInt(id, 10) }

// pdfURL is where the PDF of a record is served: the traveler straight
// from the API, the business documents through /pdf/{kind}/{id}, which
// finds the issued document of the record.
func pdfURL(kind string, id any) string {
	ref := fmt.Sprint(id)
	switch kind {
	case "traveler":
		return "/api/v1/lots/" + ref + "/traveler.pdf"
	case "document":
		return "/api/v1/documents/" + ref + "/pdf"
	}
	return "/pdf/" + kind + "/" + ref
}
