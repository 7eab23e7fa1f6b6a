package http

import (
	gohttp "net/http"

	"github.com/nakamawashi/nakamawashi"
)

// Orders, work orders, lots and their scans, deliveries, invoices,
// payables and notifications.

// apiWorkOrderList lists work orders: a shop its own, the office all.
func (s *Server) apiWorkOrderList(w gohttp.ResponseWriter, r *gohttp.Request) {
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := nakamawashi.WorkOrderFilter{Offset: offset, Limit: limit}
	if f.OrderID, err = queryID(r, "order_id"); err != nil {
		s.Error(w, r, err)
		return
	}
	if f.CompanyID, err = queryID(r, "company_id"); err != nil {
		s.Error(w, r, err)
		return
	}
	if f.Status, err = queryStatuses[nakamawashi.WorkOrderStatus](r, nakamawashi.EntityWorkOrder); err != nil {
		s.Error(w, r, err)
		return
	}
	wos, total, err := s.Store.FindWorkOrders(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(wos, total, offset, limit))
}

// lotCode reads a traveler's code from the path: short, printable ASCII;
// anything else names no lot.
func lotCode(r *gohttp.Request) (string, error) {
	c := r.PathValue("code")
	if c == "" || len(c) > 64 {
		return "", nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.not_found")
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		if !(b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '-' || b == '_') {
			return "", nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.not_found")
		}
	}
	return c, nil
}

// apiLotGet returns the lot a traveler names, with its steps and events.
func (s *Server) apiLotGet(w gohttp.ResponseWriter, r *gohttp.Request) {
	code, err := lotCode(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	l, err := s.Store.FindLotByCode(r.Context(), code)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, l)
}

// apiLotScan applies a button of the traveler page.
func (s *Server) apiLotScan(w gohttp.ResponseWriter, r *gohttp.Request) {
	code, err := lotCode(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	if _, _, err := nakamawashi.Scope(ctx, nakamawashi.PermShopWork); err != nil {
		s.Error(w, r, err)
		return
	}
	var in nakamawashi.LotScan
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	if !in.Action.Valid() {
		s.Error(w, r, fieldError("action", "err.flow.action"))
		return
	}
	l, err := s.Store.ScanLot(ctx, code, &in)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, l)
}

// deliveryBody ships completed lots of an order.
type deliveryBody struct {
	LotIDs []int64          `json:"lot_ids"`
	Date   nakamawashi.Date `json:"date,omitzero"` // zero: today
	Notes  string           `json:"notes,omitempty"`
}

// apiDeliveryCreate ships lots and issues the 納品書.
func (s *Server) apiDeliveryCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
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
	var in deliveryBody
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	if len(in.LotIDs) == 0 {
		s.Error(w, r, fieldError("lot_ids", "err.flowapi.lots_required"))
		return
	}
	d, err := s.Store.CreateDelivery(ctx, id, in.LotIDs, in.Date, in.Notes)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/deliveries/"+itoa(d.ID))
	s.writeJSON(w, r, gohttp.StatusCreated, d)
}

// apiDeliveryAccept records the customer's 検収.
func (s *Server) apiDeliveryAccept(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var in nakamawashi.Acceptance
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.Store.AcceptDelivery(r.Context(), id, &in)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, d)
}

// apiInvoiceCreate issues a qualified invoice for orders or a period.
func (s *Server) apiInvoiceCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	var in nakamawashi.CreateInvoice
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	inv, err := s.Store.CreateInvoice(ctx, &in)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/invoices/"+itoa(inv.ID))
	s.writeJSON(w, r, gohttp.StatusCreated, inv)
}

// apiPayableList lists what the office owes the shops, by payment date.
func (s *Server) apiPayableList(w gohttp.ResponseWriter, r *gohttp.Request) {
	f := nakamawashi.PayableFilter{}
	var err error
	if f.CompanyID, err = queryID(r, "company_id"); err != nil {
		s.Error(w, r, err)
		return
	}
	if f.From, f.To, err = queryDates(r); err != nil {
		s.Error(w, r, err)
		return
	}
	ps, err := s.Store.FindPayables(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(ps, len(ps), 0, len(ps)))
}

// paymentBody is a customer's payment of an invoice (入金消込).
type paymentBody struct {
	Date nakamawashi.Date `json:"date"` // 入金日, not in the future nor before the invoice
	Note string           `json:"note,omitempty"`
}

// apiInvoicePayment records that the customer paid an invoice.
func (s *Server) apiInvoicePayment(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var in paymentBody
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	inv, err := s.Store.RecordPayment(r.Context(), id, in.Date, in.Note)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, inv)
}

// paymentTermsBody is a company's closing and payment days, with their
// Japanese label on reads.
type paymentTermsBody struct {
	nakamawashi.PaymentTerms
	Label string `json:"label"`
}

// apiPaymentTermsGet returns a customer's closing and payment days.
func (s *Server) apiPaymentTermsGet(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	t, err := s.Store.PaymentTermsOf(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, paymentTermsBody{PaymentTerms: t, Label: t.Label()})
}

// apiPaymentTermsSet sets a customer's closing and payment days.
func (s *Server) apiPaymentTermsSet(w gohttp.ResponseWriter, r *gohttp.Request) {
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
	var t nakamawashi.PaymentTerms
	if err := s.decodeJSON(w, r, &t); err != nil {
		s.Error(w, r, err)
		return
	}
	p := nakamawashi.Problems{}
	if t.CloseDay < 0 || t.CloseDay > 28 {
		p.Add("close_day", "err.range", 0, 28)
	}
	if t.PayDay < 0 || t.PayDay > 28 {
		p.Add("pay_day", "err.range", 0, 28)
	}
	if t.MonthsLater < 0 || t.MonthsLater > 3 {
		p.Add("months_later", "err.range", 0, 3)
	}
	if err := p.Err(); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.SetPaymentTerms(ctx, id, t); err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, paymentTermsBody{PaymentTerms: t, Label: t.Label()})
}

// apiNotificationList returns the caller's company's notifications.
func (s *Server) apiNotificationList(w gohttp.ResponseWriter, r *gohttp.Request) {
	_, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	unread := false
	switch r.URL.Query().Get("unread") {
	case "", "0", "false":
	case "1", "true":
		unread = true
	default:
		s.Error(w, r, invalidParam("unread"))
		return
	}
	ns, err := s.Store.FindNotifications(r.Context(), unread, limit)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, gohttp.StatusOK, newList(ns, len(ns), 0, limit))
}

// readBody marks notifications read.
type readBody struct {
	IDs []int64 `json:"ids"`
}

// apiNotificationRead marks notifications read.
func (s *Server) apiNotificationRead(w gohttp.ResponseWriter, r *gohttp.Request) {
	var in readBody
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	if len(in.IDs) == 0 || len(in.IDs) > nakamawashi.MaxPageSize {
		s.Error(w, r, fieldError("ids", "err.range", 1, nakamawashi.MaxPageSize))
		return
	}
	if err := s.Store.MarkNotificationsRead(r.Context(), in.IDs); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(gohttp.StatusNoContent)
}
