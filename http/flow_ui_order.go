package http

import (
	gohttp "net/http"
	"strconv"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// Orders (受注), their lots, deliveries with the customer's 検収, invoices
// and the payables to the shops.

// orderListPage is the data of the order list.
type orderListPage struct {
	Items       []*orderRow
	Total       int
	Status      string
	AtRisk      bool // only the orders at risk
	Coordinator bool
	PrevURL     string
	NextURL     string
}

// orderRow is an order with its lots' summary: where they are, what is late.
type orderRow struct {
	*nakamawashi.Order
	Late int
}

// handleOrderList lists orders: a customer's own; every order for the
// network office, with where each lot is and what is late.
func (s *Server) handleOrderList(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	f, err := statusFilter(r, nakamawashi.EntityOrder)
	if err == nil {
		f.AtRisk, err = queryAtRisk(r)
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	orders, total, err := s.Store.FindOrders(ctx, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &orderListPage{Total: total, Status: f.Status, AtRisk: f.AtRisk, Coordinator: isCoordinator(a)}
	for _, o := range orders {
		row := &orderRow{Order: o}
		if d.Coordinator && len(o.Lots) == 0 {
			if full, err := s.Store.FindOrderByID(ctx, o.ID); err == nil {
				row.Order = full
			}
		}
		for _, l := range row.Lots {
			if l.Late {
				row.Late++
			}
		}
		d.Items = append(d.Items, row)
	}
	d.PrevURL, d.NextURL = pageURLs(r, f.Offset, f.Limit, len(orders), total)
	s.render(w, r, gohttp.StatusOK, "flow_orders", s.flowPage(w, r, "ui.flow.orders.title", d))
}

// orderPage is the data of an order's page.
type orderPage struct {
	Order       *nakamawashi.Order
	Deliveries  []*nakamawashi.Delivery
	Invoices    []*nakamawashi.Invoice
	Coordinator bool
	Customer    bool
	Completed   []*nakamawashi.Lot // lots ready to deliver
	Today       string
}

// handleOrderShow shows an order: its lots' progress, deliveries with the
// 検収 form, invoices.
func (s *Server) handleOrderShow(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.showOrder(w, r, id, gohttp.StatusOK, nil)
}

func (s *Server) showOrder(w gohttp.ResponseWriter, r *gohttp.Request, id int64, status int, formErr error) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	o, err := s.Store.FindOrderByID(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &orderPage{Order: o, Coordinator: isCoordinator(a), Customer: a.CompanyID == o.CustomerID,
		Today: nakamawashi.DateOf(time.Now()).String()}
	if d.Deliveries, err = s.Store.FindDeliveries(ctx, id); err != nil {
		s.Error(w, r, err)
		return
	}
	invs, _, err := s.Store.FindInvoices(ctx, nakamawashi.FlowFilter{CompanyID: o.CustomerID, Limit: nakamawashi.MaxPageSize})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	for _, inv := range invs {
		for _, oid := range inv.OrderIDs {
			if oid == id {
				d.Invoices = append(d.Invoices, inv)
				break
			}
		}
	}
	for _, l := range o.Lots {
		if l.Status == nakamawashi.LotCompleted {
			d.Completed = append(d.Completed, l)
		}
	}
	s.renderForm(w, r, status, "flow_order", s.flowPage(w, r, "ui.flow.order.title", d), formErr)
}

// handleDeliveryCreate ships the chosen completed lots of an order.
func (s *Server) handleDeliveryCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	id, v, err := s.idForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	lots, err := ids(v["lot_ids"])
	if err != nil {
		s.Error(w, r, err)
		return
	}
	n := newNumbers()
	date := n.date("date", v.Get("date"))
	if date.IsZero() {
		date = nakamawashi.DateOf(time.Now())
	}
	if len(lots) == 0 {
		n.pr.Add("lot_ids", "err.required")
	}
	err = n.pr.Err()
	if err == nil {
		_, err = s.Store.CreateDelivery(ctx, id, lots, date, v.Get("notes"))
	}
	s.afterOrderAction(w, r, id, "delivered", err)
}

// afterOrderAction ends a button's POST on an order, as afterAction does
// on an inquiry.
func (s *Server) afterOrderAction(w gohttp.ResponseWriter, r *gohttp.Request, orderID int64, ok string, err error) {
	s.afterForm(w, r, "/orders/"+i64s(orderID), ok, err, func(err error) { s.showOrder(w, r, orderID, 0, err) })
}

// handleDeliveryAccept records the customer's 検収: accepted and rejected
// pieces per lot.
func (s *Server) handleDeliveryAccept(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	dl, err := s.Store.FindDeliveryByID(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v, err := s.flowForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	n := newNumbers()
	acc := &nakamawashi.Acceptance{Note: v.Get("note")}
	for _, ln := range dl.Lines {
		k := strconv.FormatInt(ln.LotID, 10)
		al := nakamawashi.AcceptanceLine{LotID: ln.LotID,
			Accepted: n.int("accepted_"+k, v.Get("accepted_"+k)), Rejected: n.int("rejected_"+k, v.Get("rejected_"+k))}
		if al.Accepted < 0 || al.Rejected < 0 || al.Accepted+al.Rejected != ln.Quantity {
			n.pr.Add("accepted_"+k, "err.flow.counts_sum", ln.Quantity)
		}
		acc.Lines = append(acc.Lines, al)
	}
	err = n.pr.Err()
	if err == nil {
		_, err = s.Store.AcceptDelivery(ctx, id, acc)
	}
	s.afterOrderAction(w, r, dl.OrderID, "delivery_accepted", err)
}

// invoiceListPage is the data of the invoice list.
type invoiceListPage struct {
	Items       []*nakamawashi.Invoice
	Total       int
	Coordinator bool
	Customers   []*nakamawashi.Company
	Ready       []*nakamawashi.Order // accepted orders not invoiced yet
	From, To    string
	Today       string // the default day of a payment
	PrevURL     string
	NextURL     string
}

// handleInvoiceList lists invoices; the network office issues them here,
// per order or for a customer's month.
func (s *Server) handleInvoiceList(w gohttp.ResponseWriter, r *gohttp.Request) {
	s.showInvoices(w, r, gohttp.StatusOK, nil)
}

func (s *Server) showInvoices(w gohttp.ResponseWriter, r *gohttp.Request, status int, formErr error) {
	ctx := r.Context()
	a := nakamawashi.ActorFromContext(ctx)
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	items, total, err := s.Store.FindInvoices(ctx, nakamawashi.FlowFilter{Offset: offset, Limit: limit})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	today := nakamawashi.DateOf(time.Now())
	first := nakamawashi.MakeDate(today.Time().Year(), today.Time().Month(), 1)
	d := &invoiceListPage{Items: items, Total: total, Coordinator: isCoordinator(a),
		From: first.String(), To: first.EndOfMonth().String(), Today: today.String()}
	if d.Coordinator {
		if d.Customers, _, err = s.Store.FindCompanies(ctx, nakamawashi.CompanyFilter{Kind: nakamawashi.KindCustomer, Limit: nakamawashi.MaxPageSize}); err != nil {
			s.Error(w, r, err)
			return
		}
		if d.Ready, _, err = s.Store.FindOrders(ctx, nakamawashi.FlowFilter{Status: string(nakamawashi.OrderAccepted), Limit: nakamawashi.MaxPageSize}); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	d.PrevURL, d.NextURL = pageURLs(r, offset, limit, len(items), total)
	s.renderForm(w, r, status, "flow_invoices", s.flowPage(w, r, "ui.flow.invoices.title", d), formErr)
}

// handleInvoiceCreate issues an invoice for an order or for a period.
func (s *Server) handleInvoiceCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	v, err := s.flowForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	n := newNumbers()
	in := &nakamawashi.CreateInvoice{}
	if oid := v.Get("order_id"); oid != "" {
		id, err := parseID(oid)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		o, err := s.Store.FindOrderByID(ctx, id)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		in.CustomerID, in.OrderIDs = o.CustomerID, []int64{id}
	} else {
		if cid, err := parseID(v.Get("customer_id")); err == nil {
			in.CustomerID = cid
		}
		in.PeriodFrom, in.PeriodTo = n.date("period_from", v.Get("period_from")), n.date("period_to", v.Get("period_to"))
	}
	err = n.merge(in.Validate())
	if err == nil {
		var inv *nakamawashi.Invoice
		if inv, err = s.Store.CreateInvoice(ctx, in); err == nil {
			if len(in.OrderIDs) == 1 && v.Get("back") == "order" {
				redirectOK(w, r, "/orders/"+i64s(in.OrderIDs[0]), "invoiced")
				return
			}
			redirectOK(w, r, "/invoices#invoice-"+i64s(inv.ID), "invoiced")
			return
		}
	}
	if !fieldErrorOnly(err) {
		s.Error(w, r, err)
		return
	}
	s.showInvoices(w, r, 0, err)
}

// handleInvoicePayment records a customer's payment of an invoice
// (入金消込) on the day the office enters.
func (s *Server) handleInvoicePayment(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v, err := s.flowForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	n := newNumbers()
	date := n.date("date", v.Get("date"))
	err = n.merge(nil)
	if err == nil {
		_, err = s.Store.RecordPayment(r.Context(), id, date, v.Get("note"))
	}
	s.afterForm(w, r, "/invoices#invoice-"+i64s(id), "paid", err, func(err error) { s.showInvoices(w, r, 0, err) })
}

// payablesPage is the data of the payables page.
type payablesPage struct {
	Items    []*nakamawashi.Payable
	From, To string
	Total    int64
}

// handlePayables lists what the office owes its shops, by payment date.
func (s *Server) handlePayables(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	n := newNumbers()
	f := nakamawashi.PayableFilter{From: n.date("from", q.Get("from")), To: n.date("to", q.Get("to"))}
	if err := n.pr.Err(); err != nil {
		s.Error(w, r, err)
		return
	}
	items, err := s.Store.FindPayables(ctx, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &payablesPage{Items: items, From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	for _, it := range items {
		d.Total += it.Amount + it.Tax
	}
	p := s.newPage(w, r, "ui.flow.payables.title")
	p.Data = d
	s.render(w, r, gohttp.StatusOK, "flow_payables", p)
}
