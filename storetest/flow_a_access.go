package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

func init() {
	register("FlowAccess", testFlowAccess)
	register("FlowDrawings", testFlowDrawings)
	register("FlowTransitions", testFlowTransitions)
	register("FlowValidation", testFlowValidation)
	register("FlowSendQuoteCrash", testFlowSendQuoteCrash)
	register("FlowRequote", testFlowRequote)
}

func drawingFile(name string, b byte) *nakamawashi.DrawingVersion {
	return &nakamawashi.DrawingVersion{FileName: name, ContentType: "application/pdf", Size: 48213, SHA256: strings.Repeat(string(rune('a'+b)), 64)}
}

func testFlowAccess(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	q := w.QuotedInquiry(t)

	// Another customer sees nothing of it.
	_, err := s.FindInquiryByID(w.OtherCustomerOwner, q.Inquiry.ID)
	wantError(t, err, nakamawashi.ENOTFOUND, "err.inquiry.not_found")
	_, err = s.FindQuoteByID(w.OtherCustomerOwner, q.Quote.ID)
	wantError(t, err, nakamawashi.ENOTFOUND, "err.quote.not_found")
	_, err = s.FindQuotes(w.OtherCustomerOwner, q.Inquiry.ID)
	wantCode(t, err, nakamawashi.ENOTFOUND)
	if list, n, err := s.FindInquiries(w.OtherCustomerOwner, nakamawashi.FlowFilter{}); err != nil || n != 0 || len(list) != 0 {
		t.Fatalf("other customer's inquiries: %d, %v", n, err)
	}
	if list, n, err := s.FindInquiries(w.CustomerOwner, nakamawashi.FlowFilter{}); err != nil || n != 1 || list[0].ID != q.Inquiry.ID {
		t.Fatalf("customer's inquiries: %d, %v", n, err)
	}
	err = s.RejectQuote(w.OtherCustomerOwner, q.Quote.ID, "")
	wantCode(t, err, nakamawashi.ENOTFOUND)
	err = s.CancelInquiry(w.OtherCustomerOwner, q.Inquiry.ID, "")
	wantCode(t, err, nakamawashi.ENOTFOUND)

	// A shop sees its own requests only; a request to another shop is not there.
	_, err = s.FindRequestByID(w.ShopOwners[2], q.Requests[0].ID)
	wantError(t, err, nakamawashi.ENOTFOUND, "err.request.not_found")
	_, err = s.AnswerRequest(w.ShopOwners[2], q.Requests[0].ID, &nakamawashi.Answer{PriceYen: 1, LeadDays: 1, EarliestStart: w.Today()})
	wantError(t, err, nakamawashi.ENOTFOUND, "err.request.not_found")
	rs, n, err := s.FindRequests(w.ShopOwners[1], nakamawashi.RequestFilter{})
	if err != nil || n != 2 {
		t.Fatalf("shop 1's requests: %d, %v", n, err)
	}
	for _, r := range rs {
		if r.CompanyID != w.Shops[1].ID {
			t.Fatalf("shop 1 sees a request to %d", r.CompanyID)
		}
	}
	// Asking for another shop's requests does not widen the scope.
	if _, n, err := s.FindRequests(w.ShopOwners[1], nakamawashi.RequestFilter{CompanyID: w.Shops[0].ID}); err != nil || n != 0 {
		t.Fatalf("shop 1 asking for shop 0's requests: %d, %v", n, err)
	}
	if _, n, err := s.FindRequests(w.Coordinator, nakamawashi.RequestFilter{InquiryID: q.Inquiry.ID}); err != nil || n != 4 {
		t.Fatalf("office's requests: %d, %v", n, err)
	}
	if _, n, err := s.FindRequests(w.CustomerOwner, nakamawashi.RequestFilter{InquiryID: q.Inquiry.ID}); err != nil || n != 0 {
		t.Fatalf("the customer sees %d requests (%v)", n, err)
	}
	// Shops and customers do not coordinate.
	_, err = s.SetRouting(w.ShopOwners[0], q.Part.ID, []nakamawashi.StepInput{{Process: "turning.nc"}})
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	err = s.ChooseAnswer(w.CustomerOwner, q.Losing.ID)
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	_, err = s.SendQuote(w.CustomerOwner, q.Quote.ID)
	wantCode(t, err, nakamawashi.EFORBIDDEN)

	// The customer never sees Costing, drafts or the shops of steps.
	draft := w.DraftQuote(t, q.Inquiry.ID, q.Part, q.Requests[:])
	_, err = s.FindQuoteByID(w.CustomerOwner, draft.ID)
	wantError(t, err, nakamawashi.ENOTFOUND, "err.quote.not_found")
	qs, err := s.FindQuotes(w.CustomerOwner, q.Inquiry.ID)
	if err != nil || len(qs) != 1 || qs[0].ID != q.Quote.ID || qs[0].Costing != nil {
		t.Fatalf("customer's quotes: %v, %+v", err, qs)
	}
	oqs, err := s.FindQuotes(w.Coordinator, q.Inquiry.ID)
	if err != nil || len(oqs) != 2 || oqs[1].Costing == nil {
		t.Fatalf("office's quotes: %v, %d", err, len(oqs))
	}
	inq, err := s.FindInquiryByID(w.CustomerOwner, q.Inquiry.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range inq.Parts[0].Steps {
		if st.CompanyID != 0 || st.CompanyName != "" || st.RequestID != 0 {
			t.Fatalf("customer sees a step's shop: %+v", st)
		}
	}
	// Anonymous callers are turned away.
	_, err = s.FindInquiryByID(t.Context(), q.Inquiry.ID)
	wantCode(t, err, nakamawashi.EUNAUTHORIZED)
}

func testFlowDrawings(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	q := w.NewInquiry(t)
	steps := w.Route(t, q)
	part := q.Parts[0]

	d, err := s.AddDrawing(w.CustomerOwner, part.ID, 0, drawingFile("HR-2026-01.pdf", 0))
	if err != nil {
		t.Fatal(err)
	}
	v2 := drawingFile("HR-2026-01_rev2.pdf", 1)
	v2.Note = "穴位置変更"
	d, err = s.AddDrawing(w.CustomerOwner, part.ID, d.ID, v2)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Versions) != 2 || d.Latest().Version != 2 || d.Latest().Note != "穴位置変更" || d.Name != "HR-2026-01.pdf" {
		t.Fatalf("drawing after a revision: %+v", d)
	}
	inq, err := s.FindInquiryByID(w.CustomerOwner, q.ID)
	if err != nil || len(inq.Parts[0].Drawings) != 1 || len(inq.Parts[0].Drawings[0].Versions) != 2 {
		t.Fatalf("inquiry's drawings: %v", err)
	}
	_, err = s.AddDrawing(w.OtherCustomerOwner, part.ID, 0, drawingFile("x.pdf", 2))
	wantCode(t, err, nakamawashi.ENOTFOUND)
	_, err = s.AddDrawing(w.ShopOwners[0], part.ID, 0, drawingFile("x.pdf", 2))
	wantCode(t, err, nakamawashi.ENOTFOUND)

	views := 0
	open := func(who int, version int) {
		t.Helper()
		ctx := w.ShopOwners[who]
		v, err := s.OpenDrawing(ctx, d.ID, version)
		if err != nil {
			t.Fatalf("shop %d OpenDrawing: %v", who, err)
		}
		views++
		if version == 0 && v.Version != 2 || version != 0 && v.Version != version {
			t.Fatalf("opened version %d, asked %d", v.Version, version)
		}
	}
	refused := func(who int) {
		t.Helper()
		_, err := s.OpenDrawing(w.ShopOwners[who], d.ID, 0)
		wantError(t, err, nakamawashi.ENOTFOUND, "err.drawing.not_found")
	}
	// Before any request, no shop sees it.
	refused(0)
	r0 := w.Ask(t, steps[0].ID, 0)
	open(0, 0)
	open(0, 1)
	_, err = s.OpenDrawing(w.OutsiderOwner, d.ID, 0)
	wantCode(t, err, nakamawashi.ENOTFOUND)
	refused(1)
	// A declined request ends access.
	r1 := w.Ask(t, steps[1].ID, 1)
	open(1, 0)
	if _, err := s.AnswerRequest(w.ShopOwners[1], r1.ID, &nakamawashi.Answer{Declined: true, DeclineReason: "設備が埋まっています"}); err != nil {
		t.Fatal(err)
	}
	refused(1)
	// A withdrawn one too.
	r2 := w.Ask(t, steps[2].ID, 2)
	open(2, 0)
	if err := s.WithdrawRequest(w.Coordinator, r2.ID); err != nil {
		t.Fatal(err)
	}
	refused(2)
	// An answered request keeps access past its deadline; an unanswered
	// one loses it at the deadline.
	w.Answer(t, r0, 0, 10000, 2)
	late := w.Ask(t, steps[2].ID, 1)
	open(1, 0)
	e.clock.Add(nakamawashi.DefaultRequestHours*time.Hour + time.Minute)
	refused(1)
	open(0, 0)
	// The customer and the office open it too; each view is recorded.
	for _, ctx := range []context.Context{w.CustomerOwner, w.Coordinator} {
		if _, err := s.OpenDrawing(ctx, d.ID, 0); err != nil {
			t.Fatal(err)
		}
		views++
	}
	if got, _ := s.FindRequestByID(w.ShopOwners[1], late.ID); got.Status != nakamawashi.RequestExpired {
		t.Fatalf("unanswered request past its deadline: %s", got.Status)
	}
	vs, err := s.FindDrawingViews(w.Coordinator, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != views {
		t.Fatalf("drawing views: got %d, want %d", len(vs), views)
	}
	if vs[0].CompanyID != w.Shops[0].ID || vs[0].UserName == "" || vs[0].At.IsZero() {
		t.Fatalf("first view: %+v", vs[0])
	}
	// The customer sees every view, but no shop's person or company.
	cvs, err := s.FindDrawingViews(w.CustomerOwner, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cvs) != views {
		t.Fatalf("drawing views for the customer: got %d, want %d", len(cvs), views)
	}
	for i, v := range cvs {
		shop := vs[i].CompanyID != w.Customer.ID && vs[i].CompanyID != w.Office.ID
		if shop && (v.CompanyID != 0 || v.UserID != 0 || v.UserName != "") || !shop && *v != *vs[i] || v.At.IsZero() {
			t.Fatalf("view %d for the customer: %+v (the office sees %+v)", i, v, vs[i])
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_events WHERE action = ? AND entity_id = ?`, "drawing.view", d.ID); n != views {
		t.Fatalf("drawing.view audit events: got %d, want %d", n, views)
	}
	_, err = s.FindDrawingViews(w.ShopOwners[0], d.ID)
	wantCode(t, err, nakamawashi.ENOTFOUND)
	_, err = s.FindDrawingViews(w.OtherCustomerOwner, d.ID)
	wantCode(t, err, nakamawashi.ENOTFOUND)
	// A version that does not exist.
	_, err = s.OpenDrawing(w.CustomerOwner, d.ID, 9)
	wantCode(t, err, nakamawashi.ENOTFOUND)
}

func testFlowTransitions(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	q := w.QuotedInquiry(t)

	// Sending a sent quote.
	_, err := s.SendQuote(w.Coordinator, q.Quote.ID)
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")
	// Changing the routing after requests went out.
	_, err = s.SetRouting(w.Coordinator, q.Part.ID, []nakamawashi.StepInput{{Process: "turning.nc"}})
	wantCode(t, err, nakamawashi.ECONFLICT)

	// A second inquiry: requests, deadlines, choices.
	q2 := w.NewInquiry(t)
	steps := w.Route(t, q2)
	_, err = s.SetRouting(w.Coordinator, q2.Parts[0].ID, []nakamawashi.StepInput{{Process: "turning.nc"}, {Process: "inspection.cmm"}})
	if err != nil {
		t.Fatalf("routing again before requests: %v", err)
	}
	steps = w.Route(t, q2)
	r := w.Ask(t, steps[0].ID, 0)
	_, err = s.SetRouting(w.Coordinator, q2.Parts[0].ID, []nakamawashi.StepInput{{Process: "turning.nc"}})
	wantError(t, err, nakamawashi.ECONFLICT, "err.routing.requests_sent")
	err = s.ChooseAnswer(w.Coordinator, r.ID)
	wantError(t, err, nakamawashi.ECONFLICT, "err.request.not_answered")
	_, err = s.SendRequests(w.Coordinator, &nakamawashi.SendRequests{StepID: steps[0].ID, CompanyIDs: []int64{w.Shops[0].ID}})
	wantError(t, err, nakamawashi.ECONFLICT, "err.request.exists")
	// Answering after the deadline: refused, and the request is expired for good.
	e.clock.Add(nakamawashi.DefaultRequestHours*time.Hour + time.Second)
	_, err = s.AnswerRequest(w.ShopOwners[0], r.ID, &nakamawashi.Answer{PriceYen: 5000, LeadDays: 2, EarliestStart: w.Today()})
	wantError(t, err, nakamawashi.ECONFLICT, "err.request.deadline")
	if n := e.count(`SELECT COUNT(*) FROM requests WHERE id = ? AND status = ?`, r.ID, "expired"); n != 1 {
		t.Fatalf("request after a late answer is not expired")
	}
	got, err := s.FindRequestByID(w.ShopOwners[0], r.ID)
	if err != nil || got.Status != nakamawashi.RequestExpired {
		t.Fatalf("expired request: %v, %v", err, got)
	}
	// ExpireRequests closes the ones left.
	r2 := w.Ask(t, steps[1].ID, 2)
	if got, _ := s.FindRequestByID(w.ShopOwners[2], r2.ID); got.Status != nakamawashi.RequestSent {
		t.Fatalf("fresh request: %s", got.Status)
	}
	if _, n, _ := s.FindRequests(w.Coordinator, nakamawashi.RequestFilter{Status: []nakamawashi.RequestStatus{nakamawashi.RequestSent}}); n != 1 {
		t.Fatalf("open requests: %d", n)
	}
	e.clock.Add(nakamawashi.DefaultRequestHours*time.Hour + time.Second)
	if got, _ := s.FindRequestByID(w.ShopOwners[2], r2.ID); got.Status != nakamawashi.RequestExpired {
		t.Fatalf("request past its deadline reads as %s", got.Status)
	}
	if _, n, _ := s.FindRequests(w.Coordinator, nakamawashi.RequestFilter{Status: []nakamawashi.RequestStatus{nakamawashi.RequestExpired}}); n != 2 {
		t.Fatalf("expired requests: %d, want 2", n)
	}
	n, err := s.ExpireRequests(w.Coordinator)
	if err != nil || n != 1 {
		t.Fatalf("ExpireRequests: %d, %v", n, err)
	}
	if n, _ := s.ExpireRequests(e.sys); n != 0 {
		t.Fatalf("ExpireRequests again: %d", n)
	}
	_, err = s.ExpireRequests(w.ShopOwners[0])
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	err = s.WithdrawRequest(w.Coordinator, r2.ID)
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")

	// The customer rejects the first quote: the inquiry is lost, the
	// requests lost, no more quoting.
	if err := s.RejectQuote(w.CustomerOwner, q.Quote.ID, "予算超過のため"); err != nil {
		t.Fatal(err)
	}
	inq, _ := s.FindInquiryByID(w.Coordinator, q.Inquiry.ID)
	if inq.Status != nakamawashi.InquiryLost {
		t.Fatalf("inquiry after rejection: %s", inq.Status)
	}
	if n := e.count(`SELECT COUNT(*) FROM requests WHERE inquiry_id = ? AND status = ?`, q.Inquiry.ID, "lost"); n != 4 {
		t.Fatalf("requests lost with the inquiry: %d, want 4", n)
	}
	qt, _ := s.FindQuoteByID(w.CustomerOwner, q.Quote.ID)
	if qt.Status != nakamawashi.QuoteRejected || qt.DecisionNote != "予算超過のため" || qt.DecidedAt == nil {
		t.Fatalf("rejected quote: %+v", qt)
	}
	err = s.RejectQuote(w.CustomerOwner, q.Quote.ID, "")
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")
	err = s.CreateQuote(w.Coordinator, &nakamawashi.Quote{InquiryID: q.Inquiry.ID, Subject: "再見積", PromisedDate: w.Today().AddDays(30),
		Lines: []nakamawashi.QuoteLine{{Description: "駆動シャフト", Quantity: 10, Unit: "個", UnitPrice: 1000, Rate: nakamawashi.RateStandard}}})
	wantError(t, err, nakamawashi.ECONFLICT, "err.inquiry.not_routing")
	err = s.CancelInquiry(w.CustomerOwner, q.Inquiry.ID, "")
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")

	// Cancelling the second inquiry withdraws its open requests.
	r3 := w.Ask(t, steps[0].ID, 1)
	if err := s.CancelInquiry(w.CustomerOwner, q2.ID, "計画変更"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindRequestByID(w.ShopOwners[1], r3.ID); got.Status != nakamawashi.RequestWithdrawn {
		t.Fatalf("request of a cancelled inquiry: %s", got.Status)
	}
	_, err = s.SendRequests(w.Coordinator, &nakamawashi.SendRequests{StepID: steps[1].ID, CompanyIDs: []int64{w.Shops[1].ID}})
	wantError(t, err, nakamawashi.ECONFLICT, "err.inquiry.not_routing")
	if n := e.count(`SELECT COUNT(*) FROM notifications WHERE company_id = ? AND kind = ?`, w.Office.ID, "inquiry.cancelled"); n != 1 {
		t.Fatalf("office told of the cancellation: %d", n)
	}
}

func testFlowValidation(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	err := s.CreateInquiry(w.CustomerOwner, &nakamawashi.Inquiry{CustomerID: w.Customer.ID})
	wantField(t, err, "title", "err.required")
	wantField(t, err, "parts", "err.flow.parts_required")
	wantCode(t, err, nakamawashi.EINVALID)
	err = s.CreateInquiry(w.CustomerOwner, &nakamawashi.Inquiry{CustomerID: w.Customer.ID, Title: "試作",
		Parts: []*nakamawashi.Part{{Name: "軸", Quantity: 0}}})
	wantField(t, err, "parts.0.quantity", "err.range")
	// For another company: forbidden.
	err = s.CreateInquiry(w.CustomerOwner, &nakamawashi.Inquiry{CustomerID: w.OtherCustomer.ID, Title: "試作",
		Parts: []*nakamawashi.Part{{Name: "軸", Quantity: 1}}})
	wantCode(t, err, nakamawashi.EFORBIDDEN)
	// A coordinator on behalf of a company that does not exist.
	err = s.CreateInquiry(w.Coordinator, &nakamawashi.Inquiry{CustomerID: 99999, Title: "試作",
		Parts: []*nakamawashi.Part{{Name: "軸", Quantity: 1}}})
	wantField(t, err, "customer_id", "err.inquiry.customer")

	q := w.NewInquiry(t)
	_, err = s.SetRouting(w.Coordinator, q.Parts[0].ID, []nakamawashi.StepInput{{Process: "turning.nc"}, {Process: "magic"}})
	wantField(t, err, "steps.1.process", "err.flow.process")
	_, err = s.SetRouting(w.Coordinator, 99999, []nakamawashi.StepInput{{Process: "turning.nc"}})
	wantError(t, err, nakamawashi.ENOTFOUND, "err.inquiry.part_not_found")
	steps := w.Route(t, q)
	_, err = s.SendRequests(w.Coordinator, &nakamawashi.SendRequests{StepID: steps[0].ID, CompanyIDs: []int64{w.OtherCustomer.ID}})
	wantField(t, err, "company_ids", "err.request.not_supplier")
	_, err = s.SendRequests(w.Coordinator, &nakamawashi.SendRequests{StepID: steps[0].ID})
	wantField(t, err, "company_ids", "err.flow.companies_required")
	_, err = s.SendRequests(w.Coordinator, &nakamawashi.SendRequests{StepID: steps[0].ID, CompanyIDs: []int64{w.Shops[0].ID},
		Deadline: w.Now().Add(-time.Hour)})
	wantField(t, err, "deadline", "err.flow.past_date")
	r := w.Ask(t, steps[0].ID, 0)
	_, err = s.AnswerRequest(w.ShopOwners[0], r.ID, &nakamawashi.Answer{PriceYen: 0, LeadDays: 400, EarliestStart: w.Today().AddDays(-1)})
	wantField(t, err, "price_yen", "err.range")
	wantField(t, err, "lead_days", "err.range")
	wantField(t, err, "earliest_start", "err.flow.past_date")
	_, err = s.AnswerRequest(w.ShopOwners[0], r.ID, &nakamawashi.Answer{Declined: true})
	wantField(t, err, "decline_reason", "err.required")
	err = s.CreateQuote(w.Coordinator, &nakamawashi.Quote{InquiryID: q.ID, Subject: "見積", PromisedDate: w.Today().AddDays(-1),
		Lines: []nakamawashi.QuoteLine{{PartID: 99999, Description: "軸", Quantity: 1, UnitPrice: 100, Rate: nakamawashi.RateStandard}}})
	wantField(t, err, "promised_date", "err.flow.past_date")
	err = s.CreateQuote(w.Coordinator, &nakamawashi.Quote{InquiryID: q.ID, Subject: "見積", PromisedDate: w.Today().AddDays(20),
		Lines: []nakamawashi.QuoteLine{{PartID: 99999, Description: "軸", Quantity: 1, UnitPrice: 100, Rate: nakamawashi.RateStandard}}})
	wantField(t, err, "lines.0.part_id", "err.quote.part")
	bad := drawingFile("図面.exe", 0)
	bad.ContentType, bad.SHA256, bad.Size = "application/x-msdownload", "xyz", nakamawashi.MaxDrawingBytes+1
	_, err = s.AddDrawing(w.CustomerOwner, q.Parts[0].ID, 0, bad)
	wantField(t, err, "content_type", "err.drawing.content_type")
	wantField(t, err, "sha256", "err.drawing.sha256")
	wantField(t, err, "size", "err.drawing.size")
	err = s.CreateRoutingTemplate(w.Coordinator, &nakamawashi.RoutingTemplate{Name: "", Steps: []nakamawashi.StepInput{{Process: "turning.nc"}}})
	wantField(t, err, "name", "err.required")

	// Templates: the defaults until one is stored; names are unique.
	ts, err := s.FindRoutingTemplates(w.Coordinator)
	if err != nil || len(ts) != len(sqlstore.DefaultRoutingTemplates) || len(ts[0].Steps) != 6 {
		t.Fatalf("default templates: %v, %d", err, len(ts))
	}
	for _, tpl := range ts {
		in := append([]nakamawashi.StepInput(nil), tpl.Steps...)
		if err := nakamawashi.ValidateRouting(in); err != nil {
			t.Fatalf("default template %s: %v", tpl.Name, err)
		}
	}
	tpl := &nakamawashi.RoutingTemplate{Name: "旋盤→研削", Steps: []nakamawashi.StepInput{{Process: "turning.nc"}, {Process: "grinding.cylindrical"}}}
	if err := s.CreateRoutingTemplate(w.Coordinator, tpl); err != nil || tpl.ID == 0 {
		t.Fatalf("CreateRoutingTemplate: %v", err)
	}
	err = s.CreateRoutingTemplate(w.Coordinator, &nakamawashi.RoutingTemplate{Name: "旋盤→研削", Steps: tpl.Steps})
	wantField(t, err, "name", "err.routing.template_exists")
	if ts, _ := s.FindRoutingTemplates(w.Coordinator); len(ts) != 1 || ts[0].Name != "旋盤→研削" || len(ts[0].Steps) != 2 {
		t.Fatalf("stored templates: %+v", ts)
	}
	_, err = s.FindRoutingTemplates(w.CustomerOwner)
	wantCode(t, err, nakamawashi.EFORBIDDEN)

	// Nothing invalid was written.
	if n := e.count(`SELECT COUNT(*) FROM inquiries`); n != 1 {
		t.Fatalf("inquiries: %d, want 1", n)
	}
}

func testFlowSendQuoteCrash(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	st := s.(*sqlstore.Store)
	q := w.NewInquiry(t)
	steps := w.Route(t, q)
	var chosen []*nakamawashi.Request
	for i, step := range steps {
		r := w.Answer(t, w.Ask(t, step.ID, i), i, 10000*int64(i+1), 2)
		if err := s.ChooseAnswer(w.Coordinator, r.ID); err != nil {
			t.Fatal(err)
		}
		chosen = append(chosen, r)
	}
	draft := w.DraftQuote(t, q.ID, q.Parts[0], chosen)
	events := e.events()
	crash := errors.New("crash after the 見積書 was issued")
	st.FailPoint = func(name string) error {
		if name == "SendQuote.issued" {
			return crash
		}
		return nil
	}
	if _, err := s.SendQuote(w.Coordinator, draft.ID); !errors.Is(err, crash) {
		t.Fatalf("SendQuote with a crash: %v", err)
	}
	st.FailPoint = nil
	if n := e.count(`SELECT COUNT(*) FROM documents`); n != 0 {
		t.Fatalf("documents after the crash: %d", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM notifications WHERE kind = ?`, "quote.sent"); n != 0 {
		t.Fatalf("notifications after the crash: %d", n)
	}
	got, err := s.FindQuoteByID(w.Coordinator, draft.ID)
	if err != nil || got.Status != nakamawashi.QuoteDraft || got.SentAt != nil {
		t.Fatalf("quote after the crash: %v, %+v", err, got)
	}
	inq, _ := s.FindInquiryByID(w.Coordinator, q.ID)
	if inq.Status != nakamawashi.InquiryRouting {
		t.Fatalf("inquiry after the crash: %s", inq.Status)
	}
	if got := e.events(); got != events {
		t.Fatalf("audit events after the crash: %d, want %d", got, events)
	}
	// And then it goes through.
	if _, err := s.SendQuote(w.Coordinator, draft.ID); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT COUNT(*) FROM documents`); n != 1 {
		t.Fatalf("documents: %d", n)
	}
}

func testFlowRequote(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	q := w.QuotedInquiry(t)
	v1 := q.Quote

	// A new version goes back to routing; the customer still has v1.
	v2 := w.DraftQuote(t, q.Inquiry.ID, q.Part, q.Requests[:])
	if v2.Version != 2 || v2.Number != v1.Number || v2.Status != nakamawashi.QuoteDraft {
		t.Fatalf("second version: %+v", v2)
	}
	inq, _ := s.FindInquiryByID(w.Coordinator, q.Inquiry.ID)
	if inq.Status != nakamawashi.InquiryRouting {
		t.Fatalf("inquiry while requoting: %s", inq.Status)
	}
	// A third draft supersedes the second at once.
	v3 := w.DraftQuote(t, q.Inquiry.ID, q.Part, q.Requests[:])
	if got, _ := s.FindQuoteByID(w.Coordinator, v2.ID); got.Status != nakamawashi.QuoteSuperseded {
		t.Fatalf("older draft: %s", got.Status)
	}
	if got, _ := s.FindQuoteByID(w.CustomerOwner, v1.ID); got.Status != nakamawashi.QuoteSent {
		t.Fatalf("v1 while requoting: %s", got.Status)
	}
	if _, err := s.SendQuote(w.Coordinator, v3.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindQuoteByID(w.CustomerOwner, v1.ID); got.Status != nakamawashi.QuoteSuperseded {
		t.Fatalf("v1 after v3 was sent: %s", got.Status)
	}
	qs, err := s.FindQuotes(w.CustomerOwner, q.Inquiry.ID)
	if err != nil || len(qs) != 3 || qs[2].Version != 3 || qs[2].Status != nakamawashi.QuoteSent {
		t.Fatalf("customer's versions: %v, %d", err, len(qs))
	}
	for _, qt := range qs {
		if qt.Costing != nil {
			t.Fatal("customer sees a costing")
		}
	}
	inq, _ = s.FindInquiryByID(w.Coordinator, q.Inquiry.ID)
	if inq.Status != nakamawashi.InquiryQuoted {
		t.Fatalf("inquiry after v3: %s", inq.Status)
	}
	// The 見積書 of v3 is the current version of the number; v1's is kept, superseded.
	docs, n, err := s.FindDocuments(w.Admin, nakamawashi.DocumentFilter{Number: v1.Number, AllVersions: true})
	if err != nil || n != 2 {
		t.Fatalf("見積書 versions: %v, %d", err, n)
	}
	for _, d := range docs {
		if (d.EntityID == v1.ID) != d.Superseded {
			t.Fatalf("document %d of quote %d: superseded %v", d.Version, d.EntityID, d.Superseded)
		}
	}
	// The old version cannot be sent any more.
	_, err = s.SendQuote(w.Coordinator, v2.ID)
	wantError(t, err, nakamawashi.ECONFLICT, "err.flow.transition")
}
