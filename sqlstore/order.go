package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
)

// The customer's order: its acceptance of a quote makes the order and its
// 注文請書, the work orders with their 注文書, and the lots, in one
// transaction; lists and reads show the customer its own orders without
// the shops, and the office everything.

// view is how the actor sees a record of the order flow.
type view int

const (
	viewNone     view = iota
	viewOffice        // the network office: coordinators, admins, the system
	viewCustomer      // the people of the customer the record belongs to
	viewShop          // the people of a shop with a work order on it
)

// orderView returns how a sees the records of an order of customerID.
func orderView(a *nakamawashi.Actor, customerID int64) view {
	switch {
	case a == nil:
		return viewNone
	case a.CanNetwork(nakamawashi.PermCoordinate):
		return viewOffice
	case a.Can(nakamawashi.PermInquiryRead, customerID):
		return viewCustomer
	}
	return viewNone
}

// actorOf returns the actor in ctx, or EUNAUTHORIZED.
func actorOf(ctx context.Context) (*nakamawashi.Actor, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	return a, nil
}

// checkNote returns EINVALID on field unless s is text of at most max
// characters (line breaks allowed).
func checkNote(field, s string, max int) error {
	ok := utf8.ValidString(s) && utf8.RuneCountInString(s) <= max
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			ok = false
		}
	}
	if ok {
		return nil
	}
	p := nakamawashi.Problems{}
	p.Add(field, "err.text_max", max)
	return p.Err()
}

// processName returns the Japanese name of a process code.
func processName(code string) string {
	if p, ok := nakamawashi.ProcessByCode(code); ok {
		return p.JA
	}
	return code
}

const orderColumns = `o.id, o.number, o.inquiry_id, o.quote_id, o.customer_id, c.name, o.office_id, o.subject,
	o.order_date, o.due_date, o.delivery_place, o.subtotal, o.tax, o.total, o.status, o.created_at`

const orderFrom = `FROM orders o JOIN companies c ON c.id = o.customer_id`

func scanOrder(sc scanner) (*nakamawashi.Order, error) {
	var o nakamawashi.Order
	err := sc.Scan(&o.ID, &o.Number, &o.InquiryID, &o.QuoteID, &o.CustomerID, &o.CustomerName, &o.OfficeID, &o.Subject,
		dateScan{&o.OrderDate}, dateScan{&o.DueDate}, &o.DeliveryPlace, &o.Subtotal, &o.Tax, &o.Total, &o.Status,
		timeScan{&o.CreatedAt})
	return &o, err
}

// findOrder reads order id for a caller who may see it, or ENOTFOUND.
func (tx *Tx) findOrder(ctx context.Context, a *nakamawashi.Actor, id int64) (*nakamawashi.Order, view, error) {
	o, err := scanOrder(tx.queryRow(ctx, `SELECT `+orderColumns+` `+orderFrom+` WHERE o.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, viewNone, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.order.not_found")
	} else if err != nil {
		return nil, viewNone, err
	}
	v := orderView(a, o.CustomerID)
	if v == viewNone {
		return nil, viewNone, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.order.not_found")
	}
	return o, v, nil
}

// FindOrders lists orders, newest first: a customer's own, or every order
// for the office.
func (s *Store) FindOrders(ctx context.Context, f nakamawashi.FlowFilter) ([]*nakamawashi.Order, int, error) {
	companyID, all, err := nakamawashi.Scope(ctx, nakamawashi.PermInquiryRead)
	if err != nil {
		return nil, 0, err
	}
	q := listQuery{op: "FindOrders", columns: orderColumns, from: orderFrom, order: "o.id DESC", offset: f.Offset, limit: f.Limit}
	if !all {
		q.c.add("o.customer_id = ?", companyID)
	}
	if f.CompanyID != 0 {
		q.c.add("o.customer_id = ?", f.CompanyID)
	}
	if name := strings.TrimSpace(f.Counterparty); name != "" {
		q.c.add(`LOWER(c.name) LIKE ? ESCAPE '\'`, likePattern(name))
	}
	if !f.From.IsZero() {
		q.c.add("o.order_date >= ?", dateValue(f.From))
	}
	if !f.To.IsZero() {
		q.c.add("o.order_date <= ?", dateValue(f.To))
	}
	if f.MinAmount != nil {
		q.c.add("o.total >= ?", *f.MinAmount)
	}
	if f.MaxAmount != nil {
		q.c.add("o.total <= ?", *f.MaxAmount)
	}
	if f.Status != "" {
		q.c.add("o.status = ?", f.Status)
	}
	if f.AtRisk {
		q.c.add(orderAtRisk)
	}
	today := dateValue(nakamawashi.DateOf(s.now()))
	if f.Late {
		q.c.add(orderLate, today, today)
	}
	list, total, err := findPage(ctx, s, q, scanOrder)
	if err == nil {
		err = s.ordersRisk(ctx, list)
	}
	if err == nil {
		err = s.ordersLate(ctx, list)
	}
	return list, total, err
}

// FindOrderByID returns the order with its lots and their events; the
// office sees its work orders too, the customer sees neither the shops nor
// what they are paid.
func (s *Store) FindOrderByID(ctx context.Context, id int64) (*nakamawashi.Order, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindOrderByID"), err)
	}
	defer tx.Rollback()
	o, v, err := tx.findOrder(ctx, a, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindOrderByID"), err)
	}
	if err := tx.loadOrderDetail(ctx, o, v); err != nil {
		return nil, nakamawashi.Internal(s.op("FindOrderByID"), err)
	}
	return o, nil
}

// loadOrderDetail adds the lots (with events) and, for the office, the
// work orders.
func (tx *Tx) loadOrderDetail(ctx context.Context, o *nakamawashi.Order, v view) error {
	lots, err := tx.findLots(ctx, `l.order_id = ?`, o.ID)
	if err != nil {
		return err
	}
	wos, _, err := findPageTx(ctx, tx, listQuery{op: "FindOrderByID", columns: workOrderColumns,
		from: workOrderFrom, order: "w.part_id, w.seq", c: conds{exprs: []string{"w.order_id = ?"}, args: []any{o.ID}},
		limit: nakamawashi.MaxPartsPerInquiry * nakamawashi.MaxStepsPerPart}, scanWorkOrder)
	if err != nil {
		return err
	}
	for _, l := range lots {
		if l.Events, err = tx.lotEvents(ctx, l.ID); err != nil {
			return err
		}
		l.Steps = lotSteps(l, wos)
		if v == viewCustomer {
			hideShops(l)
		}
	}
	o.Lots = lots
	o.Late = orderIsLate(o, nakamawashi.DateOf(tx.now))
	if v == viewOffice {
		o.WorkOrders = wos
	}
	return tx.orderRisk(ctx, o, wos, v)
}

// CancelOrder cancels a confirmed order on which no work has started, and
// its work orders.
func (s *Store) CancelOrder(ctx context.Context, id int64, reason string) error {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		return err
	}
	if err := checkNote("reason", reason, 1000); err != nil {
		return err
	}
	a, _ := actorOf(ctx)
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("CancelOrder"), err)
	}
	defer tx.Rollback()
	o, _, err := tx.findOrder(ctx, a, id)
	if err != nil {
		return nakamawashi.Internal(s.op("CancelOrder"), err)
	}
	if _, err := tx.move(ctx, nakamawashi.EntityOrder, o.ID, o.CustomerID, string(o.Status), "cancel",
		map[string]any{"reason": reason}); err != nil {
		return nakamawashi.Internal(s.op("CancelOrder"), err)
	}
	wos, _, err := findPageTx(ctx, tx, listQuery{op: "CancelOrder", columns: workOrderColumns, from: workOrderFrom,
		order: "w.id", c: conds{exprs: []string{"w.order_id = ?"}, args: []any{o.ID}},
		limit: nakamawashi.MaxPartsPerInquiry * nakamawashi.MaxStepsPerPart}, scanWorkOrder)
	if err != nil {
		return err
	}
	for _, w := range wos {
		if _, err := tx.move(ctx, nakamawashi.EntityWorkOrder, w.ID, w.CompanyID, string(w.Status), "cancel",
			map[string]any{"reason": reason}); err != nil {
			return nakamawashi.Internal(s.op("CancelOrder"), err)
		}
		if err := tx.notify(ctx, w.CompanyID, "workorder.cancelled", nakamawashi.EntityWorkOrder, w.ID,
			workOrderLink(w.ID), "notify.workorder.cancelled", w.Number); err != nil {
			return nakamawashi.Internal(s.op("CancelOrder"), err)
		}
	}
	if _, err := tx.exec(ctx, `UPDATE orders SET updated_at = ? WHERE id = ?`, tx.t(tx.now), o.ID); err != nil {
		return nakamawashi.Internal(s.op("CancelOrder"), err)
	}
	if err := tx.notify(ctx, o.CustomerID, "order.cancelled", nakamawashi.EntityOrder, o.ID, orderLink(o.ID),
		"notify.order.cancelled", o.Number); err != nil {
		return nakamawashi.Internal(s.op("CancelOrder"), err)
	}
	return nakamawashi.Internal(s.op("CancelOrder"), tx.Commit(ctx))
}

// The links of notifications: the pages where people act on the record.

func orderLink(id int64) string { return "/orders/" + strconv.FormatInt(id, 10) }

// quoteLink is the quote on its inquiry's page, with the buttons that
// accept or reject it.
func quoteLink(inquiryID, id int64) string {
	return "/inquiries/" + strconv.FormatInt(inquiryID, 10) + "#quote-" + strconv.FormatInt(id, 10)
}

// workOrderLink is the work order's row in the work order list.
func workOrderLink(id int64) string { return "/work-orders#wo-" + strconv.FormatInt(id, 10) }

// lotLink is the lot's traveler page, the one its QR code opens.
func lotLink(code string) string { return "/t/" + code }

// deliveryLink is the delivery on its order's page, with the 検収 form.
func deliveryLink(orderID, id int64) string {
	return orderLink(orderID) + "#delivery-" + strconv.FormatInt(id, 10)
}

// invoiceLink is the invoice's row in the invoice list.
func invoiceLink(id int64) string { return "/invoices#invoice-" + strconv.FormatInt(id, 10) }
