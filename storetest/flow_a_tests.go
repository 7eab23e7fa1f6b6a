package storetest

import (
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func init() {
	register("FlowQuoteHappyPath", testFlowQuoteHappyPath)
}

// flowEnv is a fresh store with the suite's clock and a FlowWorld.
func flowEnv(t *testing.T, h Harness) (*env, *FlowWorld) {
	e := newEnv(t, h)
	return e, NewFlowWorld(t, e.s)
}

func testFlowQuoteHappyPath(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	q := w.QuotedInquiry(t)

	if q.Inquiry.Number == "" || q.Inquiry.OfficeID != w.Office.ID || q.Inquiry.Status != nakamawashi.InquirySubmitted {
		t.Fatalf("created inquiry: number %q, office %d (want %d), status %q", q.Inquiry.Number, q.Inquiry.OfficeID, w.Office.ID, q.Inquiry.Status)
	}
	// The office sees the chosen shops and the costing.
	got, err := s.FindInquiryByID(w.Coordinator, q.Inquiry.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != nakamawashi.InquiryQuoted || len(got.Parts) != 1 || len(got.Parts[0].Steps) != 3 {
		t.Fatalf("inquiry after SendQuote: status %q, %d parts", got.Status, len(got.Parts))
	}
	for i, st := range got.Parts[0].Steps {
		if st.CompanyID != w.Shops[i].ID || st.RequestID != q.Requests[i].ID || st.CompanyName != w.Shops[i].Name || st.Process != FlowProcesses[i] {
			t.Errorf("step %d: got shop %d %q request %d process %q, want %d %d %q", i, st.CompanyID, st.CompanyName, st.RequestID, st.Process,
				w.Shops[i].ID, q.Requests[i].ID, FlowProcesses[i])
		}
	}
	if q.Quote.Status != nakamawashi.QuoteSent || q.Quote.SentAt == nil || q.Quote.Version != 1 || q.Quote.Number == "" {
		t.Fatalf("sent quote: %+v", q.Quote)
	}
	if q.Quote.PaymentTerms != "月末締め翌月末払い" {
		t.Errorf("payment terms: got %q", q.Quote.PaymentTerms)
	}
	office, err := s.FindQuoteByID(w.Coordinator, q.Quote.ID)
	if err != nil {
		t.Fatal(err)
	}
	if office.Costing == nil || len(office.Costing.Steps) != 3 || office.Costing.PartnerYen != 48000+36000+12000 {
		t.Fatalf("office's costing: %+v", office.Costing)
	}
	if len(office.Lines) != 1 || office.Lines[0].Quantity != 10 || office.Subtotal != office.Lines[0].Amount || office.Total != office.Subtotal+office.Tax {
		t.Fatalf("quote lines and totals: %+v", office)
	}
	// The customer sees one price and one date, no partners.
	cust, err := s.FindQuoteByID(w.CustomerOwner, q.Quote.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cust.Costing != nil || cust.Total != office.Total || cust.PromisedDate != office.PromisedDate {
		t.Fatalf("customer's quote: costing %+v, total %d, promised %s", cust.Costing, cust.Total, cust.PromisedDate)
	}
	ci, err := s.FindInquiryByID(w.CustomerOwner, q.Inquiry.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range ci.Parts[0].Steps {
		if st.CompanyID != 0 || st.CompanyName != "" || st.RequestID != 0 {
			t.Fatalf("customer sees a step's shop: %+v", st)
		}
	}
	// Each shop sees its request, answered.
	for i, r := range q.Requests {
		got, err := s.FindRequestByID(w.ShopOwners[i], r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != nakamawashi.RequestAnswered || got.Answer == nil || got.Answer.PriceYen != r.Answer.PriceYen || got.Process != FlowProcesses[i] ||
			got.PartName != "駆動シャフト" || got.Quantity != 10 {
			t.Fatalf("shop %d's request: %+v", i, got)
		}
	}
	// The 見積書 was issued from the office to the customer.
	docs := e.count(`SELECT COUNT(*) FROM documents WHERE kind = ? AND entity_id = ? AND issuer_id = ? AND counterparty_id = ? AND total = ?`,
		string(nakamawashi.DocQuote), q.Quote.ID, w.Office.ID, w.Customer.ID, q.Quote.Total)
	if docs != 1 {
		t.Fatalf("見積書 documents: got %d, want 1", docs)
	}
	// Notifications: the office of the inquiry and the answers, each shop
	// of its request, the customer of the quote.
	for _, c := range []struct {
		company int64
		kind    string
		want    int
	}{{w.Office.ID, "inquiry.submitted", 1}, {w.Office.ID, "request.answered", 4}, {w.Shops[1].ID, "request.sent", 2},
		{w.Shops[0].ID, "request.sent", 1}, {w.Customer.ID, "quote.sent", 1}} {
		if n := e.count(`SELECT COUNT(*) FROM notifications WHERE company_id = ? AND kind = ?`, c.company, c.kind); n != c.want {
			t.Errorf("notifications %s to %d: got %d, want %d", c.kind, c.company, n, c.want)
		}
	}
	// Every transition left its audit event.
	for _, action := range []string{"inquiry.create", "inquiry.route", "request.send", "request.answer", "step.choose", "quote.create",
		"quote.send", "inquiry.quote", "document.issue"} {
		if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE action = ?`, action); n == 0 {
			t.Errorf("no audit event %s", action)
		}
	}
	if _, err := s.VerifyAuditChain(e.sys); err != nil {
		t.Fatal(err)
	}
}
