package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/nakamawashi/nakamawashi"
)

// The customer's acceptance of a quote: everything an order starts with,
// written in one transaction.

// acceptance is what AcceptQuote reads: the quote, its inquiry and the
// routing of every part with the chosen answers.
type acceptance struct {
	quoteID, inquiryID, customerID, officeID int64
	quoteNumber, subject, deliveryPlace      string
	status, inquiryStatus, paymentTerms      string
	validUntil, promised                     nakamawashi.Date
	rounding                                 nakamawashi.TaxRounding
	subtotal, tax, total                     int64
	lines                                    []nakamawashi.QuoteLine
	parts                                    []*acceptPart
}

type acceptPart struct {
	id                  int64
	name, drawingNumber string
	quantity            int
	steps               []*acceptStep
}

type acceptStep struct {
	id, companyID, requestID int64
	seq                      int
	process, requirements    string
	requestStatus            sql.NullString
	requestCompany, price    int64
	leadDays                 int64
	earliest                 nakamawashi.Date
}

// readAcceptance reads quote id with its inquiry, parts, steps and the
// chosen answers.
func (tx *Tx) readAcceptance(ctx context.Context, id int64) (*acceptance, error) {
	q := &acceptance{}
	err := tx.queryRow(ctx, `SELECT q.id, q.inquiry_id, i.customer_id, i.office_id, q.number, q.subject, i.delivery_place,
		q.status, i.status, q.payment_terms, q.valid_until, q.promised_date, q.rounding, q.subtotal, q.tax, q.total, q.lines
		FROM quotes q JOIN inquiries i ON i.id = q.inquiry_id WHERE q.id = ?`, id).Scan(
		&q.quoteID, &q.inquiryID, &q.customerID, &q.officeID, &q.quoteNumber, &q.subject, &q.deliveryPlace,
		&q.status, &q.inquiryStatus, &q.paymentTerms, dateScan{&q.validUntil}, dateScan{&q.promised}, &q.rounding,
		&q.subtotal, &q.tax, &q.total, jsonScan{&q.lines})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.order.quote_not_found")
	} else if err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, `SELECT id, name, drawing_number, quantity FROM parts WHERE inquiry_id = ? ORDER BY position`, q.inquiryID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*acceptPart{}
	for rows.Next() {
		p := &acceptPart{}
		if err := rows.Scan(&p.id, &p.name, &p.drawingNumber, &p.quantity); err != nil {
			rows.Close()
			return nil, err
		}
		q.parts = append(q.parts, p)
		byID[p.id] = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(ctx, `SELECT s.part_id, s.id, s.seq, s.process, s.requirements, COALESCE(s.company_id, 0), COALESCE(s.request_id, 0),
		r.status, COALESCE(r.company_id, 0), r.price_yen, r.lead_days, r.earliest_start
		FROM steps s JOIN parts p ON p.id = s.part_id LEFT JOIN requests r ON r.id = s.request_id
		WHERE p.inquiry_id = ? ORDER BY s.part_id, s.seq`, q.inquiryID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var partID int64
		st := &acceptStep{}
		if err := rows.Scan(&partID, &st.id, &st.seq, &st.process, &st.requirements, &st.companyID, &st.requestID,
			&st.requestStatus, &st.requestCompany, nullInt64{&st.price}, nullInt64{&st.leadDays}, dateScan{&st.earliest}); err != nil {
			return nil, err
		}
		if p := byID[partID]; p != nil {
			p.steps = append(p.steps, st)
		}
	}
	return q, rows.Err()
}

// check returns ECONFLICT naming the first part without a routing or the
// first step without a chosen answer.
func (q *acceptance) check() error {
	for _, p := range q.parts {
		if len(p.steps) == 0 {
			return nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.order.part_unrouted", p.name)
		}
		for _, st := range p.steps {
			if st.companyID == 0 || st.requestID == 0 || st.requestStatus.String != string(nakamawashi.RequestAnswered) ||
				st.requestCompany != st.companyID || st.price <= 0 || st.earliest.IsZero() {
				return nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.order.step_unchosen", p.name, st.seq, processName(st.process))
			}
		}
		if q.line(p.id) == nil {
			return nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.order.quote_line", p.name)
		}
	}
	return nil
}

func (q *acceptance) line(partID int64) *nakamawashi.QuoteLine {
	for i := range q.lines {
		if q.lines[i].PartID == partID {
			return &q.lines[i]
		}
	}
	return nil
}

// AcceptQuote is the customer's order (the customer, or a coordinator on
// its behalf): in one transaction the quote is accepted, the inquiry
// ordered, the order made with its 注文請書, one work order with its 注文書
// per step, one lot per part, the chosen requests awarded and every other
// open one lost. A quote past its validity is expired instead.
func (s *Store) AcceptQuote(ctx context.Context, id int64, note string) (*nakamawashi.Order, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkNote("note", note, 1000); err != nil {
		return nil, err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptQuote"), err)
	}
	defer tx.Rollback()
	q, err := tx.readAcceptance(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptQuote"), err)
	}
	v := orderView(a, q.customerID)
	if v == viewNone || (v == viewCustomer && q.status == string(nakamawashi.QuoteDraft)) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.order.quote_not_found")
	}
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermInquirySubmit, q.customerID); err != nil {
		return nil, err
	}
	if _, err := nakamawashi.Transition(nakamawashi.EntityQuote, q.status, "accept"); err != nil {
		return nil, err
	}
	today := nakamawashi.DateOf(tx.now)
	if today.After(q.validUntil) {
		if _, err := tx.move(ctx, nakamawashi.EntityQuote, q.quoteID, q.customerID, q.status, "expire", nil); err != nil {
			return nil, nakamawashi.Internal(s.op("AcceptQuote"), err)
		}
		if err := tx.Commit(ctx); err != nil {
			return nil, nakamawashi.Internal(s.op("AcceptQuote"), err)
		}
		return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.order.quote_expired", q.validUntil.String())
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	o, err := tx.acceptQuote(ctx, q, note, today)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptQuote"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptQuote"), err)
	}
	if v == viewCustomer {
		o.WorkOrders = nil
		for _, l := range o.Lots {
			hideShops(l)
		}
	}
	return o, nil
}

// acceptQuote writes everything an accepted quote makes.
func (tx *Tx) acceptQuote(ctx context.Context, q *acceptance, note string, today nakamawashi.Date) (*nakamawashi.Order, error) {
	settings := tx.store.flowSettings()
	if _, err := tx.move(ctx, nakamawashi.EntityQuote, q.quoteID, q.customerID, q.status, "accept",
		map[string]any{"note": note}); err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `UPDATE quotes SET decided_at = ?, decision_note = ? WHERE id = ?`,
		tx.t(tx.now), note, q.quoteID); err != nil {
		return nil, err
	}
	if _, err := tx.move(ctx, nakamawashi.EntityInquiry, q.inquiryID, q.customerID, q.inquiryStatus, "order", nil); err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `UPDATE inquiries SET updated_at = ? WHERE id = ?`, tx.t(tx.now), q.inquiryID); err != nil {
		return nil, err
	}
	office, err := tx.findCompanyByID(ctx, q.officeID)
	if err != nil {
		return nil, err
	}
	customer, err := tx.findCompanyByID(ctx, q.customerID)
	if err != nil {
		return nil, err
	}
	number, err := tx.nextNumber(ctx, seriesOrder)
	if err != nil {
		return nil, err
	}
	o := &nakamawashi.Order{Number: number, InquiryID: q.inquiryID, QuoteID: q.quoteID, CustomerID: q.customerID,
		CustomerName: customer.Name, OfficeID: q.officeID, Subject: q.subject, OrderDate: today, DueDate: q.promised,
		DeliveryPlace: q.deliveryPlace, Subtotal: q.subtotal, Tax: q.tax, Total: q.total,
		Status: nakamawashi.OrderConfirmed, CreatedAt: tx.now}
	o.ID, err = tx.insert(ctx, `INSERT INTO orders (number, inquiry_id, quote_id, customer_id, office_id, subject, order_date,
		due_date, delivery_place, subtotal, tax, total, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.Number, o.InquiryID, o.QuoteID, o.CustomerID, o.OfficeID, o.Subject, dateValue(o.OrderDate), dateValue(o.DueDate),
		o.DeliveryPlace, o.Subtotal, o.Tax, o.Total, string(o.Status), tx.t(tx.now), tx.t(tx.now))
	if err != nil {
		return nil, err
	}
	tx.audit(ctx, o.CustomerID, "order.create", "order", o.ID, map[string]any{
		"number": o.Number, "quote_id": q.quoteID, "quote_number": q.quoteNumber, "total": o.Total})

	terms := q.paymentTerms
	if terms == "" {
		t, err := tx.paymentTerms(ctx, q.customerID)
		if err != nil {
			return nil, err
		}
		terms = t.Label()
	}
	ack := &nakamawashi.DocumentData{Subject: q.subject, Issuer: nakamawashi.PartyOf(office),
		Recipient: nakamawashi.PartyOf(customer), Rounding: q.rounding, OrderNumber: o.Number,
		DeliveryDate: o.DueDate, DeliveryPlace: o.DeliveryPlace, PaymentTerms: terms}
	for _, l := range q.lines {
		ack.Items = append(ack.Items, nakamawashi.DocItem{Description: l.Description, PartNumber: l.PartNumber,
			Quantity: nakamawashi.Units(int64(l.Quantity)), Unit: l.Unit, UnitPrice: l.UnitPrice, Rate: l.Rate,
			Reduced: l.Rate == nakamawashi.RateReduced})
	}
	if err := tx.issueDocument(ctx, &nakamawashi.IssuedDocument{Kind: nakamawashi.DocOrderAck, Number: o.Number,
		EntityType: nakamawashi.EntityOrder, EntityID: o.ID, IssuerID: office.ID, CounterpartyID: customer.ID,
		CounterpartyName: customer.Name, Date: today, Data: ack}); err != nil {
		return nil, err
	}
	if err := tx.fail("accept_quote.after_order"); err != nil {
		return nil, err
	}

	// The work orders, part by part in routing order.
	shops := map[int64]*nakamawashi.Company{}
	shop := func(id int64) (*nakamawashi.Company, error) {
		if c := shops[id]; c != nil {
			return c, nil
		}
		c, err := tx.findCompanyByID(ctx, id)
		shops[id] = c
		return c, err
	}
	first := map[int64]*nakamawashi.WorkOrder{} // the first work order of each part
	for _, p := range q.parts {
		start := today.AddWorkdays(1)
		var prev *nakamawashi.WorkOrder
		for j, st := range p.steps {
			if prev != nil {
				start = prev.DeliveryDate.AddWorkdays(1) // a working day of transport to the next shop
			}
			start = nakamawashi.MaxDate(start, st.earliest).AddWorkdays(0)
			finish := start.AddWorkdays(max(int(st.leadDays), 1) - 1)
			c, err := shop(st.companyID)
			if err != nil {
				return nil, err
			}
			place := o.DeliveryPlace
			if j+1 < len(p.steps) {
				next, err := shop(p.steps[j+1].companyID)
				if err != nil {
					return nil, err
				}
				place = next.Name + " " + next.Address()
			} else if place == "" {
				place = customer.Name + " " + customer.Address()
			}
			w := &nakamawashi.WorkOrder{OrderID: o.ID, StepID: st.id, PartID: p.id, Seq: st.seq, Process: st.process,
				CompanyID: c.ID, CompanyName: c.Name, OfficeID: office.ID, Quantity: p.quantity, Amount: st.price,
				OrderDate: today, StartDate: start, DeliveryDate: finish, DeliveryPlace: place,
				InspectionDate: finish.AddDays(settings.InspectionDays),
				PaymentDate:    nakamawashi.PaymentDate(finish, settings.ShopTerms),
				PaymentMethod:  settings.PaymentMethod, Supply: "none", Status: nakamawashi.WorkOrderIssued}
			w.Description = workContent(p, st)
			if err := tx.issueWorkOrder(ctx, w, office, c, q.subject, p); err != nil {
				return nil, err
			}
			o.WorkOrders = append(o.WorkOrders, w)
			if prev == nil {
				first[p.id] = w
			}
			prev = w
		}
	}
	if err := tx.fail("accept_quote.after_work_orders"); err != nil {
		return nil, err
	}

	// One lot per part, at the first step's shop.
	for _, p := range q.parts {
		w := first[p.id]
		l := &nakamawashi.Lot{OrderID: o.ID, PartID: p.id, PartName: p.name, DrawingNumber: p.drawingNumber,
			Quantity: p.quantity, Good: p.quantity, Seq: 1, Status: nakamawashi.LotQueued, CompanyID: w.CompanyID,
			CompanyName: w.CompanyName, Due: w.DeliveryDate, UpdatedAt: tx.now}
		if l.Number, err = tx.nextNumber(ctx, seriesLot); err != nil {
			return nil, err
		}
		l.Code = newLotCode()
		l.ID, err = tx.insert(ctx, `INSERT INTO lots (number, code, order_id, part_id, quantity, good, seq, status, company_id, due, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.Number, l.Code, l.OrderID, l.PartID, l.Quantity, l.Good, l.Seq,
			string(l.Status), l.CompanyID, dateValue(l.Due), tx.t(tx.now))
		if err != nil {
			return nil, err
		}
		l.Steps = lotSteps(l, o.WorkOrders)
		tx.audit(ctx, o.CustomerID, "lot.create", "lot", l.ID, map[string]any{"number": l.Number, "order": o.Number, "part_id": p.id})
		o.Lots = append(o.Lots, l)
	}

	// The chosen requests are awarded, every other open one is lost.
	chosen := map[int64]bool{}
	for _, p := range q.parts {
		for _, st := range p.steps {
			chosen[st.requestID] = true
		}
	}
	type openRequest struct {
		id, companyID int64
		status        string
	}
	var open []openRequest
	rows, err := tx.query(ctx, `SELECT id, company_id, status FROM requests WHERE inquiry_id = ? AND status IN (?, ?) ORDER BY id`,
		q.inquiryID, string(nakamawashi.RequestSent), string(nakamawashi.RequestAnswered))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r openRequest
		if err := rows.Scan(&r.id, &r.companyID, &r.status); err != nil {
			rows.Close()
			return nil, err
		}
		open = append(open, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range open {
		action := "lose"
		if chosen[r.id] {
			action = "award"
		}
		if _, err := tx.move(ctx, nakamawashi.EntityRequest, r.id, auditCompany(ctx, r.companyID, q.officeID), r.status, action, nil); err != nil {
			return nil, err
		}
	}

	if err := tx.notify(ctx, o.CustomerID, "order.confirmed", nakamawashi.EntityOrder, o.ID, orderLink(o.ID),
		"notify.order.confirmed", o.Number); err != nil {
		return nil, err
	}
	for _, w := range o.WorkOrders {
		if err := tx.notify(ctx, w.CompanyID, "workorder.issued", nakamawashi.EntityWorkOrder, w.ID, workOrderLink(w.ID),
			"notify.workorder.issued", w.Number); err != nil {
			return nil, err
		}
	}
	return o, nil
}
