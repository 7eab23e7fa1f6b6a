package http

import (
	"context"
	gohttp "net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// inquiryPartRows is how many part rows the new inquiry form has; rows left
// empty are ignored.
const inquiryPartRows = 3

// inquiryForm is the new inquiry form as typed.
type inquiryForm struct {
	CustomerID    string
	Title         string
	DesiredDate   string
	DeliveryPlace string
	Notes         string
	Parts         []partForm
	Customers     []*nakamawashi.Company // for a coordinator entering on a customer's behalf
}

// partForm is one part row as typed. Its inputs are named like the
// validation's fields (parts.0.name), so that errors land on them.
type partForm struct {
	Idx                                 int
	DrawingNumber, Name, Material       string
	Quantity, Shape, X, Y, Z, D, L      string
	Tolerance, Surface, Notes, DrawNote string
	Prefix                              string
}

func (f *inquiryForm) pad() {
	for len(f.Parts) < inquiryPartRows {
		f.Parts = append(f.Parts, partForm{})
	}
	for i := range f.Parts {
		f.Parts[i].Idx = i
		f.Parts[i].Prefix = "parts." + strconv.Itoa(i) + "."
	}
}

func (pf *partForm) empty() bool {
	return strings.TrimSpace(pf.DrawingNumber+pf.Name+pf.Material+pf.Quantity+pf.X+pf.Y+pf.Z+pf.D+pf.L+pf.Tolerance+pf.Surface+pf.Notes) == ""
}

// inquiryFormFrom reads the form; rows is the index of each kept part in
// the form, for naming the file inputs.
func inquiryFormFrom(v url.Values) *inquiryForm {
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	f := &inquiryForm{CustomerID: g("customer_id"), Title: g("title"), DesiredDate: g("desired_date"),
		DeliveryPlace: g("delivery_place"), Notes: v.Get("notes")}
	for i := 0; i < inquiryPartRows; i++ {
		p := "parts." + strconv.Itoa(i) + "."
		f.Parts = append(f.Parts, partForm{
			DrawingNumber: g(p + "drawing_number"), Name: g(p + "name"), Material: g(p + "material"),
			Quantity: g(p + "quantity"), Shape: g(p + "shape"), X: g(p + "x"), Y: g(p + "y"), Z: g(p + "z"),
			D: g(p + "d"), L: g(p + "l"), Tolerance: g(p + "tolerance_um"), Surface: g(p + "surface"),
			Notes: v.Get(p + "notes"), DrawNote: g(p + "drawing_note"),
		})
	}
	f.pad()
	return f
}

// inquiry turns the form into an inquiry; rows maps each part of the
// inquiry to its row in the form. Typing errors are named by the row, like
// the validation's.
func (f *inquiryForm) inquiry(a *nakamawashi.Actor) (*nakamawashi.Inquiry, []int, error) {
	n := newNumbers()
	q := &nakamawashi.Inquiry{Title: f.Title, DeliveryPlace: f.DeliveryPlace, Notes: f.Notes,
		DesiredDate: n.date("desired_date", f.DesiredDate)}
	if isCustomer(a) || f.CustomerID == "" {
		q.CustomerID = a.CompanyID
	} else if id, err := parseID(f.CustomerID); err == nil {
		q.CustomerID = id
	} else {
		n.pr.Add("customer_id", "err.required")
	}
	var rows []int
	for i := range f.Parts {
		pf := &f.Parts[i]
		if pf.empty() {
			continue
		}
		// Validation names parts by their place in the inquiry; the
		// form keeps empty rows, so problems are renamed below.
		field := pf.Prefix
		pt := &nakamawashi.Part{DrawingNumber: pf.DrawingNumber, Name: pf.Name, Material: pf.Material,
			Quantity: n.int(field+"quantity", pf.Quantity), ToleranceUM: n.float(field+"tolerance_um", pf.Tolerance),
			Surface: pf.Surface, Notes: pf.Notes}
		if pf.X+pf.Y+pf.Z+pf.D+pf.L != "" {
			shape := pf.Shape
			if shape == "" {
				shape = string(nakamawashi.ShapeBox)
			}
			pt.Size = n.envelope(field+"size", shape, pf.X, pf.Y, pf.Z, pf.D, pf.L)
			for _, sub := range []string{"_x", "_y", "_z", "_d", "_l"} {
				if m, bad := n.pr[field+"size"+sub]; bad {
					n.pr.Add(field+"size", m.Key, m.Args...)
					delete(n.pr, field+"size"+sub)
				}
			}
		}
		q.Parts = append(q.Parts, pt)
		rows = append(rows, i)
	}
	err := q.Validate()
	if e, ok := err.(*nakamawashi.Error); ok && len(e.Fields) > 0 {
		names := map[string]string{}
		for k, row := range rows {
			for _, sub := range []string{"drawing_number", "name", "material", "quantity", "size", "tolerance_um", "roughness_ra", "surface", "notes"} {
				names["parts."+strconv.Itoa(k)+"."+sub] = "parts." + strconv.Itoa(row) + "." + sub
			}
		}
		if _, ok := e.Fields["parts"]; ok {
			names["parts"] = "parts.0.name"
		}
		err = renameFields(e, names)
	}
	return q, rows, n.merge(err)
}

// inquiryListPage is the data of the inquiry list.
type inquiryListPage struct {
	Items       []*nakamawashi.Inquiry
	Total       int
	Status      string
	Coordinator bool
	CanSubmit   bool
	PrevURL     string
	NextURL     string
}

// handleInquiryList lists inquiries: a customer's own, or, for a
// coordinator, the network's, by status.
func (s *Server) handleInquiryList(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	f, err := statusFilter(r, nakamawashi.EntityInquiry)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	items, total, err := s.Store.FindInquiries(ctx, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &inquiryListPage{Items: items, Total: total, Status: f.Status, Coordinator: isCoordinator(a),
		CanSubmit: a.Can(nakamawashi.PermInquirySubmit, a.CompanyID)}
	d.PrevURL, d.NextURL = pageURLs(r, f.Offset, f.Limit, len(items), total)
	s.render(w, r, gohttp.StatusOK, "flow_inquiries", s.flowPage(w, r, "ui.flow.inquiries.title", d))
}

// statusFilter reads a flow list page's query: the page and a status of e.
func statusFilter(r *gohttp.Request, e nakamawashi.Entity) (nakamawashi.FlowFilter, error) {
	offset, limit, err := parsePage(r)
	if err != nil {
		return nakamawashi.FlowFilter{}, err
	}
	status := r.URL.Query().Get("status")
	if status != "" && !validStatus(e, status) {
		return nakamawashi.FlowFilter{}, invalidParam("status")
	}
	return nakamawashi.FlowFilter{Status: status, Offset: offset, Limit: limit}, nil
}

// validStatus reports whether s is a status of e.
func validStatus(e nakamawashi.Entity, s string) bool {
	for _, v := range nakamawashi.Statuses(e) {
		if v == s {
			return true
		}
	}
	return false
}

// pageURLs returns the links to the previous and next page of a list.
func pageURLs(r *gohttp.Request, offset, limit, n, total int) (prev, next string) {
	q := r.URL.Query()
	q.Del("ok")
	if offset > 0 {
		q.Set("offset", strconv.Itoa(max(offset-limit, 0)))
		prev = r.URL.Path + "?" + q.Encode()
	}
	if offset+n < total {
		q.Set("offset", strconv.Itoa(offset+n))
		next = r.URL.Path + "?" + q.Encode()
	}
	return prev, next
}

// handleInquiryNew shows the new inquiry form.
func (s *Server) handleInquiryNew(w gohttp.ResponseWriter, r *gohttp.Request) {
	a := nakamawashi.ActorFromContext(r.Context())
	if !a.Can(nakamawashi.PermInquirySubmit, a.CompanyID) {
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden"))
		return
	}
	f := &inquiryForm{Parts: []partForm{{Quantity: "1"}}}
	f.pad()
	s.renderInquiryForm(w, r, gohttp.StatusOK, f, nil)
}

func (s *Server) renderInquiryForm(w gohttp.ResponseWriter, r *gohttp.Request, status int, f *inquiryForm, err error) {
	ctx := r.Context()
	if isCoordinator(nakamawashi.ActorFromContext(ctx)) {
		cs, _, cerr := s.Store.FindCompanies(ctx, nakamawashi.CompanyFilter{Kind: nakamawashi.KindCustomer, Limit: nakamawashi.MaxPageSize})
		if cerr != nil {
			s.Error(w, r, cerr)
			return
		}
		f.Customers = cs
	}
	p := s.newPage(w, r, "ui.flow.inquiry_new.title")
	p.Form = f
	s.renderForm(w, r, status, "flow_inquiry_new", p, err)
}

// handleInquiryCreate records a new inquiry and the drawings sent with it.
func (s *Server) handleInquiryCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	v, err := s.flowForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := inquiryFormFrom(v)
	q, rows, err := f.inquiry(a)
	if err == nil {
		err = s.checkDrawingUploads(r, rows)
	}
	if err == nil {
		err = s.Store.CreateInquiry(ctx, q)
	}
	if err != nil {
		if !fieldErrorOnly(err) {
			s.Error(w, r, err)
			return
		}
		s.renderInquiryForm(w, r, 0, f, err)
		return
	}
	// The inquiry is recorded; drawings follow, each its own record. A
	// failure here leaves the inquiry and says which drawing to send again.
	for k, row := range rows {
		if k >= len(q.Parts) {
			break
		}
		if _, err := s.saveUploadedDrawing(ctx, r, "parts."+strconv.Itoa(row)+".drawing", q.Parts[k].ID, 0, f.Parts[row].DrawNote); err != nil {
			s.logger().Warn("inquiry drawing", "inquiry", q.ID, "err", err)
			redirectOK(w, r, "/inquiries/"+i64s(q.ID), "submitted")
			return
		}
	}
	redirectOK(w, r, "/inquiries/"+i64s(q.ID), "submitted")
}

// inquiryPage is the data of an inquiry's page: for the customer its parts
// and quotes; for a coordinator the workspace.
type inquiryPage struct {
	Inquiry     *nakamawashi.Inquiry
	Quotes      []*nakamawashi.Quote
	Order       *nakamawashi.Order
	Coordinator bool
	CanSubmit   bool
	// The workspace.
	Templates []*nakamawashi.RoutingTemplate
	Requests  map[int64][]*nakamawashi.Request // by step
	Chains    map[int64]*chainsView            // by part, when asked for
	StepRows  map[int64][]stepRow              // the routing editor's rows, by part
	Draft     *nakamawashi.Quote               // the newest draft
}

// stepRow is one row of the routing editor.
type stepRow struct {
	No           int
	Process      string
	Requirements string
}

// routingRows is how many rows the routing editor offers beyond the steps.
const routingRows = 8

// handleInquiryShow shows an inquiry.
func (s *Server) handleInquiryShow(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.showInquiry(w, r, id, gohttp.StatusOK, nil, nil)
}

// showInquiry renders an inquiry's page, with the form errors of a failed
// action if any.
func (s *Server) showInquiry(w gohttp.ResponseWriter, r *gohttp.Request, id int64, status int, form any, actionErr error) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	d, err := s.inquiryPageData(ctx, a, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.flowPage(w, r, "ui.flow.inquiry.title", d)
	p.Form = form
	s.renderForm(w, r, status, "flow_inquiry", p, actionErr)
}

func (s *Server) inquiryPageData(ctx context.Context, a *nakamawashi.Actor, id int64) (*inquiryPage, error) {
	q, err := s.Store.FindInquiryByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &inquiryPage{Inquiry: q, Coordinator: isCoordinator(a), CanSubmit: a.Can(nakamawashi.PermInquirySubmit, q.CustomerID)}
	if d.Quotes, err = s.Store.FindQuotes(ctx, id); err != nil {
		return nil, err
	}
	if q.Status == nakamawashi.InquiryOrdered {
		if d.Order, err = s.orderOfInquiry(ctx, q.ID); err != nil {
			return nil, err
		}
	}
	if !d.Coordinator {
		// The customer sees sent quotes only.
		var sent []*nakamawashi.Quote
		for _, qt := range d.Quotes {
			if qt.Status != nakamawashi.QuoteDraft {
				qt.Costing = nil
				sent = append(sent, qt)
			}
		}
		d.Quotes = sent
		return d, nil
	}
	for _, qt := range d.Quotes {
		if qt.Status == nakamawashi.QuoteDraft && (d.Draft == nil || qt.Version > d.Draft.Version) {
			d.Draft = qt
		}
	}
	if d.Templates, err = s.Store.FindRoutingTemplates(ctx); err != nil {
		return nil, err
	}
	reqs, _, err := s.Store.FindRequests(ctx, nakamawashi.RequestFilter{InquiryID: id, Limit: nakamawashi.MaxPageSize})
	if err != nil {
		return nil, err
	}
	d.Requests = map[int64][]*nakamawashi.Request{}
	for _, rq := range reqs {
		d.Requests[rq.StepID] = append(d.Requests[rq.StepID], rq)
	}
	d.StepRows = map[int64][]stepRow{}
	for _, pt := range q.Parts {
		var rows []stepRow
		for _, st := range pt.Steps {
			rows = append(rows, stepRow{Process: st.Process, Requirements: st.Requirements})
		}
		for len(rows) < max(routingRows, len(pt.Steps)+2) {
			rows = append(rows, stepRow{})
		}
		for i := range rows {
			rows[i].No = i + 1
		}
		d.StepRows[pt.ID] = rows
	}
	return d, nil
}

// orderOfInquiry finds the order an inquiry became.
func (s *Server) orderOfInquiry(ctx context.Context, inquiryID int64) (*nakamawashi.Order, error) {
	for offset := 0; ; offset += nakamawashi.MaxPageSize {
		orders, total, err := s.Store.FindOrders(ctx, nakamawashi.FlowFilter{Offset: offset, Limit: nakamawashi.MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, o := range orders {
			if o.InquiryID == inquiryID {
				return o, nil
			}
		}
		if len(orders) == 0 || offset+len(orders) >= total {
			return nil, nil
		}
	}
}

// handleInquiryCancel withdraws an inquiry.
func (s *Server) handleInquiryCancel(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v, err := s.flowForm(w, r)
	if err == nil {
		err = s.Store.CancelInquiry(r.Context(), id, v.Get("reason"))
	}
	s.afterAction(w, r, id, "/inquiries/"+i64s(id), "cancelled", err)
}

// afterAction ends a button's POST on an inquiry: back to the page with a
// notice, or the page again with the reason it was refused.
func (s *Server) afterAction(w gohttp.ResponseWriter, r *gohttp.Request, inquiryID int64, back, ok string, err error) {
	s.afterForm(w, r, back, ok, err, func(err error) {
		if inquiryID == 0 {
			s.Error(w, r, err)
			return
		}
		s.showInquiry(w, r, inquiryID, 0, nil, err)
	})
}

// handleQuoteDecide is the customer's acceptance or rejection of a quote.
func (s *Server) handleQuoteDecide(accept bool) gohttp.HandlerFunc {
	return func(w gohttp.ResponseWriter, r *gohttp.Request) {
		ctx := r.Context()
		id, err := pathID(r, "id")
		if err != nil {
			s.Error(w, r, err)
			return
		}
		qt, err := s.Store.FindQuoteByID(ctx, id)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		v, err := s.flowForm(w, r)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if accept {
			o, err := s.Store.AcceptQuote(ctx, id, v.Get("note"))
			if err != nil {
				s.afterAction(w, r, qt.InquiryID, "", "", err)
				return
			}
			redirectOK(w, r, "/orders/"+i64s(o.ID), "accepted")
			return
		}
		err = s.Store.RejectQuote(ctx, id, v.Get("note"))
		s.afterAction(w, r, qt.InquiryID, "/inquiries/"+i64s(qt.InquiryID), "rejected", err)
	}
}
