package http

import (
	"context"
	gohttp "net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// The order flow's JSON API, first part: inquiries, routings and the
// chains suggested for them. Every handler checks what it can cheaply
// (the route's permission) before reading a body; the store decides from
// the records themselves what the caller may see and do.

// decodeOptionalJSON reads a JSON body when there is one: actions such as
// cancel or send take an optional reason or note.
func (s *Server) decodeOptionalJSON(w gohttp.ResponseWriter, r *gohttp.Request, dst any) error {
	if r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return nil
	}
	return s.decodeJSON(w, r, dst)
}

// reasonBody is the optional body of cancel, reject and accept actions.
type reasonBody struct {
	Reason string `json:"reason,omitempty"`
	Note   string `json:"note,omitempty"`
}

func (b reasonBody) text() string { return strings.TrimSpace(b.Reason + b.Note) }

// byID answers a route on …/{id} with what one store method returns for
// the id, as JSON: a record's GET, or an action that returns the record.
func byID[T any](s *Server, call func(nakamawashi.Store, context.Context, int64) (T, error)) gohttp.HandlerFunc {
	return func(w gohttp.ResponseWriter, r *gohttp.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.Error(w, r, err)
			return
		}
		v, err := call(s.Store, r.Context(), id)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		s.writeJSON(w, r, gohttp.StatusOK, v)
	}
}

// listFlow answers a list of the order flow filtered by flowFilter with a
// page of what find returns.
func listFlow[T any](s *Server, find func(nakamawashi.Store, context.Context, nakamawashi.FlowFilter) ([]T, int, error)) gohttp.HandlerFunc {
	return func(w gohttp.ResponseWriter, r *gohttp.Request) {
		f, err := flowFilter(r)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		items, total, err := find(s.Store, r.Context(), f)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		s.writeJSON(w, r, gohttp.StatusOK, newList(items, total, f.Offset, f.Limit))
	}
}

// reasonAction answers POST …/{id}/cancel or …/reject: act on the id with
// the optional reason of the body, then the record as find returns it
// afterwards. perm, if set, is checked before the body is read.
func reasonAction[T any](s *Server, perm nakamawashi.Permission,
	act func(nakamawashi.Store, context.Context, int64, string) error,
	find func(nakamawashi.Store, context.Context, int64) (T, error)) gohttp.HandlerFunc {
	return func(w gohttp.ResponseWriter, r *gohttp.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.Error(w, r, err)
			return
		}
		ctx := r.Context()
		if perm != "" {
			if err := nakamawashi.Authorize(ctx, perm, 0); err != nil {
				s.Error(w, r, err)
				return
			}
		}
		var in reasonBody
		if err := s.decodeOptionalJSON(w, r, &in); err != nil {
			s.Error(w, r, err)
			return
		}
		if err := act(s.Store, ctx, id, in.text()); err != nil {
			s.Error(w, r, err)
			return
		}
		v, err := find(s.Store, ctx, id)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		s.writeJSON(w, r, gohttp.StatusOK, v)
	}
}

// fieldError is an EINVALID error naming one field.
func fieldError(field, key string, args ...any) error {
	return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
		Fields: map[string]nakamawashi.Message{field: nakamawashi.Msg(key, args...)}}
}

// flowFilter reads the filters of the order flow's lists: counterparty
// (company_id or part of a name), a date range, an amount range, a status
// and the page.
func flowFilter(r *gohttp.Request) (nakamawashi.FlowFilter, error) {
	offset, limit, err := parsePage(r)
	if err != nil {
		return nakamawashi.FlowFilter{}, err
	}
	q := r.URL.Query()
	f := nakamawashi.FlowFilter{Offset: offset, Limit: limit, Counterparty: strings.TrimSpace(q.Get("counterparty")),
		Status: strings.TrimSpace(q.Get("status"))}
	if f.CompanyID, err = queryID(r, "company_id"); err != nil {
		return f, err
	}
	if f.From, f.To, err = queryDates(r); err != nil {
		return f, err
	}
	if f.MinAmount, f.MaxAmount, err = queryAmounts(r); err != nil {
		return f, err
	}
	return f, nil
}

// queryID reads an optional id from the query (0 when absent).
func queryID(r *gohttp.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := parseID(v)
	if err != nil {
		return 0, invalidParam(name)
	}
	return id, nil
}

// queryDates reads from and to (2006-01-02) from the query.
func queryDates(r *gohttp.Request) (from, to nakamawashi.Date, err error) {
	q := r.URL.Query()
	if from, err = nakamawashi.ParseDate(q.Get("from")); err != nil {
		return from, to, fieldError("from", "err.date")
	}
	if to, err = nakamawashi.ParseDate(q.Get("to")); err != nil {
		return from, to, fieldError("to", "err.date")
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return from, to, fieldError("to", "err.doc.period")
	}
	return from, to, nil
}

// queryAmounts reads min_amount and max_amount (yen) from the query.
func queryAmounts(r *gohttp.Request) (lo, hi *int64, err error) {
	q := r.URL.Query()
	for _, p := range []struct {
		name string
		dst  **int64
	}{{"min_amount", &lo}, {"max_amount", &hi}} {
		v := strings.TrimSpace(nakamawashi.NormalizeWidth(q.Get(p.name)))
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(v, ",", ""), 10, 64)
		if err != nil || n < 0 || n > nakamawashi.MaxAmount {
			return nil, nil, fieldError(p.name, "err.range", 0, int64(nakamawashi.MaxAmount))
		}
		*p.dst = &n
	}
	if lo != nil && hi != nil && *hi < *lo {
		return nil, nil, fieldError("max_amount", "err.flowapi.amount_range")
	}
	return lo, hi, nil
}

// inquiryCreate is what a customer (or a coordinator on its behalf) sends.
type inquiryCreate struct {
	CustomerID    int64            `json:"customer_id,omitempty"` // 0: the caller's company
	Title         string           `json:"title"`
	DesiredDate   nakamawashi.Date `json:"desired_date"`
	DeliveryPlace string           `json:"delivery_place"`
	Notes         string           `json:"notes,omitempty"`
	Parts         []partCreate     `json:"parts"`
}

// partCreate is one part of a new inquiry.
type partCreate struct {
	DrawingNumber string               `json:"drawing_number,omitempty"`
	Name          string               `json:"name"`
	Material      string               `json:"material,omitempty"`
	Quantity      int                  `json:"quantity"`
	Size          nakamawashi.Envelope `json:"size,omitzero"`
	ToleranceUM   float64              `json:"tolerance_um,omitempty"`
	RoughnessRa   float64              `json:"roughness_ra,omitempty"`
	Surface       string               `json:"surface,omitempty"`
	Notes         string               `json:"notes,omitempty"`
}

// apiInquiryCreate records an inquiry.
func (s *Server) apiInquiryCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	if _, _, err := nakamawashi.Scope(ctx, nakamawashi.PermInquirySubmit); err != nil {
		s.Error(w, r, err)
		return
	}
	var in inquiryCreate
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	q := &nakamawashi.Inquiry{CustomerID: in.CustomerID, Title: in.Title, DesiredDate: in.DesiredDate,
		DeliveryPlace: in.DeliveryPlace, Notes: in.Notes}
	if q.CustomerID == 0 {
		q.CustomerID = nakamawashi.ActorFromContext(ctx).CompanyID
	}
	for _, p := range in.Parts {
		q.Parts = append(q.Parts, &nakamawashi.Part{DrawingNumber: p.DrawingNumber, Name: p.Name, Material: p.Material,
			Quantity: p.Quantity, Size: p.Size, ToleranceUM: p.ToleranceUM, RoughnessRa: p.RoughnessRa, Surface: p.Surface, Notes: p.Notes})
	}
	if err := s.Store.CreateInquiry(ctx, q); err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/inquiries/"+itoa(q.ID))
	s.writeJSON(w, r, gohttp.StatusCreated, q)
}

// routingBody replaces a part's routing: steps, or a template's steps.
type routingBody struct {
	Steps      []nakamawashi.StepInput `json:"steps,omitempty"`
	TemplateID int64                   `json:"template_id,omitempty"`
}

// apiRoutingSet replaces the steps of a part.
func (s *Server) apiRoutingSet(w gohttp.ResponseWriter, r *gohttp.Request) {
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
	var in routingBody
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	steps, err := s.routingSteps(ctx, in)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out, err := s.Store.SetRouting(ctx, id, steps)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(out, len(out), 0, len(out)))
}

// routingSteps returns the steps of a routing body: its own, or its
// template's.
func (s *Server) routingSteps(ctx context.Context, in routingBody) ([]nakamawashi.StepInput, error) {
	switch {
	case in.TemplateID != 0 && len(in.Steps) > 0:
		return nil, fieldError("template_id", "err.flowapi.steps_or_template")
	case in.TemplateID == 0:
		if len(in.Steps) == 0 {
			return nil, fieldError("steps", "err.flow.steps_required")
		}
		return in.Steps, nil
	}
	ts, err := s.Store.FindRoutingTemplates(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.ID == in.TemplateID {
			return append([]nakamawashi.StepInput(nil), t.Steps...), nil
		}
	}
	return nil, fieldError("template_id", "err.flowapi.template")
}

// apiTemplateList lists the routing templates.
func (s *Server) apiTemplateList(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	ts, err := s.Store.FindRoutingTemplates(ctx)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(ts, len(ts), 0, len(ts)))
}

// templateCreate is a new routing template.
type templateCreate struct {
	Name  string                  `json:"name"`
	Steps []nakamawashi.StepInput `json:"steps"`
}

// apiTemplateCreate stores a routing template.
func (s *Server) apiTemplateCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	var in templateCreate
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	t := &nakamawashi.RoutingTemplate{Name: in.Name, Steps: in.Steps}
	if err := s.Store.CreateRoutingTemplate(ctx, t); err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusCreated, t)
}

// apiPartChains suggests partner chains for a part's routing.
func (s *Server) apiPartChains(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	inquiryID, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	partID, err := pathID(r, "pid")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	k := 5
	if v := r.URL.Query().Get("k"); v != "" {
		if k, err = strconv.Atoi(v); err != nil || k < 1 || k > 20 {
			s.Error(w, r, fieldError("k", "err.range", 1, 20))
			return
		}
	}
	q, err := s.Store.FindInquiryByID(ctx, inquiryID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	part := findPart(q, partID)
	if part == nil {
		s.Error(w, r, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.not_found"))
		return
	}
	rt, err := s.partRouting(ctx, q, part)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	res, err := s.runMatch(ctx, rt, k)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, res)
}

// findPart returns the part of q with the id, or nil.
func findPart(q *nakamawashi.Inquiry, id int64) *nakamawashi.Part {
	for _, p := range q.Parts {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// queryStatuses reads the comma-separated status filter of a list of
// entity e; a status e does not have is a 400.
func queryStatuses[S ~string](r *gohttp.Request, e nakamawashi.Entity) ([]S, error) {
	v := r.URL.Query().Get("status")
	if v == "" {
		return nil, nil
	}
	var out []S
	for _, st := range strings.Split(v, ",") {
		if !slices.Contains(nakamawashi.Statuses(e), st) {
			return nil, invalidParam("status")
		}
		out = append(out, S(st))
	}
	return out, nil
}
