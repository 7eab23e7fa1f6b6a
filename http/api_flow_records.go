package http

import (
	"bytes"
	gohttp "net/http"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/document"
)

// Business records (取引関係書類) as issued, their PDFs, corrections and the
// 電子帳簿保存法 search and export; and the lots' travelers.

// documentFilter reads the records search from the query: kind, from, to,
// min_amount, max_amount, counterparty (part of the name),
// counterparty_id, number, all_versions and the page.
func documentFilter(r *gohttp.Request) (nakamawashi.DocumentFilter, error) {
	offset, limit, err := parsePage(r)
	if err != nil {
		return nakamawashi.DocumentFilter{}, err
	}
	q := r.URL.Query()
	f := nakamawashi.DocumentFilter{Offset: offset, Limit: limit, Counterparty: strings.TrimSpace(q.Get("counterparty")),
		Number: strings.TrimSpace(q.Get("number"))}
	if k := q.Get("kind"); k != "" {
		if !nakamawashi.DocumentKind(k).Valid() {
			return f, invalidParam("kind")
		}
		f.Kind = nakamawashi.DocumentKind(k)
	}
	if f.CounterpartyID, err = queryID(r, "counterparty_id"); err != nil {
		return f, err
	}
	if f.From, f.To, err = queryDates(r); err != nil {
		return f, err
	}
	if f.MinAmount, f.MaxAmount, err = queryAmounts(r); err != nil {
		return f, err
	}
	switch q.Get("all_versions") {
	case "", "0", "false":
	case "1", "true":
		f.AllVersions = true
	default:
		return f, invalidParam("all_versions")
	}
	return f, nil
}

// apiDocumentList is the records search.
func (s *Server) apiDocumentList(w gohttp.ResponseWriter, r *gohttp.Request) {
	f, err := documentFilter(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ds, total, err := s.Store.FindDocuments(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	for _, d := range ds {
		d.Data = nil // the list is for finding; a record's data comes with it alone
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(ds, total, f.Offset, f.Limit))
}

// documentOptions reads the printing choices of the query: dates=wareki
// for 和暦, paper=A5.
func documentOptions(r *gohttp.Request) (document.Options, error) {
	q := r.URL.Query()
	opt := document.Options{}
	switch v := q.Get("dates"); v {
	case "", string(nakamawashi.DateSeireki):
	case string(nakamawashi.DateWareki):
		opt.Dates = nakamawashi.DateWareki
	default:
		return opt, invalidParam("dates")
	}
	switch v := strings.ToUpper(q.Get("paper")); v {
	case "", string(document.A4):
	case string(document.A5):
		opt.Paper = document.A5
	default:
		return opt, invalidParam("paper")
	}
	return opt, nil
}

// writePDF sends a PDF made for the caller: inline, never sniffed, never
// stored by shared caches.
func writePDF(w gohttp.ResponseWriter, r *gohttp.Request, name string, pdf []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", strings.Replace(attachment(name), "attachment", "inline", 1))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	gohttp.ServeContent(w, r, "", time.Time{}, bytes.NewReader(pdf))
}

// apiDocumentPDF renders an issued record as it was issued.
func (s *Server) apiDocumentPDF(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	opt, err := documentOptions(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.Store.FindDocumentByID(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	pdf, err := document.RenderIssued(d, opt)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	name := d.Number
	if d.Version > 1 {
		name += "-v" + itoa(int64(d.Version))
	}
	writePDF(w, r, name+".pdf", pdf)
}

// correctionBody is a corrected version of a record and why.
type correctionBody struct {
	Data   *nakamawashi.DocumentData `json:"data"`
	Reason string                    `json:"reason"`
}

// apiDocumentCorrect issues a corrected version of a record.
func (s *Server) apiDocumentCorrect(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	var in correctionBody
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	p := nakamawashi.Problems{}
	if in.Data == nil {
		p.Add("data", "err.required")
	}
	if strings.TrimSpace(in.Reason) == "" {
		p.Add("reason", "err.required")
	}
	if err := p.Err(); err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.Store.CorrectDocument(ctx, id, in.Data, strings.TrimSpace(in.Reason))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/documents/"+itoa(d.ID))
	s.writeJSON(w, r, gohttp.StatusCreated, d)
}

// travelerURL is the address a traveler's QR code opens: the lot's
// traveler page (the route "traveler"), with its buttons on a phone.
func (s *Server) travelerURL(r *gohttp.Request, code string) string {
	base := strings.TrimRight(s.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if s.secure(r) {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/t/" + code
}

// apiLotTraveler renders a lot's traveler (現品票), A4 or ?paper=A5.
func (s *Server) apiLotTraveler(w gohttp.ResponseWriter, r *gohttp.Request) {
	code, err := lotCode(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	opt, err := documentOptions(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	l, err := s.Store.FindLotByCode(r.Context(), code)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	pdf, err := document.TravelerOf(l, "", s.travelerURL(r, code)).Render(opt)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writePDF(w, r, l.Number+".pdf", pdf)
}
