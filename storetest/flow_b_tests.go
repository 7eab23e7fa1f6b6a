package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

func init() {
	register("FlowOrderToInvoice", testFlowOrderToInvoice)
	register("FlowOrderAccess", testFlowOrderAccess)
	register("FlowOrderIllegal", testFlowOrderIllegal)
	register("FlowOrderCrash", testFlowOrderCrash)
	register("FlowOrderCancel", testFlowOrderCancel)
	register("FlowOrderMonthly", testFlowOrderMonthly)
	register("FlowOrderConcurrency", testFlowOrderConcurrency)
}

// wantDoc fails t unless exactly one current document of kind belongs to
// the entity, from issuer to counterparty, and returns it.
func wantDoc(t *testing.T, s nakamawashi.Store, w *FlowWorld, kind nakamawashi.DocumentKind, number string, issuer, counterparty int64) *nakamawashi.IssuedDocument {
	t.Helper()
	docs, n, err := s.FindDocuments(w.Coordinator, nakamawashi.DocumentFilter{Kind: kind, Number: number})
	if err != nil {
		t.Fatalf("FindDocuments(%s %s): %v", kind, number, err)
	}
	if n != 1 || len(docs) != 1 {
		t.Fatalf("documents %s %s: got %d, want 1", kind, number, n)
	}
	d, err := s.FindDocumentByID(w.Coordinator, docs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.IssuerID != issuer || d.CounterpartyID != counterparty || d.Data == nil {
		t.Fatalf("document %s %s: issuer %d counterparty %d, want %d %d", kind, number, d.IssuerID, d.CounterpartyID, issuer, counterparty)
	}
	sum, err := nakamawashi.TaxSummary(d.Data.Lines(), d.Data.Rounding)
	if err != nil || sum.Total != d.Total || sum.Tax != d.Tax || sum.Subtotal != d.Subtotal {
		t.Fatalf("document %s %s: totals %d/%d/%d, items give %+v (%v)", kind, number, d.Subtotal, d.Tax, d.Total, sum, err)
	}
	return d
}

// tax10 is the consumption tax on yen at 10%, rounded down.
func tax10(yen int64) int64 { return yen / 10 }

func testFlowOrderToInvoice(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	q := w.QuotedInquiry(t)
	today := w.Today()

	// The customer's terms: 20日締め翌月10日払い.
	terms := nakamawashi.PaymentTerms{CloseDay: 20, MonthsLater: 1, PayDay: 10}
	if err := s.SetPaymentTerms(w.Coordinator, w.Customer.ID, terms); err != nil {
		t.Fatal(err)
	}
	if got, err := s.PaymentTermsOf(w.CustomerOwner, w.Customer.ID); err != nil || got != terms {
		t.Fatalf("PaymentTermsOf by the customer: got %+v, %v", got, err)
	}

	o, err := s.AcceptQuote(w.CustomerOwner, q.Quote.ID, "発注します。")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(o.Number, "O2026-") || o.Status != nakamawashi.OrderConfirmed || o.OrderDate != today ||
		o.DueDate != q.Quote.PromisedDate || o.Total != q.Quote.Total || o.Subtotal != q.Quote.Subtotal || o.CustomerID != w.Customer.ID {
		t.Fatalf("order: %+v (quote promised %s, total %d)", o, q.Quote.PromisedDate, q.Quote.Total)
	}
	if o.WorkOrders != nil || len(o.Lots) != 1 || o.Lots[0].CompanyID != 0 || o.Lots[0].CompanyName != "" {
		t.Fatalf("the customer's order shows shops: %+v, lot %+v", o.WorkOrders, o.Lots)
	}

	// The office sees the work orders: one per step, at the chosen price,
	// planned in routing order.
	full, err := s.FindOrderByID(w.Coordinator, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.WorkOrders) != 3 || len(full.Lots) != 1 {
		t.Fatalf("office's order: %d work orders, %d lots", len(full.WorkOrders), len(full.Lots))
	}
	prices := []int64{48000, 36000, 12000}
	var prev nakamawashi.Date
	for i, wo := range full.WorkOrders {
		if !strings.HasPrefix(wo.Number, "W2026-") || wo.CompanyID != w.Shops[i].ID || wo.Amount != prices[i] || wo.Seq != i+1 ||
			wo.Process != FlowProcesses[i] || wo.Quantity != 10 || wo.Status != nakamawashi.WorkOrderIssued || wo.OrderDate != today {
			t.Fatalf("work order %d: %+v", i, wo)
		}
		if !wo.StartDate.After(today) || wo.DeliveryDate.Before(wo.StartDate) || (i > 0 && !wo.StartDate.After(prev)) {
			t.Errorf("work order %d: start %s delivery %s after previous delivery %s", i, wo.StartDate, wo.DeliveryDate, prev)
		}
		if !wo.StartDate.Workday() || !wo.DeliveryDate.Workday() {
			t.Errorf("work order %d is planned on a day off: %s–%s", i, wo.StartDate, wo.DeliveryDate)
		}
		if wo.InspectionDate != wo.DeliveryDate.AddDays(3) || wo.PaymentDate.Before(wo.DeliveryDate) ||
			wo.PaymentDate.After(wo.DeliveryDate.AddDays(nakamawashi.PaymentDays-1)) || wo.PaymentMethod != nakamawashi.DefaultPaymentMethod ||
			wo.Supply != "none" {
			t.Errorf("work order %d terms: inspection %s payment %s method %q supply %q", i, wo.InspectionDate, wo.PaymentDate, wo.PaymentMethod, wo.Supply)
		}
		wantPlace := "羽田ロボティクス 本社工場"
		if i < 2 {
			wantPlace = w.Shops[i+1].Name
		}
		if !strings.HasPrefix(wo.DeliveryPlace, wantPlace) {
			t.Errorf("work order %d delivery place: got %q, want %q…", i, wo.DeliveryPlace, wantPlace)
		}
		if !strings.Contains(wo.Description, "駆動シャフト") || !strings.Contains(wo.Description, "10個") {
			t.Errorf("work order %d content: %q", i, wo.Description)
		}
		prev = wo.DeliveryDate
		d := wantDoc(t, s, w, nakamawashi.DocPurchaseOrder, wo.Number, w.Office.ID, w.Shops[i].ID)
		if d.Total != prices[i]+tax10(prices[i]) || d.Data.WorkContent != wo.Description || d.Data.DeliveryDate != wo.DeliveryDate ||
			d.Data.DeliveryPlace != wo.DeliveryPlace || d.Data.InspectionDate != wo.InspectionDate || d.Data.PaymentDate != wo.PaymentDate ||
			d.Data.PaymentMethod == "" || d.Data.Supply != "none" || d.Data.Issuer.Name != w.Office.Name || d.Data.Recipient.Name != w.Shops[i].Name {
			t.Errorf("注文書 %s: %+v", wo.Number, d.Data)
		}
	}
	if last := full.WorkOrders[2].DeliveryDate; last.After(o.DueDate) {
		t.Errorf("the last step finishes %s, after the promised %s", last, o.DueDate)
	}
	lot := full.Lots[0]
	if !strings.HasPrefix(lot.Number, "L2026-") || len(lot.Code) != 16 || lot.Seq != 1 || lot.Status != nakamawashi.LotQueued ||
		lot.CompanyID != w.Shops[0].ID || lot.Due != full.WorkOrders[0].DeliveryDate || lot.Quantity != 10 || lot.Good != 10 || len(lot.Steps) != 3 {
		t.Fatalf("lot: %+v", lot)
	}
	ack := wantDoc(t, s, w, nakamawashi.DocOrderAck, o.Number, w.Office.ID, w.Customer.ID)
	if ack.Total != q.Quote.Total || ack.Data.OrderNumber != o.Number || ack.Data.DeliveryDate != o.DueDate ||
		ack.Data.DeliveryPlace != "羽田ロボティクス 本社工場" || ack.Data.PaymentTerms == "" || len(ack.Data.Items) != 1 {
		t.Fatalf("注文請書: total %d, %+v", ack.Total, ack.Data)
	}

	// The quote is accepted, the inquiry ordered, the chosen requests
	// awarded and the other answer lost.
	if qt, err := s.FindQuoteByID(w.Coordinator, q.Quote.ID); err != nil || qt.Status != nakamawashi.QuoteAccepted {
		t.Fatalf("quote after acceptance: %+v, %v", qt, err)
	}
	if inq, err := s.FindInquiryByID(w.Coordinator, q.Inquiry.ID); err != nil || inq.Status != nakamawashi.InquiryOrdered {
		t.Fatalf("inquiry after acceptance: %v, %v", inq.Status, err)
	}
	for i, r := range q.Requests {
		if got, err := s.FindRequestByID(w.Coordinator, r.ID); err != nil || got.Status != nakamawashi.RequestAwarded {
			t.Errorf("chosen request %d: %v, %v", i, got.Status, err)
		}
	}
	if got, err := s.FindRequestByID(w.Coordinator, q.Losing.ID); err != nil || got.Status != nakamawashi.RequestLost {
		t.Errorf("other request: %v, %v", got.Status, err)
	}
	for _, c := range []struct {
		company int64
		kind    string
	}{{w.Customer.ID, "order.confirmed"}, {w.Shops[0].ID, "workorder.issued"}, {w.Shops[1].ID, "workorder.issued"}, {w.Shops[2].ID, "workorder.issued"}} {
		if n := e.count(`SELECT COUNT(*) FROM notifications WHERE company_id = ? AND kind = ?`, c.company, c.kind); n != 1 {
			t.Errorf("notifications %s to %d: got %d, want 1", c.kind, c.company, n)
		}
	}

	// Shops accept their work orders; the lot travels through the steps.
	ord := &Ordered{Quoted: q, Order: full, Lot: lot}
	if wo, err := s.AcceptWorkOrder(w.ShopOwners[0], full.WorkOrders[0].ID); err != nil || wo.Status != nakamawashi.WorkOrderAccepted || wo.AcceptedAt == nil {
		t.Fatalf("AcceptWorkOrder: %+v, %v", wo, err)
	}
	l := ord.Scan(t, 0, nakamawashi.LotStart, 0, 0)
	if l.Status != nakamawashi.LotRunning || l.CompanyName != w.Shops[0].Name {
		t.Fatalf("lot after start: %+v", l)
	}
	if got, _ := s.FindOrderByID(w.Coordinator, o.ID); got.Status != nakamawashi.OrderInProgress || got.WorkOrders[0].Status != nakamawashi.WorkOrderInProgress {
		t.Fatalf("after the first start: order %s, work order %s", got.Status, got.WorkOrders[0].Status)
	}
	l = ord.Scan(t, 0, nakamawashi.LotFinish, 9, 1)
	if l.Status != nakamawashi.LotFinished || l.Good != 9 {
		t.Fatalf("lot after finish: %+v", l)
	}
	l = ord.Scan(t, 0, nakamawashi.LotHandoff, 0, 0)
	if l.Status != nakamawashi.LotInTransit || l.Seq != 2 || l.CompanyID != w.Shops[1].ID || l.Due != full.WorkOrders[1].DeliveryDate {
		t.Fatalf("lot after handoff: %+v", l)
	}
	if wo, _ := s.FindWorkOrderByID(w.ShopOwners[0], full.WorkOrders[0].ID); wo.Status != nakamawashi.WorkOrderDone || wo.DoneAt == nil {
		t.Fatalf("work order 1 after handoff: %+v", wo)
	}
	if n := e.count(`SELECT COUNT(*) FROM notifications WHERE company_id = ? AND kind = ?`, w.Shops[1].ID, "lot.handoff"); n != 1 {
		t.Errorf("handoff notifications: got %d", n)
	}
	// Shop 1 never accepted its work order: starting the work does.
	ord.Scan(t, 1, nakamawashi.LotReceive, 0, 0)
	ord.Scan(t, 1, nakamawashi.LotStart, 0, 0)
	ord.Scan(t, 1, nakamawashi.LotFinish, 9, 0)
	ord.Scan(t, 1, nakamawashi.LotHandoff, 0, 0)
	ord.Scan(t, 2, nakamawashi.LotReceive, 0, 0)
	ord.Scan(t, 2, nakamawashi.LotStart, 0, 0)
	l = ord.Scan(t, 2, nakamawashi.LotFinish, 8, 1)
	if l.Status != nakamawashi.LotCompleted || l.CompanyID != 0 || l.Seq != 4 || l.Good != 8 || l.Late {
		t.Fatalf("lot after the last finish: %+v", l)
	}
	if len(l.Events) != 10 {
		t.Fatalf("lot events: got %d, want 10", len(l.Events))
	}
	for _, ev := range l.Events {
		if ev.UserID == 0 || ev.UserName == "" || ev.CompanyID == 0 || ev.At.IsZero() {
			t.Fatalf("lot event without who/when: %+v", ev)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE entity_type = 'lot' AND entity_id = ? AND action LIKE 'lot.%'`, lot.ID); n != 11 {
		t.Errorf("lot audit events: got %d, want 11 (create and 10 scans)", n)
	}
	got, _ := s.FindOrderByID(w.Coordinator, o.ID)
	for i, wo := range got.WorkOrders {
		if wo.Status != nakamawashi.WorkOrderDone {
			t.Errorf("work order %d after the lot completed: %s", i, wo.Status)
		}
	}

	// Delivery of the completed lot, with its 納品書.
	unit := q.Quote.Lines[0].UnitPrice
	d, err := s.CreateDelivery(w.Coordinator, o.ID, nil, nakamawashi.Date{}, "検査成績書を同梱")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.Number, "D2026-") || d.Date != today || len(d.Lines) != 1 || d.Lines[0].Quantity != 8 || d.Lines[0].UnitPrice != unit ||
		d.Status != nakamawashi.DeliveryShipped {
		t.Fatalf("delivery: %+v", d)
	}
	note := wantDoc(t, s, w, nakamawashi.DocDeliveryNote, d.Number, w.Office.ID, w.Customer.ID)
	if note.Subtotal != 8*unit || note.Data.OrderNumber != o.Number || note.Data.Items[0].PartNumber != q.Part.DrawingNumber {
		t.Fatalf("納品書: subtotal %d (want %d), %+v", note.Subtotal, 8*unit, note.Data)
	}
	if got, _ := s.FindOrderByID(w.CustomerOwner, o.ID); got.Status != nakamawashi.OrderDelivered || got.Lots[0].Status != nakamawashi.LotDelivered {
		t.Fatalf("order after delivery: %s, lot %s", got.Status, got.Lots[0].Status)
	}

	// The customer's 検収: 7 accepted, 1 rejected.
	ds, err := s.FindDeliveries(w.CustomerOwner, o.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("FindDeliveries: %d, %v", len(ds), err)
	}
	_, err = s.AcceptDelivery(w.CustomerOwner, d.ID, &nakamawashi.Acceptance{Lines: []nakamawashi.AcceptanceLine{{LotID: lot.ID, Accepted: 7, Rejected: 0}}})
	wantField(t, err, "lines.0.accepted", "err.order.acceptance_sum")
	d, err = s.AcceptDelivery(w.CustomerOwner, d.ID, &nakamawashi.Acceptance{Lines: []nakamawashi.AcceptanceLine{{LotID: lot.ID, Accepted: 7, Rejected: 1}},
		Note: "1個 寸法不良"})
	if err != nil || d.Status != nakamawashi.DeliveryAccepted || d.Lines[0].Accepted != 7 || d.AcceptedAt == nil {
		t.Fatalf("AcceptDelivery: %+v, %v", d, err)
	}
	if got, _ := s.FindOrderByID(w.Coordinator, o.ID); got.Status != nakamawashi.OrderAccepted {
		t.Fatalf("order after acceptance: %s", got.Status)
	}

	// The qualified invoice needs the office's registration number.
	_, err = s.CreateInvoice(w.Coordinator, &nakamawashi.CreateInvoice{CustomerID: w.Customer.ID, OrderIDs: []int64{o.ID}})
	wantError(t, err, nakamawashi.ECONFLICT, "err.order.office_registration")
	reg := "T" + corporateNumber(77)
	if _, err := s.UpdateCompany(w.Sys, w.Office.ID, nakamawashi.CompanyUpdate{RegistrationNumber: &reg}); err != nil {
		t.Fatal(err)
	}
	inv, err := s.CreateInvoice(w.Coordinator, &nakamawashi.CreateInvoice{CustomerID: w.Customer.ID, OrderIDs: []int64{o.ID}})
	if err != nil {
		t.Fatal(err)
	}
	// Invoiced on 2026-04-01 under 20日締め翌月10日払い: due 2026-05-10.
	if !strings.HasPrefix(inv.Number, "I2026-") || len(inv.Lines) != 1 || inv.Lines[0].Quantity != 7 || inv.Lines[0].Date != d.Date ||
		inv.Subtotal != 7*unit || inv.Tax != tax10(7*unit) || inv.Total != 7*unit+tax10(7*unit) ||
		inv.DueDate != nakamawashi.MakeDate(2026, time.May, 10) || inv.PeriodFrom != d.Date || inv.PeriodTo != d.Date ||
		len(inv.OrderIDs) != 1 || inv.OrderIDs[0] != o.ID {
		t.Fatalf("invoice: %+v", inv)
	}
	doc := wantDoc(t, s, w, nakamawashi.DocInvoice, inv.Number, w.Office.ID, w.Customer.ID)
	if doc.Total != inv.Total || doc.Data.Issuer.RegistrationNumber != reg || doc.Data.DueDate != inv.DueDate ||
		doc.Data.Items[0].Date != d.Date || doc.Data.PeriodFrom != d.Date {
		t.Fatalf("請求書: total %d, %+v", doc.Total, doc.Data)
	}
	if got, _ := s.FindOrderByID(w.CustomerOwner, o.ID); got.Status != nakamawashi.OrderInvoiced {
		t.Fatalf("order after invoice: %s", got.Status)
	}
	// Invoicing twice is refused, by order and by period.
	_, err = s.CreateInvoice(w.Coordinator, &nakamawashi.CreateInvoice{CustomerID: w.Customer.ID, OrderIDs: []int64{o.ID}})
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")
	_, err = s.CreateInvoice(w.Coordinator, &nakamawashi.CreateInvoice{CustomerID: w.Customer.ID, PeriodFrom: today.AddDays(-30), PeriodTo: today})
	wantError(t, err, nakamawashi.ECONFLICT, "err.order.nothing_to_invoice")
	if ins, n, err := s.FindInvoices(w.CustomerOwner, nakamawashi.FlowFilter{}); err != nil || n != 1 || ins[0].ID != inv.ID {
		t.Fatalf("the customer's invoices: %d, %v", n, err)
	}
	if _, n, err := s.FindInvoices(w.OtherCustomerOwner, nakamawashi.FlowFilter{}); err != nil || n != 0 {
		t.Fatalf("another customer's invoices: %d, %v", n, err)
	}
	if _, err := s.FindInvoiceByID(w.OtherCustomerOwner, inv.ID); nakamawashi.ErrorCode(err) != nakamawashi.ENOTFOUND {
		t.Fatalf("another customer reads the invoice: %v", err)
	}

	// Payables: the office sees every shop's, a shop only its own.
	ps, err := s.FindPayables(w.Coordinator, nakamawashi.PayableFilter{})
	if err != nil || len(ps) != 3 {
		t.Fatalf("payables: %d, %v", len(ps), err)
	}
	var owed int64
	for _, p := range ps {
		owed += p.Amount
		if p.Tax != tax10(p.Amount) || p.PaymentDate.IsZero() || p.CompanyName == "" {
			t.Errorf("payable: %+v", p)
		}
	}
	if owed != 48000+36000+12000 {
		t.Errorf("payables total %d", owed)
	}
	ps, err = s.FindPayables(w.ShopOwners[1], nakamawashi.PayableFilter{})
	if err != nil || len(ps) != 1 || ps[0].CompanyID != w.Shops[1].ID || ps[0].Amount != 36000 || ps[0].Tax != 3600 {
		t.Fatalf("shop 1's payables: %+v, %v", ps, err)
	}
	if _, err := s.VerifyAuditChain(e.sys); err != nil {
		t.Fatal(err)
	}
}

func testFlowOrderAccess(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	ord := w.AcceptedOrder(t)
	o, lot := ord.Order, ord.Lot

	// A customer sees no shops and no work orders, only its own orders.
	cust, err := s.FindOrderByID(w.CustomerOwner, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cust.WorkOrders != nil || cust.Lots[0].CompanyID != 0 || cust.Lots[0].CompanyName != "" {
		t.Fatalf("the customer's order shows shops: %+v %+v", cust.WorkOrders, cust.Lots[0])
	}
	for _, st := range cust.Lots[0].Steps {
		if st.CompanyID != 0 || st.CompanyName != "" || st.WorkOrderID != 0 || st.Process == "" {
			t.Fatalf("the customer's lot step: %+v", st)
		}
	}
	if _, _, err := s.FindWorkOrders(w.CustomerOwner, nakamawashi.WorkOrderFilter{}); nakamawashi.ErrorCode(err) != nakamawashi.EFORBIDDEN {
		t.Fatalf("FindWorkOrders by the customer: %v", err)
	}
	if _, n, err := s.FindOrders(w.CustomerOwner, nakamawashi.FlowFilter{}); err != nil || n != 1 {
		t.Fatalf("FindOrders by the customer: %d, %v", n, err)
	}
	if _, n, err := s.FindOrders(w.OtherCustomerOwner, nakamawashi.FlowFilter{}); err != nil || n != 0 {
		t.Fatalf("FindOrders by another customer: %d, %v", n, err)
	}
	if _, err := s.FindOrderByID(w.OtherCustomerOwner, o.ID); nakamawashi.ErrorCode(err) != nakamawashi.ENOTFOUND {
		t.Fatalf("another customer reads the order: %v", err)
	}
	if _, err := s.FindOrderByID(w.ShopOwners[0], o.ID); nakamawashi.ErrorCode(err) != nakamawashi.ENOTFOUND {
		t.Fatalf("a shop reads the customer's order: %v", err)
	}
	if os, n, err := s.FindOrders(w.Coordinator, nakamawashi.FlowFilter{Counterparty: "羽田"}); err != nil || n != 1 || os[0].CustomerName != w.Customer.Name {
		t.Fatalf("FindOrders by counterparty: %d, %v", n, err)
	}
	ord.Scan(t, 0, nakamawashi.LotStart, 0, 0)
	cl, err := s.FindLotByCode(w.CustomerOwner, lot.Code)
	if err != nil {
		t.Fatal(err)
	}
	if cl.CompanyName != "" || cl.CompanyID != 0 || len(cl.Events) != 1 || cl.Events[0].UserName != "" || cl.Events[0].CompanyID != 0 {
		t.Fatalf("the customer's lot: %+v, events %+v", cl, cl.Events)
	}
	_, err = s.ScanLot(w.CustomerOwner, lot.Code, &nakamawashi.LotScan{Action: nakamawashi.LotFinish, Good: 10})
	wantCode(t, err, nakamawashi.EFORBIDDEN)

	// A shop sees only its own work orders.
	wos, n, err := s.FindWorkOrders(w.ShopOwners[1], nakamawashi.WorkOrderFilter{})
	if err != nil || n != 1 || wos[0].CompanyID != w.Shops[1].ID {
		t.Fatalf("shop 1's work orders: %d, %v", n, err)
	}
	if _, err := s.FindWorkOrderByID(w.ShopOwners[1], o.WorkOrders[0].ID); nakamawashi.ErrorCode(err) != nakamawashi.ENOTFOUND {
		t.Fatalf("shop 1 reads shop 0's work order: %v", err)
	}
	if _, err := s.AcceptWorkOrder(w.ShopOwners[1], o.WorkOrders[0].ID); nakamawashi.ErrorCode(err) != nakamawashi.ENOTFOUND {
		t.Fatalf("shop 1 accepts shop 0's work order: %v", err)
	}
	if _, n, err := s.FindWorkOrders(w.Coordinator, nakamawashi.WorkOrderFilter{OrderID: o.ID}); err != nil || n != 3 {
		t.Fatalf("the office's work orders: %d, %v", n, err)
	}
	// A shop with work on the order reads the lot; a shop without does not.
	if sl, err := s.FindLotByCode(w.ShopOwners[2], lot.Code); err != nil || sl.CompanyName != w.Shops[0].Name {
		t.Fatalf("shop 2 reads the lot: %+v, %v", sl, err)
	}
	if _, err := s.FindLotByCode(w.OutsiderOwner, lot.Code); nakamawashi.ErrorCode(err) != nakamawashi.ENOTFOUND {
		t.Fatalf("an outsider reads the lot: %v", err)
	}
	_, err = s.ScanLot(w.OutsiderOwner, lot.Code, &nakamawashi.LotScan{Action: nakamawashi.LotFinish, Good: 10})
	wantCode(t, err, nakamawashi.ENOTFOUND)
	if _, err := s.FindLotByCode(w.ShopOwners[0], "zzzzzzzzzzzzzzz0"); nakamawashi.ErrorCode(err) != nakamawashi.ENOTFOUND {
		t.Fatalf("a malformed code: %v", err)
	}
	// A shop cannot scan a lot at another shop's step.
	_, err = s.ScanLot(w.ShopOwners[1], lot.Code, &nakamawashi.LotScan{Action: nakamawashi.LotFinish, Good: 10})
	wantError(t, err, nakamawashi.EFORBIDDEN, "err.order.lot_wrong_shop")
	// Nor deliver, invoice or set terms.
	_, err = s.CreateDelivery(w.ShopOwners[0], o.ID, nil, nakamawashi.Date{}, "")
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	_, err = s.CreateInvoice(w.CustomerOwner, &nakamawashi.CreateInvoice{CustomerID: w.Customer.ID, OrderIDs: []int64{o.ID}})
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	err = s.SetPaymentTerms(w.CustomerOwner, w.Customer.ID, nakamawashi.DefaultPaymentTerms)
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	if _, err := s.PaymentTermsOf(w.OtherCustomerOwner, w.Customer.ID); nakamawashi.ErrorCode(err) != nakamawashi.ENOTFOUND {
		t.Fatalf("another customer reads the terms: %v", err)
	}
	err = s.SetPaymentTerms(w.Coordinator, w.Customer.ID, nakamawashi.PaymentTerms{CloseDay: 31, MonthsLater: 5})
	wantField(t, err, "close_day", "err.order.terms_day")
	wantField(t, err, "months_later", "err.order.terms_months")
	if ps, err := s.FindPayables(w.ShopOwners[0], nakamawashi.PayableFilter{}); err != nil || len(ps) != 0 {
		t.Fatalf("payables before any work is done: %+v, %v", ps, err)
	}
	// Past its step's planned finish, the lot is late for everyone who sees it.
	if cust.Lots[0].Late || cust.Late {
		t.Fatalf("lot late on the day of the order: %+v", cust.Lots[0])
	}
	if late, n, err := s.FindOrders(w.Coordinator, nakamawashi.FlowFilter{Late: true}); err != nil || n != 0 || len(late) != 0 {
		t.Fatalf("late orders on the day of the order: %d, %v", n, err)
	}
	e.clock.Add(time.Duration(w.Today().DaysUntil(lot.Due)+1) * 24 * time.Hour)
	if got, err := s.FindOrderByID(w.CustomerOwner, o.ID); err != nil || !got.Lots[0].Late || !got.Late {
		t.Fatalf("lot after its due date %s: %+v, %v", lot.Due, got.Lots[0], err)
	}
	// The order is late in lists too, and the office can ask for the late ones.
	late, n, err := s.FindOrders(w.Coordinator, nakamawashi.FlowFilter{Late: true})
	if err != nil || n != 1 || len(late) != 1 || late[0].ID != o.ID || !late[0].Late {
		t.Fatalf("late orders: %+v, %d, %v", late, n, err)
	}
	if mine, _, err := s.FindOrders(w.CustomerOwner, nakamawashi.FlowFilter{}); err != nil || len(mine) != 1 || !mine[0].Late {
		t.Fatalf("the customer's list does not say late: %+v, %v", mine, err)
	}
	if got, err := s.FindLotByCode(w.ShopOwners[0], lot.Code); err != nil || !got.Late {
		t.Fatalf("lot after its due date for its shop: %+v, %v", got, err)
	}
}

func testFlowOrderIllegal(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s

	// A step without a chosen answer.
	inq := w.NewInquiry(t)
	steps := w.Route(t, inq)
	var rs []*nakamawashi.Request
	for i, st := range steps {
		rs = append(rs, w.Answer(t, w.Ask(t, st.ID, i), i, 10000, 2))
	}
	for _, r := range rs[:2] {
		if err := s.ChooseAnswer(w.Coordinator, r.ID); err != nil {
			t.Fatal(err)
		}
	}
	qt := w.DraftQuote(t, inq.ID, inq.Parts[0], rs)
	if _, err := s.SendQuote(w.Coordinator, qt.ID); err == nil {
		_, err = s.AcceptQuote(w.CustomerOwner, qt.ID, "")
		wantError(t, err, nakamawashi.ECONFLICT, "err.order.step_unchosen")
		if !strings.Contains(nakamawashi.Localize(nakamawashi.Japanese, "err.order.step_unchosen", "駆動シャフト", 3, "めっき"), "工程3") {
			t.Errorf("the message does not name the step")
		}
	} else {
		t.Logf("SendQuote refuses a quote with an unchosen step: %v", err)
	}

	// Other people cannot accept the quote.
	ord := w.QuotedInquiry(t)
	_, err := s.AcceptQuote(w.OtherCustomerOwner, ord.Quote.ID, "")
	wantCode(t, err, nakamawashi.ENOTFOUND)
	_, err = s.AcceptQuote(w.ShopOwners[0], ord.Quote.ID, "")
	wantCode(t, err, nakamawashi.ENOTFOUND)

	// An expired quote is expired, not accepted.
	e.clock.Add(time.Duration(w.Today().DaysUntil(ord.Quote.ValidUntil)+1) * 24 * time.Hour)
	_, err = s.AcceptQuote(w.CustomerOwner, ord.Quote.ID, "")
	wantError(t, err, nakamawashi.ECONFLICT, "err.order.quote_expired")
	if got, err := s.FindQuoteByID(w.Coordinator, ord.Quote.ID); err != nil || got.Status != nakamawashi.QuoteExpired {
		t.Fatalf("quote after a late acceptance: %v, %v", got.Status, err)
	}
	_, err = s.AcceptQuote(w.CustomerOwner, ord.Quote.ID, "")
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")
	if n := e.count(`SELECT COUNT(*) FROM orders`); n != 0 {
		t.Fatalf("orders after refused acceptances: %d", n)
	}

	// Illegal scans, an unfinished delivery.
	o := w.AcceptedOrder(t)
	_, err = s.ScanLot(w.ShopOwners[0], o.Lot.Code, &nakamawashi.LotScan{Action: nakamawashi.LotFinish, Good: 10})
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")
	_, err = s.ScanLot(w.ShopOwners[0], o.Lot.Code, &nakamawashi.LotScan{Action: nakamawashi.LotReceive})
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")
	_, err = s.ScanLot(w.ShopOwners[0], o.Lot.Code, &nakamawashi.LotScan{Action: "deliver"})
	wantCode(t, err, nakamawashi.EINVALID)
	_, err = s.CreateDelivery(w.Coordinator, o.Order.ID, []int64{o.Lot.ID}, nakamawashi.Date{}, "")
	wantError(t, err, nakamawashi.ECONFLICT, "err.order.lot_not_completed")
	_, err = s.CreateDelivery(w.Coordinator, o.Order.ID, nil, nakamawashi.Date{}, "")
	wantError(t, err, nakamawashi.ECONFLICT, "err.order.no_lots")
	o.Scan(t, 0, nakamawashi.LotStart, 0, 0)
	_, err = s.ScanLot(w.ShopOwners[0], o.Lot.Code, &nakamawashi.LotScan{Action: nakamawashi.LotFinish, Good: 8, Defect: 1})
	wantField(t, err, "good", "err.flow.counts_sum")
	o.Scan(t, 0, nakamawashi.LotFinish, 10, 0)
	o.Scan(t, 0, nakamawashi.LotHandoff, 0, 0)
	// Receipt by the wrong shop: the lot goes to shop 1.
	_, err = s.ScanLot(w.ShopOwners[2], o.Lot.Code, &nakamawashi.LotScan{Action: nakamawashi.LotReceive})
	wantError(t, err, nakamawashi.EFORBIDDEN, "err.order.lot_wrong_shop")
	_, err = s.ScanLot(w.ShopOwners[0], o.Lot.Code, &nakamawashi.LotScan{Action: nakamawashi.LotReceive})
	wantError(t, err, nakamawashi.EFORBIDDEN, "err.order.lot_wrong_shop")
	_, err = s.ScanLot(w.ShopOwners[1], o.Lot.Code, &nakamawashi.LotScan{Action: nakamawashi.LotStart})
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")
	// An accepted delivery cannot be accepted again; a cancelled order…
	if _, err := s.AcceptWorkOrder(w.ShopOwners[0], o.Order.WorkOrders[0].ID); nakamawashi.ErrorCode(err) != nakamawashi.ECONFLICT {
		t.Fatalf("accepting a done work order: %v", err)
	}
	if err := s.CancelOrder(w.Coordinator, o.Order.ID, "取消"); nakamawashi.ErrorCode(err) != nakamawashi.ECONFLICT {
		t.Fatalf("cancelling an order in progress: %v", err)
	}
	l := o.Travel2(t)
	if l.Status != nakamawashi.LotCompleted {
		t.Fatalf("lot: %s", l.Status)
	}
	d, err := s.CreateDelivery(w.Coordinator, o.Order.ID, nil, nakamawashi.Date{}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateDelivery(w.Coordinator, o.Order.ID, []int64{o.Lot.ID}, nakamawashi.Date{}, "")
	wantError(t, err, nakamawashi.ECONFLICT, "err.order.lot_not_completed")
	accept := &nakamawashi.Acceptance{Lines: []nakamawashi.AcceptanceLine{{LotID: o.Lot.ID, Accepted: 10}}}
	_, err = s.AcceptDelivery(w.OtherCustomerOwner, d.ID, accept)
	wantCode(t, err, nakamawashi.ENOTFOUND)
	_, err = s.AcceptDelivery(w.CustomerOwner, d.ID, &nakamawashi.Acceptance{})
	wantField(t, err, "lines", "err.order.acceptance_line")
	if _, err := s.AcceptDelivery(w.CustomerOwner, d.ID, accept); err != nil {
		t.Fatal(err)
	}
	_, err = s.AcceptDelivery(w.CustomerOwner, d.ID, accept)
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")
}

// Travel2 takes a lot that shop 0 has handed off through shops 1 and 2.
func (o *Ordered) Travel2(t testing.TB) *nakamawashi.Lot {
	t.Helper()
	var l *nakamawashi.Lot
	for i := 1; i < 3; i++ {
		o.Scan(t, i, nakamawashi.LotReceive, 0, 0)
		l = o.Scan(t, i, nakamawashi.LotStart, 0, 0)
		l = o.Scan(t, i, nakamawashi.LotFinish, l.Good, 0)
		if i < 2 {
			o.Scan(t, i, nakamawashi.LotHandoff, 0, 0)
		}
	}
	return l
}

// testFlowOrderCrash fails AcceptQuote at each of its fail points, as a
// crash would, and finds nothing of it left; then it succeeds.
func testFlowOrderCrash(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	st := s.(*sqlstore.Store)
	q := w.QuotedInquiry(t)
	crash := errors.New("crash")
	tables := []string{"orders", "work_orders", "lots", "lot_events", "deliveries", "invoices"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = e.count(`SELECT COUNT(*) FROM ` + tb)
	}
	docs := e.count(`SELECT COUNT(*) FROM documents`)
	notes := e.count(`SELECT COUNT(*) FROM notifications`)
	events := e.events()
	for _, point := range []string{"accept_quote.after_order", "accept_quote.after_work_orders"} {
		var reached bool
		st.FailPoint = func(name string) error {
			if name == point {
				reached = true
				return crash
			}
			return nil
		}
		_, err := s.AcceptQuote(w.CustomerOwner, q.Quote.ID, "")
		if err == nil || !reached {
			t.Fatalf("%s: AcceptQuote: %v (fail point reached: %v)", point, err, reached)
		}
		for _, tb := range tables {
			if n := e.count(`SELECT COUNT(*) FROM ` + tb); n != before[tb] {
				t.Errorf("%s: %s: got %d rows, want %d", point, tb, n, before[tb])
			}
		}
		if n := e.count(`SELECT COUNT(*) FROM documents`); n != docs {
			t.Errorf("%s: documents: got %d, want %d", point, n, docs)
		}
		if n := e.count(`SELECT COUNT(*) FROM notifications`); n != notes {
			t.Errorf("%s: notifications: got %d, want %d", point, n, notes)
		}
		if n := e.events(); n != events {
			t.Errorf("%s: audit events: got %d, want %d", point, n, events)
		}
		if got, err := s.FindQuoteByID(w.Coordinator, q.Quote.ID); err != nil || got.Status != nakamawashi.QuoteSent {
			t.Fatalf("%s: quote: %v, %v", point, got.Status, err)
		}
		if inq, err := s.FindInquiryByID(w.Coordinator, q.Inquiry.ID); err != nil || inq.Status != nakamawashi.InquiryQuoted {
			t.Fatalf("%s: inquiry: %v, %v", point, inq.Status, err)
		}
		for _, r := range append(q.Requests[:], q.Losing) {
			if got, err := s.FindRequestByID(w.Coordinator, r.ID); err != nil || got.Status != nakamawashi.RequestAnswered {
				t.Fatalf("%s: request %d: %v, %v", point, r.ID, got.Status, err)
			}
		}
	}
	st.FailPoint = nil
	o, err := s.AcceptQuote(w.CustomerOwner, q.Quote.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	// The numbers taken by the failed attempts were rolled back too.
	if !strings.HasSuffix(o.Number, "-00001") {
		t.Errorf("order number after two failed attempts: %s", o.Number)
	}
	if n := e.count(`SELECT COUNT(*) FROM work_orders`); n != 3 {
		t.Errorf("work orders: %d", n)
	}
	if _, err := s.VerifyAuditChain(e.sys); err != nil {
		t.Fatal(err)
	}
}

func testFlowOrderCancel(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	o := w.AcceptedOrder(t)
	if _, err := s.AcceptWorkOrder(w.ShopOwners[1], o.Order.WorkOrders[1].ID); err != nil {
		t.Fatal(err)
	}
	err := s.CancelOrder(w.CustomerOwner, o.Order.ID, "不要になった")
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	if err := s.CancelOrder(w.Coordinator, o.Order.ID, "お客様のご都合"); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindOrderByID(w.Coordinator, o.Order.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != nakamawashi.OrderCancelled {
		t.Fatalf("order: %s", got.Status)
	}
	for i, wo := range got.WorkOrders {
		if wo.Status != nakamawashi.WorkOrderCancelled {
			t.Errorf("work order %d: %s", i, wo.Status)
		}
		if n := e.count(`SELECT COUNT(*) FROM notifications WHERE company_id = ? AND kind = 'workorder.cancelled'`, wo.CompanyID); n != 1 {
			t.Errorf("shop %d cancellation notices: %d", i, n)
		}
	}
	_, err = s.ScanLot(w.ShopOwners[0], o.Lot.Code, &nakamawashi.LotScan{Action: nakamawashi.LotStart})
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")
	err = s.CancelOrder(w.Coordinator, o.Order.ID, "")
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")
}

// testFlowOrderMonthly runs two orders to acceptance and checks the
// consolidated invoice of the period and the payables' tax, computed once
// per shop and payment month.
func testFlowOrderMonthly(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	reg := "T" + corporateNumber(78)
	if _, err := s.UpdateCompany(w.Sys, w.Office.ID, nakamawashi.CompanyUpdate{RegistrationNumber: &reg}); err != nil {
		t.Fatal(err)
	}
	var orders []*Ordered
	for range 2 {
		o := w.OrderWithPrices(t, [3]int64{10005, 20000, 7003})
		o.Travel(t)
		d, err := s.CreateDelivery(w.Coordinator, o.Order.ID, nil, nakamawashi.Date{}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AcceptDelivery(w.Coordinator, d.ID, &nakamawashi.Acceptance{Lines: []nakamawashi.AcceptanceLine{{LotID: o.Lot.ID, Accepted: 10}}}); err != nil {
			t.Fatal(err)
		}
		orders = append(orders, o)
	}
	today := w.Today()
	// Another customer's period has nothing.
	_, err := s.CreateInvoice(w.Coordinator, &nakamawashi.CreateInvoice{CustomerID: w.OtherCustomer.ID, PeriodFrom: today.AddDays(-10), PeriodTo: today})
	wantError(t, err, nakamawashi.ECONFLICT, "err.order.nothing_to_invoice")
	// Orders of another customer cannot go on the invoice.
	_, err = s.CreateInvoice(w.Coordinator, &nakamawashi.CreateInvoice{CustomerID: w.OtherCustomer.ID, OrderIDs: []int64{orders[0].Order.ID}})
	wantField(t, err, "order_ids", "err.order.invoice_customer")
	inv, err := s.CreateInvoice(w.Coordinator, &nakamawashi.CreateInvoice{CustomerID: w.Customer.ID, PeriodFrom: today.AddDays(-10), PeriodTo: today})
	if err != nil {
		t.Fatal(err)
	}
	var sub int64
	for _, l := range inv.Lines {
		sub += l.Amount
	}
	if len(inv.Lines) != 2 || len(inv.OrderIDs) != 2 || inv.Subtotal != sub || inv.Tax != tax10(sub) ||
		inv.PeriodFrom != today.AddDays(-10) || inv.PeriodTo != today || inv.DueDate != today.EndOfMonth().AddDays(1).EndOfMonth() {
		t.Fatalf("consolidated invoice: %+v", inv)
	}
	for _, o := range orders {
		if got, _ := s.FindOrderByID(w.Coordinator, o.Order.ID); got.Status != nakamawashi.OrderInvoiced {
			t.Errorf("order %s: %s", got.Number, got.Status)
		}
	}
	wantDoc(t, s, w, nakamawashi.DocInvoice, inv.Number, w.Office.ID, w.Customer.ID)

	// Shop 0 has two work orders of ¥10,005 paid the same month: tax once
	// on ¥20,010 is ¥2,001, not 2 × ¥1,000.
	ps, err := s.FindPayables(w.ShopOwners[0], nakamawashi.PayableFilter{})
	if err != nil || len(ps) != 2 {
		t.Fatalf("shop 0's payables: %+v, %v", ps, err)
	}
	if ps[0].PaymentDate.Time().Month() != ps[1].PaymentDate.Time().Month() || ps[0].Tax+ps[1].Tax != 2001 || ps[0].Tax != 1000 {
		t.Fatalf("shop 0's payables tax: %d + %d (paid %s, %s), want 1000 + 1001", ps[0].Tax, ps[1].Tax, ps[0].PaymentDate, ps[1].PaymentDate)
	}
	all, err := s.FindPayables(w.Coordinator, nakamawashi.PayableFilter{From: ps[0].PaymentDate, To: ps[0].PaymentDate})
	if err != nil || len(all) != 6 {
		t.Fatalf("the office's payables on %s: %d, %v", ps[0].PaymentDate, len(all), err)
	}
	if got, err := s.FindPayables(w.Coordinator, nakamawashi.PayableFilter{CompanyID: w.Shops[2].ID}); err != nil || len(got) != 2 || got[0].Tax+got[1].Tax != 1400 {
		t.Fatalf("shop 2's payables for the office: %+v, %v", got, err)
	}
	if _, err := s.FindPayables(w.Coordinator, nakamawashi.PayableFilter{From: ps[0].PaymentDate.AddDays(1), To: ps[0].PaymentDate.AddDays(1)}); err != nil {
		t.Fatal(err)
	}
}

// testFlowOrderConcurrency accepts one quote from several connections at
// once, and presses one traveler button twice at once: one wins, the
// others are told the record changed.
func testFlowOrderConcurrency(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	q := w.QuotedInquiry(t)
	const n = 4
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := s.AcceptQuote(w.CustomerOwner, q.Quote.ID, "")
			errs <- err
		}()
	}
	won := 0
	for range n {
		if err := <-errs; err == nil {
			won++
		} else if nakamawashi.ErrorCode(err) != nakamawashi.ECONFLICT {
			t.Errorf("a concurrent AcceptQuote: %v, want ECONFLICT", err)
		}
	}
	if won != 1 || e.count(`SELECT COUNT(*) FROM orders`) != 1 || e.count(`SELECT COUNT(*) FROM work_orders`) != 3 || e.count(`SELECT COUNT(*) FROM lots`) != 1 {
		t.Fatalf("%d acceptances won; %d orders", won, e.count(`SELECT COUNT(*) FROM orders`))
	}
	code := ""
	if err := s.(*sqlstore.Store).DB().QueryRow(`SELECT code FROM lots`).Scan(&code); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		go func() {
			_, err := s.ScanLot(w.ShopOwners[0], code, &nakamawashi.LotScan{Action: nakamawashi.LotStart})
			errs <- err
		}()
	}
	won = 0
	for range 2 {
		if err := <-errs; err == nil {
			won++
		} else if nakamawashi.ErrorCode(err) != nakamawashi.ECONFLICT {
			t.Errorf("a concurrent start: %v, want ECONFLICT", err)
		}
	}
	if won != 1 || e.count(`SELECT COUNT(*) FROM lot_events`) != 1 {
		t.Fatalf("%d starts won, %d lot events", won, e.count(`SELECT COUNT(*) FROM lot_events`))
	}
}
