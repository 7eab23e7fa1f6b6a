package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func init() {
	register("FlowPayment", testFlowPayment)
}

// Invoiced builds, in w, an AcceptedOrder taken through every step,
// delivered, accepted in full and invoiced by the office, and returns the
// invoice. The order's office needs its registration number (set here).
func (w *FlowWorld) Invoiced(t testing.TB) *nakamawashi.Invoice {
	t.Helper()
	s := w.Store
	o := w.AcceptedOrder(t)
	reg := "T" + corporateNumber(77)
	if _, err := s.UpdateCompany(w.Sys, o.Order.OfficeID, nakamawashi.CompanyUpdate{RegistrationNumber: &reg}); err != nil {
		t.Fatalf("UpdateCompany: %v", err)
	}
	for _, wo := range o.Order.WorkOrders {
		for i, shop := range w.Shops {
			if wo.Status == nakamawashi.WorkOrderIssued && wo.CompanyID == shop.ID {
				if _, err := s.AcceptWorkOrder(w.ShopOwners[i], wo.ID); err != nil {
					t.Fatalf("AcceptWorkOrder: %v", err)
				}
			}
		}
	}
	o.Travel(t)
	dl, err := s.CreateDelivery(w.Coordinator, o.Order.ID, nil, nakamawashi.Date{}, "")
	if err != nil {
		t.Fatalf("CreateDelivery: %v", err)
	}
	if _, err := s.AcceptDelivery(w.CustomerOwner, dl.ID, &nakamawashi.Acceptance{
		Lines: []nakamawashi.AcceptanceLine{{LotID: o.Lot.ID, Accepted: o.Lot.Quantity}}}); err != nil {
		t.Fatalf("AcceptDelivery: %v", err)
	}
	inv, err := s.CreateInvoice(w.Coordinator, &nakamawashi.CreateInvoice{CustomerID: w.Customer.ID, OrderIDs: []int64{o.Order.ID}})
	if err != nil {
		t.Fatalf("CreateInvoice: %v", err)
	}
	return inv
}

// testFlowPayment records a customer's payment of an invoice (入金消込):
// only the office, on a day neither in the future nor before the invoice,
// once; the invoice reads paid with its day, and the audit log has it.
func testFlowPayment(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	inv := w.Invoiced(t)
	today := w.Today()
	if inv.Status != nakamawashi.InvoiceIssued || !inv.PaidOn.IsZero() {
		t.Fatalf("new invoice: %s, paid on %v", inv.Status, inv.PaidOn)
	}

	// Customers and shops may not record a payment.
	for name, ctx := range map[string]context.Context{"customer": w.CustomerOwner, "other customer": w.OtherCustomerOwner,
		"outsider": w.OutsiderOwner, "shop 0": w.ShopOwners[0], "shop 1": w.ShopOwners[1]} {
		if _, err := s.RecordPayment(ctx, inv.ID, today, ""); nakamawashi.ErrorCode(err) != nakamawashi.EFORBIDDEN {
			t.Errorf("%s RecordPayment: %v, want %s", name, err, nakamawashi.EFORBIDDEN)
		}
	}

	// The day: not in the future, not before the invoice, not missing.
	_, err := s.RecordPayment(w.Coordinator, inv.ID, today.AddDays(1), "")
	wantField(t, err, "date", "err.payment.date_future")
	wantCode(t, err, nakamawashi.EINVALID)
	_, err = s.RecordPayment(w.Coordinator, inv.ID, inv.Date.AddDays(-1), "")
	wantField(t, err, "date", "err.payment.date_before")
	wantCode(t, err, nakamawashi.EINVALID)
	_, err = s.RecordPayment(w.Coordinator, inv.ID, nakamawashi.Date{}, "")
	wantField(t, err, "date", "err.payment.date")
	_, err = s.RecordPayment(w.Coordinator, inv.ID, today, strings.Repeat("備", 501))
	wantField(t, err, "note", "err.payment.note_long")
	_, err = s.RecordPayment(w.Coordinator, inv.ID+1000, today, "")
	wantCode(t, err, nakamawashi.ENOTFOUND)
	if got, err := s.FindInvoiceByID(w.Coordinator, inv.ID); err != nil || got.Status != nakamawashi.InvoiceIssued || !got.PaidOn.IsZero() {
		t.Fatalf("invoice after refused payments: %+v, %v", got, err)
	}

	// The office records it; the customer sees it paid on that day.
	paid, err := s.RecordPayment(w.Coordinator, inv.ID, today, " 振込 みずほ銀行 ")
	if err != nil {
		t.Fatal(err)
	}
	if paid.Status != nakamawashi.InvoicePaid || paid.PaidOn != today || paid.Total != inv.Total || len(paid.OrderIDs) != 1 {
		t.Fatalf("paid invoice: %+v", paid)
	}
	for _, ctx := range []context.Context{w.Coordinator, w.CustomerOwner} {
		got, err := s.FindInvoiceByID(ctx, inv.ID)
		if err != nil || got.Status != nakamawashi.InvoicePaid || got.PaidOn != today {
			t.Fatalf("FindInvoiceByID after payment: %+v, %v", got, err)
		}
	}
	list, _, err := s.FindInvoices(w.CustomerOwner, nakamawashi.FlowFilter{Status: string(nakamawashi.InvoicePaid)})
	if err != nil || len(list) != 1 || list[0].PaidOn != today {
		t.Fatalf("FindInvoices(paid): %+v, %v", list, err)
	}

	// Paid once: a second payment is a conflict, and changes nothing.
	_, err = s.RecordPayment(w.Coordinator, inv.ID, today, "")
	wantCode(t, err, nakamawashi.ECONFLICT)
	_, err = s.RecordPayment(w.Admin, inv.ID, inv.Date, "")
	wantCode(t, err, nakamawashi.ECONFLICT)

	// The audit log has the payment with its day, once.
	n := 0
	for _, ev := range readAudit(t, s, w.Admin) {
		if ev.Action == "invoice.pay" && ev.EntityID == inv.ID {
			n++
			if !strings.Contains(ev.Detail, `"paid_on":"`+today.String()+`"`) || !strings.Contains(ev.Detail, "振込 みずほ銀行") {
				t.Errorf("invoice.pay detail: %s", ev.Detail)
			}
		}
	}
	if n != 1 {
		t.Errorf("invoice.pay events: %d, want 1", n)
	}
}
