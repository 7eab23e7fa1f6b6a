package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
)

// Qualified invoices (適格請求書) to customers for their accepted
// deliveries, and the customers' closing and payment days.

// paymentTerms returns a customer's closing and payment days; a customer
// without its own has the default, 月末締め翌月末払い.
func (tx *Tx) paymentTerms(ctx context.Context, companyID int64) (nakamawashi.PaymentTerms, error) {
	var t nakamawashi.PaymentTerms
	err := tx.queryRow(ctx, `SELECT close_day, months_later, pay_day FROM billing_terms WHERE company_id = ?`, companyID).Scan(
		&t.CloseDay, &t.MonthsLater, &t.PayDay)
	if errors.Is(err, sql.ErrNoRows) {
		return nakamawashi.DefaultPaymentTerms, nil
	}
	return t, err
}

// dueDate returns when a customer pays an invoice dated d under its terms.
// Unlike nakamawashi.PaymentDate, which protects subcontractors (取適法),
// a customer's payment is not capped at 60 days: its terms are what it
// agreed to.
func dueDate(d nakamawashi.Date, t nakamawashi.PaymentTerms) nakamawashi.Date {
	if d.IsZero() {
		return d
	}
	y, m, day := d.Time().Date()
	if day > dayOf(y, m, t.CloseDay).Time().Day() {
		m++
	}
	return dayOf(y, m+time.Month(t.MonthsLater), t.PayDay)
}

// dayOf returns day d of the month (0 or past its end: the last day).
func dayOf(y int, m time.Month, d int) nakamawashi.Date {
	last := nakamawashi.MakeDate(y, m+1, 0)
	if d <= 0 || d >= last.Time().Day() {
		return last
	}
	return nakamawashi.MakeDate(y, m, d)
}

// PaymentTermsOf returns a customer's closing and payment days, for the
// office and for the customer's own people.
func (s *Store) PaymentTermsOf(ctx context.Context, companyID int64) (nakamawashi.PaymentTerms, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nakamawashi.PaymentTerms{}, err
	}
	if orderView(a, companyID) == viewNone {
		return nakamawashi.PaymentTerms{}, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.company.not_found")
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nakamawashi.PaymentTerms{}, nakamawashi.Internal(s.op("PaymentTermsOf"), err)
	}
	defer tx.Rollback()
	if err := tx.companyExists(ctx, companyID); err != nil {
		return nakamawashi.PaymentTerms{}, nakamawashi.Internal(s.op("PaymentTermsOf"), err)
	}
	t, err := tx.paymentTerms(ctx, companyID)
	return t, nakamawashi.Internal(s.op("PaymentTermsOf"), err)
}

// SetPaymentTerms sets a customer's closing and payment days (coordinators
// and admins).
func (s *Store) SetPaymentTerms(ctx context.Context, companyID int64, t nakamawashi.PaymentTerms) error {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		return err
	}
	p := nakamawashi.Problems{}
	if t.CloseDay < 0 || t.CloseDay > 28 {
		p.Add("close_day", "err.order.terms_day")
	}
	if t.PayDay < 0 || t.PayDay > 28 {
		p.Add("pay_day", "err.order.terms_day")
	}
	if t.MonthsLater < 0 || t.MonthsLater > 3 {
		p.Add("months_later", "err.order.terms_months")
	}
	if err := p.Err(); err != nil {
		return err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("SetPaymentTerms"), err)
	}
	defer tx.Rollback()
	if err := tx.lockCompany(ctx, companyID); err != nil {
		return nakamawashi.Internal(s.op("SetPaymentTerms"), err)
	}
	old, err := tx.paymentTerms(ctx, companyID)
	if err != nil {
		return nakamawashi.Internal(s.op("SetPaymentTerms"), err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO billing_terms (company_id, close_day, months_later, pay_day) VALUES (?, ?, ?, ?)
		ON CONFLICT (company_id) DO UPDATE SET close_day = excluded.close_day, months_later = excluded.months_later,
		pay_day = excluded.pay_day`, companyID, t.CloseDay, t.MonthsLater, t.PayDay); err != nil {
		return nakamawashi.Internal(s.op("SetPaymentTerms"), err)
	}
	tx.audit(ctx, companyID, "billing_terms.set", "company", companyID, map[string]any{"from": old.Label(), "to": t.Label()})
	return nakamawashi.Internal(s.op("SetPaymentTerms"), tx.Commit(ctx))
}

const invoiceColumns = `i.id, i.number, i.customer_id, c.name, i.office_id, i.date, i.period_from, i.period_to, i.due_date,
	i.rounding, i.subtotal, i.tax, i.total, i.status, i.lines, i.paid_on, i.created_at`

const invoiceFrom = `FROM invoices i JOIN companies c ON c.id = i.customer_id`

func scanInvoice(sc scanner) (*nakamawashi.Invoice, error) {
	var in nakamawashi.Invoice
	err := sc.Scan(&in.ID, &in.Number, &in.CustomerID, &in.CustomerName, &in.OfficeID, dateScan{&in.Date},
		dateScan{&in.PeriodFrom}, dateScan{&in.PeriodTo}, dateScan{&in.DueDate}, &in.Rounding, &in.Subtotal, &in.Tax,
		&in.Total, &in.Status, jsonScan{&in.Lines}, dateScan{&in.PaidOn}, timeScan{&in.CreatedAt})
	return &in, err
}

// invoiceOrders fills the order ids of invoices.
func (tx *Tx) invoiceOrders(ctx context.Context, ins []*nakamawashi.Invoice) error {
	for _, in := range ins {
		rows, err := tx.query(ctx, `SELECT order_id FROM invoice_orders WHERE invoice_id = ? ORDER BY order_id`, in.ID)
		if err != nil {
			return err
		}
		in.OrderIDs = []int64{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			in.OrderIDs = append(in.OrderIDs, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// FindInvoices lists invoices, newest first: a customer's own, or every
// one for the office.
func (s *Store) FindInvoices(ctx context.Context, f nakamawashi.FlowFilter) ([]*nakamawashi.Invoice, int, error) {
	companyID, all, err := nakamawashi.Scope(ctx, nakamawashi.PermInquiryRead)
	if err != nil {
		return nil, 0, err
	}
	q := listQuery{op: "FindInvoices", columns: invoiceColumns, from: invoiceFrom, order: "i.id DESC", offset: f.Offset, limit: f.Limit}
	if !all {
		q.c.add("i.customer_id = ?", companyID)
	}
	if f.CompanyID != 0 {
		q.c.add("i.customer_id = ?", f.CompanyID)
	}
	if f.Counterparty != "" {
		q.c.add(`LOWER(c.name) LIKE ? ESCAPE '\'`, likePattern(f.Counterparty))
	}
	if !f.From.IsZero() {
		q.c.add("i.date >= ?", dateValue(f.From))
	}
	if !f.To.IsZero() {
		q.c.add("i.date <= ?", dateValue(f.To))
	}
	if f.MinAmount != nil {
		q.c.add("i.total >= ?", *f.MinAmount)
	}
	if f.MaxAmount != nil {
		q.c.add("i.total <= ?", *f.MaxAmount)
	}
	if f.Status != "" {
		q.c.add("i.status = ?", f.Status)
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, 0, nakamawashi.Internal(s.op("FindInvoices"), err)
	}
	defer tx.Rollback()
	ins, n, err := findPageTx(ctx, tx, q, scanInvoice)
	if err != nil {
		return nil, 0, err
	}
	return ins, n, nakamawashi.Internal(s.op("FindInvoices"), tx.invoiceOrders(ctx, ins))
}

// FindInvoiceByID returns an invoice its customer or the office may see.
func (s *Store) FindInvoiceByID(ctx context.Context, id int64) (*nakamawashi.Invoice, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindInvoiceByID"), err)
	}
	defer tx.Rollback()
	in, err := scanInvoice(tx.queryRow(ctx, `SELECT `+invoiceColumns+` `+invoiceFrom+` WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && orderView(a, in.CustomerID) == viewNone) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.order.invoice_not_found")
	} else if err != nil {
		return nil, nakamawashi.Internal(s.op("FindInvoiceByID"), err)
	}
	if err := tx.invoiceOrders(ctx, []*nakamawashi.Invoice{in}); err != nil {
		return nil, nakamawashi.Internal(s.op("FindInvoiceByID"), err)
	}
	return in, nil
}

// CreateInvoice issues a qualified invoice to a customer for the accepted,
// not yet invoiced deliveries of the given orders, or of a period: one
// line per accepted delivery line (取引年月日: the day of delivery), tax
// once per rate in the office's rounding, due by the customer's terms.
// The deliveries are invoiced, and the orders all of whose deliveries are.
func (s *Store) CreateInvoice(ctx context.Context, in *nakamawashi.CreateInvoice) (*nakamawashi.Invoice, error) {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		return nil, err
	}
	if in == nil {
		in = &nakamawashi.CreateInvoice{}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	a, _ := actorOf(ctx)
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("CreateInvoice"), err)
	}
	defer tx.Rollback()
	inv, err := tx.createInvoice(ctx, a, in)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("CreateInvoice"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("CreateInvoice"), err)
	}
	return inv, nil
}

// maxPaymentNote is the longest note on a payment, in characters.
const maxPaymentNote = 500

// RecordPayment records that the customer paid an issued invoice on date
// (入金消込): the office only. The date is neither after today nor before
// the invoice's date; an invoice is paid once (a second payment, or one of
// a void invoice, is ECONFLICT).
func (s *Store) RecordPayment(ctx context.Context, invoiceID int64, date nakamawashi.Date, note string) (*nakamawashi.Invoice, error) {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	p := nakamawashi.Problems{}
	if date.IsZero() {
		p.Add("date", "err.payment.date")
	}
	if utf8.RuneCountInString(note) > maxPaymentNote {
		p.Add("note", "err.payment.note_long", maxPaymentNote)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	a, _ := actorOf(ctx)
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("RecordPayment"), err)
	}
	defer tx.Rollback()
	in, err := scanInvoice(tx.queryRow(ctx, `SELECT `+invoiceColumns+` `+invoiceFrom+` WHERE i.id = ?`, invoiceID))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && orderView(a, in.CustomerID) == viewNone) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.order.invoice_not_found")
	} else if err != nil {
		return nil, nakamawashi.Internal(s.op("RecordPayment"), err)
	}
	if date.After(nakamawashi.DateOf(tx.now)) {
		p.Add("date", "err.payment.date_future")
	} else if date.Before(in.Date) {
		p.Add("date", "err.payment.date_before", in.Date.String())
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	detail := map[string]any{"number": in.Number, "paid_on": date.String(), "total": in.Total}
	if note != "" {
		detail["note"] = note
	}
	to, err := tx.move(ctx, nakamawashi.EntityInvoice, in.ID, in.CustomerID, string(in.Status), "pay", detail)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("RecordPayment"), err)
	}
	if _, err := tx.exec(ctx, `UPDATE invoices SET paid_on = ? WHERE id = ?`, dateValue(date), in.ID); err != nil {
		return nil, nakamawashi.Internal(s.op("RecordPayment"), err)
	}
	in.Status, in.PaidOn = nakamawashi.InvoiceStatus(to), date
	if err := tx.invoiceOrders(ctx, []*nakamawashi.Invoice{in}); err != nil {
		return nil, nakamawashi.Internal(s.op("RecordPayment"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("RecordPayment"), err)
	}
	return in, nil
}

func (tx *Tx) createInvoice(ctx context.Context, a *nakamawashi.Actor, in *nakamawashi.CreateInvoice) (*nakamawashi.Invoice, error) {
	customer, err := tx.findCompanyByID(ctx, in.CustomerID)
	if err != nil {
		return nil, err
	}
	accepted := string(nakamawashi.DeliveryAccepted)
	var ds []*nakamawashi.Delivery
	if len(in.OrderIDs) > 0 {
		ids := slices.Clone(in.OrderIDs)
		slices.Sort(ids)
		ids = slices.Compact(ids)
		args := []any{accepted}
		for _, id := range ids {
			o, _, err := tx.findOrder(ctx, a, id)
			if err != nil {
				return nil, err
			}
			if o.CustomerID != in.CustomerID {
				p := nakamawashi.Problems{}
				p.Add("order_ids", "err.order.invoice_customer")
				return nil, p.Err()
			}
			if _, err := nakamawashi.Transition(nakamawashi.EntityOrder, string(o.Status), "invoice"); err != nil {
				return nil, err
			}
			args = append(args, id)
		}
		ds, err = tx.findDeliveries(ctx, `d.status = ? AND d.invoice_id IS NULL AND d.order_id IN (`+placeholders(len(ids))+`)`, args...)
	} else {
		ds, err = tx.findDeliveries(ctx, `d.status = ? AND d.invoice_id IS NULL AND d.customer_id = ? AND d.date >= ? AND d.date <= ?`,
			accepted, in.CustomerID, dateValue(in.PeriodFrom), dateValue(in.PeriodTo))
	}
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.order.nothing_to_invoice")
	}

	// The orders behind the deliveries: one office, and the rates of their quotes.
	orders := map[int64]*nakamawashi.Order{}
	var orderIDs []int64
	rates := map[[2]int64]nakamawashi.TaxRate{} // (order, part) → rate
	officeID := int64(0)
	for _, d := range ds {
		if orders[d.OrderID] != nil {
			continue
		}
		o, _, err := tx.findOrder(ctx, a, d.OrderID)
		if err != nil {
			return nil, err
		}
		if officeID != 0 && o.OfficeID != officeID {
			return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.order.office_mixed")
		}
		officeID = o.OfficeID
		orders[o.ID] = o
		orderIDs = append(orderIDs, o.ID)
		lines, err := tx.orderQuoteLines(ctx, o.QuoteID)
		if err != nil {
			return nil, err
		}
		for _, l := range lines {
			rates[[2]int64{o.ID, l.PartID}] = l.Rate
		}
	}
	slices.Sort(orderIDs)
	office, err := tx.findCompanyByID(ctx, officeID)
	if err != nil {
		return nil, err
	}
	if office.RegistrationNumber == "" {
		return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.order.office_registration", office.Name)
	}

	settings := tx.store.flowSettings()
	inv := &nakamawashi.Invoice{CustomerID: customer.ID, CustomerName: customer.Name, OfficeID: office.ID, Date: in.Date,
		PeriodFrom: in.PeriodFrom, PeriodTo: in.PeriodTo, OrderIDs: orderIDs, Rounding: settings.Rounding,
		Status: nakamawashi.InvoiceIssued, CreatedAt: tx.now}
	if inv.Date.IsZero() {
		inv.Date = nakamawashi.DateOf(tx.now)
	}
	if inv.PeriodFrom.IsZero() || inv.PeriodTo.IsZero() {
		// Invoiced by order: the period is that of the deliveries.
		from, to := ds[0].Date, ds[0].Date
		for _, d := range ds {
			if d.Date.Before(from) {
				from = d.Date
			}
			to = nakamawashi.MaxDate(to, d.Date)
		}
		if inv.PeriodFrom.IsZero() {
			inv.PeriodFrom = from
		}
		if inv.PeriodTo.IsZero() {
			inv.PeriodTo = to
		}
	}
	var taxLines []nakamawashi.Line
	for _, d := range ds {
		for _, l := range d.Lines {
			if l.Accepted <= 0 {
				continue
			}
			rate, ok := rates[[2]int64{d.OrderID, l.PartID}]
			if !ok {
				rate = nakamawashi.RateStandard
			}
			il := nakamawashi.InvoiceLine{Date: d.Date, Description: l.Description, PartNumber: l.PartNumber,
				Quantity: l.Accepted, UnitPrice: l.UnitPrice, Rate: rate, Reduced: rate == nakamawashi.RateReduced}
			inv.Lines = append(inv.Lines, il)
			taxLines = append(taxLines, nakamawashi.Line{Description: il.Description, Quantity: nakamawashi.Units(int64(il.Quantity)),
				UnitPrice: il.UnitPrice, Rate: il.Rate, Reduced: il.Reduced})
		}
	}
	if len(inv.Lines) == 0 {
		return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.order.nothing_to_invoice")
	}
	sum, err := nakamawashi.TaxSummary(taxLines, inv.Rounding)
	if err != nil {
		return nil, err
	}
	for i := range inv.Lines {
		inv.Lines[i].Amount = sum.Amounts[i]
	}
	inv.Subtotal, inv.Tax, inv.Total = sum.Subtotal, sum.Tax, sum.Total
	terms, err := tx.paymentTerms(ctx, customer.ID)
	if err != nil {
		return nil, err
	}
	inv.DueDate = dueDate(inv.Date, terms)
	if inv.Number, err = tx.nextNumber(ctx, seriesInvoice); err != nil {
		return nil, err
	}
	lines, err := jsonText(inv.Lines)
	if err != nil {
		return nil, err
	}
	inv.ID, err = tx.insert(ctx, `INSERT INTO invoices (number, customer_id, office_id, date, period_from, period_to, due_date,
		rounding, subtotal, tax, total, status, lines, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		inv.Number, inv.CustomerID, inv.OfficeID, dateValue(inv.Date), dateValue(inv.PeriodFrom), dateValue(inv.PeriodTo),
		dateValue(inv.DueDate), string(inv.Rounding), inv.Subtotal, inv.Tax, inv.Total, string(inv.Status), lines, tx.t(tx.now))
	if err != nil {
		return nil, err
	}
	tx.audit(ctx, customer.ID, "invoice.create", "invoice", inv.ID, map[string]any{
		"number": inv.Number, "orders": orderIDs, "total": inv.Total, "due_date": inv.DueDate.String()})
	for _, id := range orderIDs {
		if _, err := tx.exec(ctx, `INSERT INTO invoice_orders (invoice_id, order_id) VALUES (?, ?)`, inv.ID, id); err != nil {
			return nil, err
		}
	}
	for _, d := range ds {
		if _, err := tx.move(ctx, nakamawashi.EntityDelivery, d.ID, customer.ID, string(d.Status), "invoice",
			map[string]any{"invoice": inv.Number}); err != nil {
			return nil, err
		}
		if _, err := tx.exec(ctx, `UPDATE deliveries SET invoice_id = ? WHERE id = ?`, inv.ID, d.ID); err != nil {
			return nil, err
		}
	}
	for _, id := range orderIDs {
		o := orders[id]
		var open int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM deliveries WHERE order_id = ? AND status <> ?`,
			id, string(nakamawashi.DeliveryInvoiced)).Scan(&open); err != nil {
			return nil, err
		}
		if open == 0 && o.Status == nakamawashi.OrderAccepted {
			if _, err := tx.move(ctx, nakamawashi.EntityOrder, id, customer.ID, string(o.Status), "invoice",
				map[string]any{"invoice": inv.Number}); err != nil {
				return nil, err
			}
			if _, err := tx.exec(ctx, `UPDATE orders SET updated_at = ? WHERE id = ?`, tx.t(tx.now), id); err != nil {
				return nil, err
			}
		}
	}
	data := &nakamawashi.DocumentData{Issuer: nakamawashi.PartyOf(office), Recipient: nakamawashi.PartyOf(customer),
		Rounding: inv.Rounding, PeriodFrom: inv.PeriodFrom, PeriodTo: inv.PeriodTo, DueDate: inv.DueDate, Bank: settings.Bank}
	if len(orderIDs) == 1 {
		data.OrderNumber = orders[orderIDs[0]].Number
		data.Subject = orders[orderIDs[0]].Subject
	}
	for _, l := range inv.Lines {
		data.Items = append(data.Items, nakamawashi.DocItem{Date: l.Date, Description: l.Description, PartNumber: l.PartNumber,
			Quantity: nakamawashi.Units(int64(l.Quantity)), Unit: "個", UnitPrice: l.UnitPrice, Rate: l.Rate, Reduced: l.Reduced})
	}
	if err := tx.issueDocument(ctx, &nakamawashi.IssuedDocument{Kind: nakamawashi.DocInvoice, Number: inv.Number,
		EntityType: nakamawashi.EntityInvoice, EntityID: inv.ID, IssuerID: office.ID, CounterpartyID: customer.ID,
		CounterpartyName: customer.Name, Date: inv.Date, Data: data}); err != nil {
		return nil, err
	}
	if err := tx.notify(ctx, customer.ID, "invoice.issued", nakamawashi.EntityInvoice, inv.ID, invoiceLink(inv.ID),
		"notify.invoice.issued", inv.Number); err != nil {
		return nil, err
	}
	return inv, nil
}
