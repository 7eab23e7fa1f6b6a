package storetest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func init() {
	register("FlowDocuments", testFlowDocuments)
	register("FlowNotifications", testFlowNotifications)
	register("FlowFindInquiries", testFlowFindInquiries)
}

func testFlowDocuments(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	q := w.QuotedInquiry(t)
	today := w.Today()

	docs, n, err := s.FindDocuments(w.Admin, nakamawashi.DocumentFilter{Kind: nakamawashi.DocQuote})
	if err != nil || n != 1 {
		t.Fatalf("見積書: %v, %d", err, n)
	}
	doc, err := s.FindDocumentByID(w.CustomerOwner, docs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	d := doc.Data
	if doc.Number != q.Quote.Number || doc.IssuerID != w.Office.ID || doc.CounterpartyID != w.Customer.ID || doc.Total != q.Quote.Total ||
		doc.Date != today || d.Issuer.Name != w.Office.Name || d.Recipient.Name != w.Customer.Name || len(d.Items) != 1 ||
		d.ValidUntil != q.Quote.ValidUntil || d.DeliveryDate != q.Quote.PromisedDate || d.PaymentTerms != "月末締め翌月末払い" ||
		d.Items[0].Quantity != nakamawashi.Units(10) || d.Items[0].UnitPrice != q.Quote.Lines[0].UnitPrice {
		t.Fatalf("見積書 as issued: %+v, data %+v", doc, d)
	}

	// The records search: each condition, combined; scoped by company.
	total := q.Quote.Total
	for _, c := range []struct {
		name string
		f    nakamawashi.DocumentFilter
		want int
	}{
		{"all", nakamawashi.DocumentFilter{}, 1},
		{"kind", nakamawashi.DocumentFilter{Kind: nakamawashi.DocInvoice}, 0},
		{"dates", nakamawashi.DocumentFilter{From: today, To: today}, 1},
		{"later", nakamawashi.DocumentFilter{From: today.AddDays(1)}, 0},
		{"earlier", nakamawashi.DocumentFilter{To: today.AddDays(-1)}, 0},
		{"amount", nakamawashi.DocumentFilter{MinAmount: ptr(total), MaxAmount: ptr(total)}, 1},
		{"above", nakamawashi.DocumentFilter{MinAmount: ptr(total + 1)}, 0},
		{"below", nakamawashi.DocumentFilter{MaxAmount: ptr(total - 1)}, 0},
		{"counterparty", nakamawashi.DocumentFilter{CounterpartyID: w.Customer.ID}, 1},
		{"other counterparty", nakamawashi.DocumentFilter{CounterpartyID: w.OtherCustomer.ID}, 0},
		{"name", nakamawashi.DocumentFilter{Counterparty: "羽田"}, 1},
		{"other name", nakamawashi.DocumentFilter{Counterparty: "蒲田"}, 0},
		{"number", nakamawashi.DocumentFilter{Number: strings.ToLower(q.Quote.Number[:6])}, 1},
		{"combined", nakamawashi.DocumentFilter{Kind: nakamawashi.DocQuote, From: today, MinAmount: ptr(int64(1)), Counterparty: "ロボ"}, 1},
	} {
		if _, n, err := s.FindDocuments(w.Coordinator, c.f); err != nil || n != c.want {
			t.Errorf("%s: got %d (%v), want %d", c.name, n, err, c.want)
		}
	}
	if _, n, err := s.FindDocuments(w.CustomerOwner, nakamawashi.DocumentFilter{}); err != nil || n != 1 {
		t.Fatalf("customer's records: %d, %v", n, err)
	}
	if _, n, err := s.FindDocuments(w.OtherCustomerOwner, nakamawashi.DocumentFilter{}); err != nil || n != 0 {
		t.Fatalf("other customer's records: %d, %v", n, err)
	}
	if _, n, err := s.FindDocuments(w.ShopOwners[0], nakamawashi.DocumentFilter{CounterpartyID: w.Customer.ID}); err != nil || n != 0 {
		t.Fatalf("a shop searching the customer's records: %d, %v", n, err)
	}
	_, err = s.FindDocumentByID(w.OtherCustomerOwner, doc.ID)
	wantError(t, err, nakamawashi.ENOTFOUND, "err.document.not_found")
	_, _, err = s.FindDocuments(w.Coordinator, nakamawashi.DocumentFilter{Kind: "receipt"})
	wantField(t, err, "kind", "err.document.kind")

	// A correction is a new version; the old one is kept as issued.
	fixed := *doc.Data
	fixed.Items = append([]nakamawashi.DocItem(nil), doc.Data.Items...)
	fixed.Items[0].UnitPrice -= 100
	_, err = s.CorrectDocument(w.Coordinator, doc.ID, &fixed, "")
	wantField(t, err, "reason", "err.document.reason")
	_, err = s.CorrectDocument(w.CustomerOwner, doc.ID, &fixed, "単価の誤り")
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	moved := fixed
	moved.Recipient.CompanyID = w.OtherCustomer.ID
	_, err = s.CorrectDocument(w.Coordinator, doc.ID, &moved, "宛先変更")
	wantField(t, err, "recipient", "err.document.recipient")
	v2, err := s.CorrectDocument(w.Coordinator, doc.ID, &fixed, "単価の誤り")
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.Number != doc.Number || v2.Superseded || v2.Reason != "単価の誤り" || v2.Total >= doc.Total || v2.Date != doc.Date {
		t.Fatalf("corrected version: %+v", v2)
	}
	old, err := s.FindDocumentByID(w.Admin, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !old.Superseded || old.Total != doc.Total || old.Data.Items[0].UnitPrice != doc.Data.Items[0].UnitPrice {
		t.Fatalf("old version after the correction: %+v", old)
	}
	if _, n, _ := s.FindDocuments(w.Admin, nakamawashi.DocumentFilter{}); n != 1 {
		t.Fatalf("current versions: %d, want 1", n)
	}
	if _, n, _ := s.FindDocuments(w.Admin, nakamawashi.DocumentFilter{AllVersions: true}); n != 2 {
		t.Fatalf("all versions: %d, want 2", n)
	}
	_, err = s.CorrectDocument(w.Coordinator, doc.ID, &fixed, "もう一度")
	wantError(t, err, nakamawashi.ECONFLICT, "err.document.superseded")
	if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE action = ?`, "document.correct"); n != 1 {
		t.Fatalf("document.correct events: %d", n)
	}
	// The database itself refuses to change or remove an issued document.
	if err := h.Exec(t, s, `UPDATE documents SET data = ? WHERE id = ?`, `{"items":[]}`, v2.ID); err == nil {
		t.Fatal("UPDATE of a document's data was accepted")
	}
	if err := h.Exec(t, s, `UPDATE documents SET total = ? WHERE id = ?`, 1, doc.ID); err == nil {
		t.Fatal("UPDATE of a document's total was accepted")
	}
	if err := h.Exec(t, s, `DELETE FROM documents WHERE id = ?`, doc.ID); err == nil {
		t.Fatal("DELETE of a document was accepted")
	}
	if got, _ := s.FindDocumentByID(w.Admin, v2.ID); got.Data.Items[0].UnitPrice != fixed.Items[0].UnitPrice {
		t.Fatal("document changed under the trigger")
	}
}

func testFlowNotifications(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	q := w.QuotedInquiry(t)

	ns, err := s.FindNotifications(w.ShopOwners[0], false, 0)
	if err != nil || len(ns) != 1 {
		t.Fatalf("shop 0's notifications: %v, %d", err, len(ns))
	}
	if ns[0].Kind != "request.sent" || !strings.Contains(ns[0].Text, "駆動シャフト") || !strings.Contains(ns[0].Text, "NC旋盤") || ns[0].Read {
		t.Fatalf("request notification: %+v", ns[0])
	}
	cs, err := s.FindNotifications(w.CustomerOwner, true, 10)
	if err != nil || len(cs) != 1 || cs[0].Text != nakamawashi.Localize(nakamawashi.Japanese, "notify.quote.sent", cs[0].Message.Args...) ||
		!strings.Contains(cs[0].Text, "第1版") || cs[0].Link != "/inquiries/"+strconv.FormatInt(q.Inquiry.ID, 10)+"#quote-"+strconv.FormatInt(q.Quote.ID, 10) {
		t.Fatalf("customer's notifications: %v, %+v", err, cs)
	}
	// Marking another company's notification does nothing.
	if err := s.MarkNotificationsRead(w.ShopOwners[1], []int64{ns[0].ID}); err != nil {
		t.Fatal(err)
	}
	if un, _ := s.FindNotifications(w.ShopOwners[0], true, 0); len(un) != 1 {
		t.Fatalf("unread after another company marked it: %d", len(un))
	}
	if err := s.MarkNotificationsRead(w.ShopOwners[0], []int64{ns[0].ID}); err != nil {
		t.Fatal(err)
	}
	if un, _ := s.FindNotifications(w.ShopOwners[0], true, 0); len(un) != 0 {
		t.Fatalf("unread after marking: %d", len(un))
	}
	if all, _ := s.FindNotifications(w.ShopOwners[0], false, 0); len(all) != 1 || !all[0].Read {
		t.Fatalf("read notification: %+v", all)
	}

	// E-mail: the system's job only.
	_, err = s.PendingEmails(w.Admin, 10)
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	err = s.MarkEmailed(w.Admin, []int64{1})
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	pending, err := s.PendingEmails(e.sys, 100)
	if err != nil {
		t.Fatal(err)
	}
	total := e.count(`SELECT COUNT(*) FROM notifications`)
	seen := map[int64]bool{}
	var ids []int64
	for _, p := range pending {
		if !seen[p.Notification.ID] {
			seen[p.Notification.ID] = true
			ids = append(ids, p.Notification.ID)
		}
		if p.Notification.CompanyID == w.Shops[0].ID && (len(p.To) != 1 || p.To[0] != "flow-shop0@example.jp" || p.Notification.Text == "") {
			t.Fatalf("shop 0's e-mail: %+v", p)
		}
	}
	if len(ids) != total {
		t.Fatalf("pending e-mails cover %d notifications, want %d", len(ids), total)
	}
	if err := s.MarkEmailed(e.sys, ids); err != nil {
		t.Fatal(err)
	}
	if pending, _ := s.PendingEmails(e.sys, 100); len(pending) != 0 {
		t.Fatalf("pending after marking: %d", len(pending))
	}
}

func testFlowFindInquiries(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	q := w.QuotedInquiry(t)
	other := &nakamawashi.Inquiry{CustomerID: w.OtherCustomer.ID, Title: "検査治具", DeliveryPlace: "蒲田",
		Parts: []*nakamawashi.Part{{Name: "治具ベース", Material: "A5052", Quantity: 2}}}
	if err := s.CreateInquiry(w.Coordinator, other); err != nil {
		t.Fatal(err)
	}
	if other.OfficeID != w.Office.ID || other.CustomerName != w.OtherCustomer.Name {
		t.Fatalf("inquiry on behalf of a customer: office %d, customer %q", other.OfficeID, other.CustomerName)
	}
	today := w.Today()
	for _, c := range []struct {
		name string
		f    nakamawashi.FlowFilter
		want []int64
	}{
		{"all", nakamawashi.FlowFilter{}, []int64{other.ID, q.Inquiry.ID}},
		{"customer", nakamawashi.FlowFilter{CompanyID: w.Customer.ID}, []int64{q.Inquiry.ID}},
		{"name", nakamawashi.FlowFilter{Counterparty: "蒲田"}, []int64{other.ID}},
		{"status", nakamawashi.FlowFilter{Status: string(nakamawashi.InquiryQuoted)}, []int64{q.Inquiry.ID}},
		{"dates", nakamawashi.FlowFilter{From: today, To: today}, []int64{other.ID, q.Inquiry.ID}},
		{"tomorrow", nakamawashi.FlowFilter{From: today.AddDays(1)}, nil},
		{"amount", nakamawashi.FlowFilter{MinAmount: ptr(q.Quote.Total), MaxAmount: ptr(q.Quote.Total)}, []int64{q.Inquiry.ID}},
		{"above", nakamawashi.FlowFilter{MinAmount: ptr(q.Quote.Total + 1)}, nil},
		{"page", nakamawashi.FlowFilter{Limit: 1, Offset: 1}, []int64{q.Inquiry.ID}},
	} {
		got, n, err := s.FindInquiries(w.Admin, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var ids []int64
		for _, g := range got {
			ids = append(ids, g.ID)
		}
		if len(ids) != len(c.want) || (len(ids) > 0 && ids[0] != c.want[0]) {
			t.Errorf("%s: got %v (%d), want %v", c.name, ids, n, c.want)
		}
	}
	// A shop lists no inquiries.
	if _, n, err := s.FindInquiries(w.ShopOwners[0], nakamawashi.FlowFilter{}); err != nil || n != 0 {
		t.Fatalf("shop's inquiries: %d, %v", n, err)
	}
	_, _, err := s.FindInquiries(t.Context(), nakamawashi.FlowFilter{})
	wantCode(t, err, nakamawashi.EUNAUTHORIZED)
}
