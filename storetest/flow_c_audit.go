package storetest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func init() {
	register("FlowAuditPrivacy", testFlowAuditPrivacy)
}

// readAudit reads every event of the caller's audit view, page by page.
func readAudit(t *testing.T, s nakamawashi.Store, ctx context.Context) []*nakamawashi.AuditEvent {
	t.Helper()
	var out []*nakamawashi.AuditEvent
	for {
		page, total, err := s.FindAuditEvents(ctx, nakamawashi.AuditFilter{Offset: len(out), Limit: 100})
		if err != nil {
			t.Fatalf("FindAuditEvents: %v", err)
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out
		}
	}
}

// detailNames reports whether an event's detail holds company id under a
// key that names a company ("company_id", "viewer_company_id", …).
func detailNames(detail string, id int64) bool {
	var m map[string]any
	if json.Unmarshal([]byte(detail), &m) != nil {
		return false
	}
	for k, v := range m {
		if n, ok := v.(float64); ok && strings.Contains(k, "company") && int64(n) == id {
			return true
		}
	}
	return false
}

// testFlowAuditPrivacy runs whole flows — one to the invoice with a
// drawing every shop opened, one quote rejected and one inquiry cancelled
// with a request out — and reads each party's own audit log: the
// customer's names no shop's person, company or price; a shop's names no
// customer's person or company. The office's log keeps what the others
// may not see, with the real actor.
func testFlowAuditPrivacy(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	reg := "T" + corporateNumber(77)
	if _, err := s.UpdateCompany(w.Sys, w.Office.ID, nakamawashi.CompanyUpdate{RegistrationNumber: &reg}); err != nil {
		t.Fatal(err)
	}

	// The whole flow, with a drawing that every shop opens while its
	// request is answered.
	q := w.QuotedInquiry(t)
	d, err := s.AddDrawing(w.CustomerOwner, q.Part.ID, 0, drawingFile("HR-2026-01.pdf", 0))
	if err != nil {
		t.Fatal(err)
	}
	for i := range w.ShopOwners {
		if _, err := s.OpenDrawing(w.ShopOwners[i], d.ID, 0); err != nil {
			t.Fatalf("shop %d OpenDrawing: %v", i, err)
		}
	}
	o, err := s.AcceptQuote(w.CustomerOwner, q.Quote.ID, "発注します。")
	if err != nil {
		t.Fatal(err)
	}
	if o, err = s.FindOrderByID(w.Coordinator, o.ID); err != nil {
		t.Fatal(err)
	}
	ord := &Ordered{Quoted: q, Order: o, Lot: o.Lots[0]}
	if _, err := s.AcceptWorkOrder(w.ShopOwners[1], o.WorkOrders[1].ID); err != nil {
		t.Fatal(err)
	}
	ord.Travel(t)
	dl, err := s.CreateDelivery(w.Coordinator, o.ID, nil, nakamawashi.Date{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AcceptDelivery(w.CustomerOwner, dl.ID, &nakamawashi.Acceptance{
		Lines: []nakamawashi.AcceptanceLine{{LotID: ord.Lot.ID, Accepted: ord.Lot.Quantity}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateInvoice(w.Coordinator, &nakamawashi.CreateInvoice{CustomerID: w.Customer.ID, OrderIDs: []int64{o.ID}}); err != nil {
		t.Fatal(err)
	}
	// A quote the customer rejects: the shops' requests are lost.
	rejected := w.QuotedInquiry(t)
	if err := s.RejectQuote(w.CustomerOwner, rejected.Quote.ID, "予算超過"); err != nil {
		t.Fatal(err)
	}
	// An inquiry the customer cancels with a request out: withdrawn.
	cancelled := w.NewInquiry(t)
	steps := w.Route(t, cancelled)
	w.Ask(t, steps[0].ID, 0)
	if err := s.CancelInquiry(w.CustomerOwner, cancelled.ID, "計画変更"); err != nil {
		t.Fatal(err)
	}

	customer := nakamawashi.ActorFromContext(w.CustomerOwner)
	var shops [3]*nakamawashi.Actor
	for i := range shops {
		shops[i] = nakamawashi.ActorFromContext(w.ShopOwners[i])
	}
	// The customer's log.
	own := readAudit(t, s, w.CustomerOwner)
	actions := map[string]bool{}
	for _, ev := range own {
		actions[ev.Action] = true
		where := "the customer's audit log: " + ev.Action + " " + ev.Detail
		if ev.CompanyID != w.Customer.ID {
			t.Errorf("%s: an event of company %d", where, ev.CompanyID)
		}
		for i, sh := range shops {
			if ev.ActorUserID == sh.UserID || strings.Contains(ev.ActorName, sh.UserName) {
				t.Errorf("%s: done by shop %d's %s", where, i, ev.ActorName)
			}
			if strings.Contains(ev.Detail, w.Shops[i].Name) || detailNames(ev.Detail, w.Shops[i].ID) {
				t.Errorf("%s: names shop %d", where, i)
			}
		}
		if strings.Contains(ev.Detail, "price_yen") {
			t.Errorf("%s: a shop's price", where)
		}
	}
	// It still tells the customer's own story.
	for _, a := range []string{"inquiry.create", "drawing.add", "quote.send", "quote.accept", "order.create", "lot.create",
		"delivery.create", "delivery.accept", "invoice.create", "quote.reject", "inquiry.cancel"} {
		if !actions[a] {
			t.Errorf("the customer's audit log has no %s", a)
		}
	}
	if actions["order.start"] || actions["drawing.view"] || actions["step.choose"] {
		t.Errorf("the customer's audit log has a shop's act or choice: %v", actions)
	}

	// Each shop's log.
	for i := range shops {
		for _, ev := range readAudit(t, s, w.ShopOwners[i]) {
			where := "shop " + itoa(i) + "'s audit log: " + ev.Action + " " + ev.Detail
			if ev.CompanyID != w.Shops[i].ID {
				t.Errorf("%s: an event of company %d", where, ev.CompanyID)
			}
			if ev.ActorUserID == customer.UserID || strings.Contains(ev.ActorName, customer.UserName) {
				t.Errorf("%s: done by the customer's %s", where, ev.ActorName)
			}
			if strings.Contains(ev.Detail, w.Customer.Name) || detailNames(ev.Detail, w.Customer.ID) {
				t.Errorf("%s: names the customer", where)
			}
			for j, other := range shops {
				if j != i && ev.ActorUserID == other.UserID {
					t.Errorf("%s: done by shop %d's %s", where, j, ev.ActorName)
				}
			}
		}
	}

	// The office keeps them all, with who really acted.
	office := readAudit(t, s, w.Admin)
	found := func(action string, company, user int64) bool {
		for _, ev := range office {
			if ev.Action == action && ev.CompanyID == company && ev.ActorUserID == user {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		action  string
		company int64
		user    int64
	}{
		{"order.start", w.Office.ID, shops[0].UserID},
		{"drawing.view", w.Office.ID, shops[2].UserID},
		{"step.choose", w.Office.ID, nakamawashi.ActorFromContext(w.Coordinator).UserID},
		{"work_order.create", w.Office.ID, customer.UserID},
		{"request.award", w.Office.ID, customer.UserID},
		{"request.lose", w.Office.ID, customer.UserID},
		{"request.withdraw", w.Office.ID, customer.UserID},
		{"lot.start", w.Shops[1].ID, shops[1].UserID},
		{"work_order.accept", w.Shops[1].ID, shops[1].UserID},
		{"request.answer", w.Shops[0].ID, shops[0].UserID},
	} {
		if !found(c.action, c.company, c.user) {
			t.Errorf("the office's audit view has no %s of company %d by user %d", c.action, c.company, c.user)
		}
	}
	if _, err := s.VerifyAuditChain(w.Sys); err != nil {
		t.Fatal(err)
	}
}
