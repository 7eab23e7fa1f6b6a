package http

import (
	gohttp "net/http"
	"net/url"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// 帳票: the records search over the issued documents (電子帳簿保存法: kind,
// date range, amount range and counterparty, combined), the export links
// and corrections, which make a new version with the reason.

// recordsForm is the search form as typed.
type recordsForm struct {
	Kind, From, To, Min, Max, Counterparty, Number string
	All                                            bool
}

// recordsPage is the data of the records page.
type recordsPage struct {
	Items      []*nakamawashi.IssuedDocument
	Total      int
	Query      string // the search as a query string, for the export links
	CanCorrect bool
	PrevURL    string
	NextURL    string
}

// handleRecords searches the issued documents.
func (s *Server) handleRecords(w gohttp.ResponseWriter, r *gohttp.Request) {
	s.showRecords(w, r, gohttp.StatusOK, nil)
}

func (s *Server) showRecords(w gohttp.ResponseWriter, r *gohttp.Request, status int, formErr error) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	q := r.URL.Query()
	g := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := &recordsForm{Kind: g("kind"), From: g("from"), To: g("to"), Min: g("min_amount"), Max: g("max_amount"),
		Counterparty: g("counterparty"), Number: g("number"), All: q.Get("all_versions") == "1"}
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	n := newNumbers()
	df := nakamawashi.DocumentFilter{Kind: nakamawashi.DocumentKind(f.Kind), From: n.date("from", f.From), To: n.date("to", f.To),
		Counterparty: f.Counterparty, Number: f.Number, AllVersions: f.All, Offset: offset, Limit: limit}
	if f.Kind != "" && !df.Kind.Valid() {
		n.pr.Add("kind", "err.http.param", "kind")
	}
	if f.Min != "" {
		v := n.int64("min_amount", f.Min)
		df.MinAmount = &v
	}
	if f.Max != "" {
		v := n.int64("max_amount", f.Max)
		df.MaxAmount = &v
	}
	d := &recordsPage{CanCorrect: isCoordinator(a)}
	p := s.flowPage(w, r, "ui.flow.records.title", d)
	p.Form = f
	if err := n.pr.Err(); err != nil {
		s.renderForm(w, r, 0, "flow_records", p, err)
		return
	}
	if d.Items, d.Total, err = s.Store.FindDocuments(ctx, df); err != nil {
		if fieldErrorOnly(err) {
			s.renderForm(w, r, 0, "flow_records", p, err)
			return
		}
		s.Error(w, r, err)
		return
	}
	eq := url.Values{}
	for k, v := range map[string]string{"kind": f.Kind, "from": f.From, "to": f.To, "min_amount": f.Min, "max_amount": f.Max, "counterparty": f.Counterparty, "number": f.Number} {
		if v != "" {
			eq.Set(k, v)
		}
	}
	d.Query = eq.Encode()
	d.PrevURL, d.NextURL = pageURLs(r, offset, limit, len(d.Items), d.Total)
	s.renderForm(w, r, status, "flow_records", p, formErr)
}

// handleRecordCorrect issues a corrected version of a document: its notes
// changed, with the reason; the earlier version stays as issued.
func (s *Server) handleRecordCorrect(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	id, v, err := s.idForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	doc, err := s.Store.FindDocumentByID(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	reason := strings.TrimSpace(v.Get("reason"))
	if reason == "" {
		s.showRecords(w, r, 0, fieldError("reason_"+i64s(id), "err.required"))
		return
	}
	data := &nakamawashi.DocumentData{}
	if doc.Data != nil {
		*data = *doc.Data
	}
	data.Notes = v.Get("notes")
	_, err = s.Store.CorrectDocument(ctx, id, data, reason)
	s.afterForm(w, r, "/records?number="+url.QueryEscape(doc.Number)+"&all_versions=1", "corrected", err,
		func(err error) { s.showRecords(w, r, 0, err) })
}

// handleQuoteDraft drafts a quote for an inquiry with the shared draft
// helper: the chosen answers (or the best chain's estimates), transport,
// the network's commission and usage fee.
func (s *Server) handleQuoteDraft(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, v, err := s.idForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	in := draftInput{Notes: v.Get("notes")}
	n := newNumbers()
	in.ValidDays = n.int("valid_days", v.Get("valid_days"))
	err = n.pr.Err()
	if err == nil {
		_, err = s.draftQuote(r.Context(), id, in)
	}
	s.afterAction(w, r, id, "/inquiries/"+i64s(id)+"#quotes", "drafted", err)
}

// handlePDF sends the browser to the PDF of a record's issued document:
// the record is read first (so the store decides who may see it), then
// its document found by kind and number.
func (s *Server) handlePDF(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var kind nakamawashi.DocumentKind
	var number string
	switch r.PathValue("kind") {
	case "quote":
		var q *nakamawashi.Quote
		if q, err = s.Store.FindQuoteByID(ctx, id); err == nil {
			kind, number = nakamawashi.DocQuote, q.Number
		}
	case "order":
		var o *nakamawashi.Order
		if o, err = s.Store.FindOrderByID(ctx, id); err == nil {
			kind, number = nakamawashi.DocOrderAck, o.Number
		}
	case "work_order":
		var wo *nakamawashi.WorkOrder
		if wo, err = s.Store.FindWorkOrderByID(ctx, id); err == nil {
			kind, number = nakamawashi.DocPurchaseOrder, wo.Number
		}
	case "delivery":
		var d *nakamawashi.Delivery
		if d, err = s.Store.FindDeliveryByID(ctx, id); err == nil {
			kind, number = nakamawashi.DocDeliveryNote, d.Number
		}
	case "invoice":
		var inv *nakamawashi.Invoice
		if inv, err = s.Store.FindInvoiceByID(ctx, id); err == nil {
			kind, number = nakamawashi.DocInvoice, inv.Number
		}
	default:
		err = nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.not_found")
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	docs, _, err := s.Store.FindDocuments(ctx, nakamawashi.DocumentFilter{Kind: kind, Number: number, Limit: 10})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	for _, d := range docs {
		if d.Number == number && !d.Superseded {
			gohttp.Redirect(w, r, pdfURL("document", d.ID), gohttp.StatusSeeOther)
			return
		}
	}
	s.Error(w, r, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.not_found"))
}
