package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"strings"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/blob"
)

// The order flow in the access matrix: customer C's inquiry for a part
// whose one step (cylindrical grinding) is asked of, answered by and
// ordered from B. Routes that change a record get a fresh flow at the stage
// they act on, so that every allowed call finds its record in the state it
// needs.

// flowFixture is one flow of C with B, and how far it went.
type flowFixture struct {
	inquiry, part, step, drawing int64
	request, quote, order        int64
	workOrder                    int64
	lot                          string
	lotID                        int64
	delivery, invoice            int64
	poDocument                   int64 // the 注文書 to B
}

// stage is how far a fresh flow goes.
type stage int

const (
	stageSubmitted stage = iota // inquiry with a drawing
	stageRouted                 // routing set
	stageAsked                  // request sent to B
	stageAnswered               // B answered
	stageChosen                 // answer chosen
	stageDrafted                // draft quote
	stageQuoted                 // quote sent
	stageOrdered                // quote accepted: order, work order to B, lot
	stageAccepted               // B accepted its work order
	stageCompleted              // the lot finished its one step
	stageDelivered              // delivered to C
	stageInspected              // C accepted the delivery
	stageInvoiced               // invoiced
)

// flowActors are the contexts the fixture acts in.
func (m *matrix) flowActor(key string) context.Context {
	_, a := m.login(key)
	return nakamawashi.NewContextWithActor(context.Background(), a)
}

// flowPrice is B's answer for its step, the amount of its work order:
// only B and the office may see it, as typed or as a page shows it.
const flowPrice = 77777

var flowPrices = []string{"77777", "77,777"}

// flowPDF is a small real PDF, for drawings.
const flowPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// newFlow makes a flow of C with B up to st.
func (m *matrix) newFlow(st stage) *flowFixture {
	m.t.Helper()
	t := m.t
	st0 := m.e.store
	customer, coord, shop := m.flowActor("customer"), m.flowActor("coordinator"), m.flowActor("ownerB")
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("flow fixture: %s: %v", what, err)
		}
	}
	today := nakamawashi.DateOf(timeIn(0))
	f := &flowFixture{}
	q := &nakamawashi.Inquiry{CustomerID: m.e.c.ID, Title: "秘密の試作シャフト", DesiredDate: today.AddDays(60), DeliveryPlace: "ガンマ本社",
		Parts: []*nakamawashi.Part{{DrawingNumber: "G-001", Name: "シャフト", Material: "S45C", Quantity: 5,
			Size: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 30, L: 150}, ToleranceUM: 5}}}
	must("inquiry", st0.CreateInquiry(customer, q))
	f.inquiry, f.part = q.ID, q.Parts[0].ID
	sha, size, err := m.e.server.Blobs.Put(context.Background(), strings.NewReader(flowPDF), nakamawashi.MaxDrawingBytes)
	must("blob", err)
	d, err := st0.AddDrawing(customer, f.part, 0, &nakamawashi.DrawingVersion{FileName: "G-001.pdf", ContentType: "application/pdf", Size: size, SHA256: sha})
	must("drawing", err)
	f.drawing = d.ID
	m.forget()
	if st < stageRouted {
		return f
	}
	steps, err := st0.SetRouting(coord, f.part, []nakamawashi.StepInput{{Process: "grinding.cylindrical"}})
	must("routing", err)
	f.step = steps[0].ID
	if st < stageAsked {
		return f
	}
	rs, err := st0.SendRequests(coord, &nakamawashi.SendRequests{StepID: f.step, CompanyIDs: []int64{m.b.ID}})
	must("requests", err)
	f.request = rs[0].ID
	if st < stageAnswered {
		return f
	}
	_, err = st0.AnswerRequest(shop, f.request, &nakamawashi.Answer{PriceYen: flowPrice, LeadDays: 3, EarliestStart: today.AddDays(1)})
	must("answer", err)
	if st < stageChosen {
		return f
	}
	must("choose", st0.ChooseAnswer(coord, f.request))
	if st < stageDrafted {
		return f
	}
	qt, err := m.e.server.DraftQuote(coord, f.inquiry)
	must("draft", err)
	f.quote = qt.ID
	if st < stageQuoted {
		return f
	}
	_, err = st0.SendQuote(coord, f.quote)
	must("send", err)
	if st < stageOrdered {
		return f
	}
	o, err := st0.AcceptQuote(customer, f.quote, "")
	must("accept", err)
	f.order = o.ID
	o, err = st0.FindOrderByID(coord, o.ID)
	must("order", err)
	if len(o.WorkOrders) != 1 || len(o.Lots) != 1 {
		t.Fatalf("flow fixture: order %d has %d work orders and %d lots", o.ID, len(o.WorkOrders), len(o.Lots))
	}
	f.workOrder, f.lot, f.lotID = o.WorkOrders[0].ID, o.Lots[0].Code, o.Lots[0].ID
	docs, _, err := st0.FindDocuments(coord, nakamawashi.DocumentFilter{Kind: nakamawashi.DocPurchaseOrder, CounterpartyID: m.b.ID, Limit: 500})
	must("documents", err)
	for _, d := range docs {
		if d.EntityID == f.workOrder {
			f.poDocument = d.ID
		}
	}
	if f.poDocument == 0 {
		t.Fatalf("flow fixture: no 注文書 for work order %d", f.workOrder)
	}
	if st < stageAccepted {
		return f
	}
	_, err = st0.AcceptWorkOrder(shop, f.workOrder)
	must("accept work order", err)
	if st < stageCompleted {
		return f
	}
	_, err = st0.ScanLot(shop, f.lot, &nakamawashi.LotScan{Action: nakamawashi.LotStart})
	must("start", err)
	_, err = st0.ScanLot(shop, f.lot, &nakamawashi.LotScan{Action: nakamawashi.LotFinish, Good: 5})
	must("finish", err)
	if st < stageDelivered {
		return f
	}
	dl, err := st0.CreateDelivery(coord, f.order, []int64{f.lotID}, today, "")
	must("delivery", err)
	f.delivery = dl.ID
	if st < stageInspected {
		return f
	}
	_, err = st0.AcceptDelivery(customer, f.delivery, &nakamawashi.Acceptance{Lines: []nakamawashi.AcceptanceLine{{LotID: f.lotID, Accepted: 5}}})
	must("acceptance", err)
	if st < stageInvoiced {
		return f
	}
	inv, err := st0.CreateInvoice(coord, &nakamawashi.CreateInvoice{CustomerID: m.e.c.ID, OrderIDs: []int64{f.order}})
	must("invoice", err)
	f.invoice = inv.ID
	return f
}

// seedFlow gives the server a blob store and makes the flow the read-only
// routes look at: C's inquiry, invoiced, with B's request, work order and
// lot.
func (m *matrix) seedFlow() {
	m.t.Helper()
	bs, err := blob.Open(m.t.TempDir())
	if err != nil {
		m.t.Fatal(err)
	}
	m.e.server.Blobs = bs
	reg := "T7000012050002"
	if _, err := m.e.store.UpdateCompany(m.sys, m.e.office.ID, nakamawashi.CompanyUpdate{RegistrationNumber: &reg}); err != nil {
		m.t.Fatal(err)
	}
	m.flow = m.newFlow(stageInvoiced)
	m.forget()
}

// fresh returns a path parameter that makes a new flow at st each call.
func fresh(st stage, pick func(*flowFixture) string) func(*matrix) string {
	return func(m *matrix) string { f := m.newFlow(st); m.forget(); return pick(f) }
}

// seeded returns a path parameter of the seeded flow.
func seeded(pick func(*flowFixture) string) func(*matrix) string {
	return func(m *matrix) string { return pick(m.flow) }
}

func (f *flowFixture) inquiryID() string   { return itoa(f.inquiry) }
func (f *flowFixture) partID() string      { return itoa(f.part) }
func (f *flowFixture) stepID() string      { return itoa(f.step) }
func (f *flowFixture) drawingID() string   { return itoa(f.drawing) }
func (f *flowFixture) requestID() string   { return itoa(f.request) }
func (f *flowFixture) quoteID() string     { return itoa(f.quote) }
func (f *flowFixture) orderID() string     { return itoa(f.order) }
func (f *flowFixture) workOrderID() string { return itoa(f.workOrder) }
func (f *flowFixture) lotCode() string     { return f.lot }
func (f *flowFixture) deliveryID() string  { return itoa(f.delivery) }
func (f *flowFixture) invoiceID() string   { return itoa(f.invoice) }
func (f *flowFixture) poID() string        { return itoa(f.poDocument) }

// flowAccessRules are the matrix's rules for the order flow.
func flowAccessRules() map[string]accessRule {
	type params = map[string]func(*matrix) string
	ofC := func(perm nakamawashi.Permission) (nakamawashi.Permission, func(*matrix, *nakamawashi.Actor) bool) {
		return perm, func(m *matrix, a *nakamawashi.Actor) bool { return a.Can(perm, m.e.c.ID) }
	}
	// B's shop records: B's own people (and the office acting for them),
	// and the coordinators who sent them.
	shopOrOffice := func(m *matrix, a *nakamawashi.Actor) bool {
		return a.Can(nakamawashi.PermShopWork, m.b.ID) || a.CanNetwork(nakamawashi.PermCoordinate)
	}
	ownShopOrOffice := func(m *matrix, a *nakamawashi.Actor) bool {
		return a.Can(nakamawashi.PermShopWork, a.CompanyID) || a.CanNetwork(nakamawashi.PermCoordinate)
	}
	// A lot is seen by whoever handles it and by the customer who follows it.
	lotReader := func(m *matrix, a *nakamawashi.Actor) bool {
		return a.Can(nakamawashi.PermShopWork, m.b.ID) || a.Can(nakamawashi.PermInquiryRead, m.e.c.ID)
	}
	inquiry := params{"id": seeded((*flowFixture).inquiryID)}
	mut := func(p params, body string) func(*accessRule) {
		return func(r *accessRule) {
			r.params, r.mutates = p, true
			if body != "" {
				r.json = func(*matrix, *principal) string { return body }
			}
		}
	}
	return map[string]accessRule{
		"api.inquiry.create": rule(ofC(nakamawashi.PermInquirySubmit)).with(func(r *accessRule) {
			r.mutates = true
			r.json = func(m *matrix, _ *principal) string {
				return `{"customer_id":` + itoa(m.e.c.ID) + `,"title":"新規試作","desired_date":"` + nakamawashi.DateOf(timeIn(30)).String() +
					`","delivery_place":"本社","parts":[{"name":"ブラケット","quantity":3}]}`
			}
		}),
		"api.inquiry.list": rule(scoped(nakamawashi.PermInquiryRead)),
		"api.inquiry.get": rule(ofC(nakamawashi.PermInquiryRead)).with(func(r *accessRule) {
			r.params, r.show = inquiry, []string{"秘密の試作シャフト"}
		}),
		"api.inquiry.cancel": rule(ofC(nakamawashi.PermInquirySubmit)).with(mut(params{"id": fresh(stageQuoted, (*flowFixture).inquiryID)}, `{"reason":"予算都合"}`)),
		"api.drawing.upload": rule(ofC(nakamawashi.PermInquirySubmit)).with(func(r *accessRule) {
			r.params, r.mutates = params{"id": fresh(stageSubmitted, (*flowFixture).partID)}, true
			r.multipart = map[string]string{"file:G-002.pdf": flowPDF, "note": "改訂"}
		}),
		"api.drawing.content": rule(ofC(nakamawashi.PermInquiryRead)).with(func(r *accessRule) {
			r.params, r.show = params{"id": seeded((*flowFixture).drawingID)}, []string{"%PDF-1.4"}
		}),
		"api.drawing.views": rule(ofC(nakamawashi.PermInquiryRead)).with(func(r *accessRule) {
			r.params = params{"id": seeded((*flowFixture).drawingID)}
		}),
		"api.routing.set": rule(network(nakamawashi.PermCoordinate)).with(mut(params{"id": fresh(stageSubmitted, (*flowFixture).partID)},
			`{"steps":[{"process":"grinding.cylindrical"}]}`)),
		"api.template.list": rule(network(nakamawashi.PermCoordinate)),
		"api.template.create": rule(network(nakamawashi.PermCoordinate)).with(func(r *accessRule) {
			r.mutates = true
			r.json = func(m *matrix, _ *principal) string {
				m.seq++
				return `{"name":"研削のみ` + itoa(int64(m.seq)) + `","steps":[{"process":"grinding.cylindrical"}]}`
			}
		}),
		"api.part.chains": rule(network(nakamawashi.PermCoordinate)).with(func(r *accessRule) {
			r.params = params{"id": seeded((*flowFixture).inquiryID), "pid": seeded((*flowFixture).partID)}
			r.show = []string{bName}
		}),
		"api.request.send": rule(network(nakamawashi.PermCoordinate)).with(func(r *accessRule) {
			r.params, r.mutates = params{"id": fresh(stageRouted, (*flowFixture).stepID)}, true
			r.json = func(m *matrix, _ *principal) string { return `{"company_ids":[` + bID(m) + `]}` }
		}),
		"api.request.list": rule(nakamawashi.PermShopWork, ownShopOrOffice),
		"api.request.get": rule(nakamawashi.PermShopWork, shopOrOffice).with(func(r *accessRule) {
			r.params = params{"id": seeded((*flowFixture).requestID)}
		}),
		"api.request.answer": rule(onB(nakamawashi.PermShopWork)).with(func(r *accessRule) {
			r.params, r.mutates = params{"id": fresh(stageAsked, (*flowFixture).requestID)}, true
			r.json = func(*matrix, *principal) string {
				return `{"price_yen":50000,"lead_days":2,"earliest_start":"` + nakamawashi.DateOf(timeIn(2)).String() + `"}`
			}
		}),
		"api.request.withdraw": rule(network(nakamawashi.PermCoordinate)).with(mut(params{"id": fresh(stageAsked, (*flowFixture).requestID)}, "")),
		"api.request.choose":   rule(network(nakamawashi.PermCoordinate)).with(mut(params{"id": fresh(stageAnswered, (*flowFixture).requestID)}, "")),
		"api.quote.draft":      rule(network(nakamawashi.PermCoordinate)).with(mut(params{"id": fresh(stageChosen, (*flowFixture).inquiryID)}, "")),
		"api.quote.list":       rule(ofC(nakamawashi.PermInquiryRead)).with(func(r *accessRule) { r.params = inquiry }),
		"api.quote.get": rule(ofC(nakamawashi.PermInquiryRead)).with(func(r *accessRule) {
			r.params = params{"id": seeded((*flowFixture).quoteID)}
		}),
		"api.quote.send":   rule(network(nakamawashi.PermCoordinate)).with(mut(params{"id": fresh(stageDrafted, (*flowFixture).quoteID)}, "")),
		"api.quote.accept": rule(ofC(nakamawashi.PermInquirySubmit)).with(mut(params{"id": fresh(stageQuoted, (*flowFixture).quoteID)}, `{"note":"発注します"}`)),
		"api.quote.reject": rule(ofC(nakamawashi.PermInquirySubmit)).with(mut(params{"id": fresh(stageQuoted, (*flowFixture).quoteID)}, `{"note":"予算超過"}`)),
		"api.order.list":   rule(scoped(nakamawashi.PermInquiryRead)),
		"api.order.get": rule(ofC(nakamawashi.PermInquiryRead)).with(func(r *accessRule) {
			r.params = params{"id": seeded((*flowFixture).orderID)}
		}),
		"api.order.cancel": rule(network(nakamawashi.PermCoordinate)).with(mut(params{"id": fresh(stageOrdered, (*flowFixture).orderID)}, "")),
		"api.workorder.list": rule(nakamawashi.PermShopWork, func(m *matrix, a *nakamawashi.Actor) bool {
			// A customer's people hold shop.work for their own company,
			// which is no shop.
			return a.CanNetwork(nakamawashi.PermCoordinate) || a.CanNetwork(nakamawashi.PermShopWork) ||
				a.Can(nakamawashi.PermShopWork, a.CompanyID) && a.CompanyKind.Supplier()
		}),
		"api.workorder.get": rule(nakamawashi.PermShopWork, shopOrOffice).with(func(r *accessRule) {
			r.params = params{"id": seeded((*flowFixture).workOrderID)}
		}),
		"api.workorder.accept": rule(onB(nakamawashi.PermShopWork)).with(mut(params{"id": fresh(stageOrdered, (*flowFixture).workOrderID)}, "")),
		"api.lot.get": rule(nakamawashi.PermShopWork, lotReader).with(func(r *accessRule) {
			r.params = params{"code": seeded((*flowFixture).lotCode)}
		}),
		"api.lot.scan": rule(onB(nakamawashi.PermShopWork)).with(mut(params{"code": fresh(stageAccepted, (*flowFixture).lotCode)}, `{"action":"start"}`)),
		"api.lot.traveler": rule(nakamawashi.PermShopWork, lotReader).with(func(r *accessRule) {
			r.params = params{"code": seeded((*flowFixture).lotCode)}
		}),
		"api.delivery.create": rule(network(nakamawashi.PermCoordinate)).with(func(r *accessRule) {
			r.mutates = true
			var f *flowFixture
			r.params = params{"id": func(m *matrix) string { f = m.newFlow(stageCompleted); m.forget(); return f.orderID() }}
			r.json = func(*matrix, *principal) string { return `{"lot_ids":[` + itoa(f.lotID) + `]}` }
		}),
		"api.delivery.get": rule(ofC(nakamawashi.PermInquiryRead)).with(func(r *accessRule) {
			r.params = params{"id": seeded((*flowFixture).deliveryID)}
		}),
		"api.delivery.accept": rule(ofC(nakamawashi.PermInquirySubmit)).with(func(r *accessRule) {
			r.mutates = true
			var f *flowFixture
			r.params = params{"id": func(m *matrix) string { f = m.newFlow(stageDelivered); m.forget(); return f.deliveryID() }}
			r.json = func(*matrix, *principal) string { return `{"lines":[{"lot_id":` + itoa(f.lotID) + `,"accepted":5}]}` }
		}),
		"api.invoice.create": rule(network(nakamawashi.PermCoordinate)).with(func(r *accessRule) {
			r.mutates = true
			r.json = func(m *matrix, _ *principal) string {
				f := m.newFlow(stageInspected)
				m.forget()
				return `{"customer_id":` + itoa(m.e.c.ID) + `,"order_ids":[` + itoa(f.order) + `]}`
			}
		}),
		"api.invoice.payment": rule(network(nakamawashi.PermCoordinate)).with(mut(params{"id": fresh(stageInvoiced, (*flowFixture).invoiceID)},
			`{"date":"`+nakamawashi.DateOf(timeIn(0)).String()+`","note":"振込"}`)),
		"api.invoice.list": rule(scoped(nakamawashi.PermInquiryRead)),
		"api.invoice.get": rule(ofC(nakamawashi.PermInquiryRead)).with(func(r *accessRule) {
			r.params = params{"id": seeded((*flowFixture).invoiceID)}
		}),
		"api.payable.list": rule(scoped(nakamawashi.PermRecordsRead)),
		"api.paymentterms.get": rule(ofC(nakamawashi.PermRecordsRead)).with(func(r *accessRule) {
			r.params = params{"id": func(m *matrix) string { return itoa(m.e.c.ID) }}
		}),
		"api.paymentterms.set": rule(network(nakamawashi.PermCoordinate)).with(mut(params{"id": func(m *matrix) string { return itoa(m.e.c.ID) }},
			`{"close_day":20,"months_later":1,"pay_day":10}`)),
		"api.document.list":   rule(scoped(nakamawashi.PermRecordsRead)),
		"api.document.export": rule(scoped(nakamawashi.PermRecordsRead)),
		"api.document.get": rule(onB(nakamawashi.PermRecordsRead)).with(func(r *accessRule) {
			r.params, r.show = params{"id": seeded((*flowFixture).poID)}, []string{bName}
		}),
		"api.document.pdf": rule(onB(nakamawashi.PermRecordsRead)).with(func(r *accessRule) {
			r.params, r.show = params{"id": seeded((*flowFixture).poID)}, []string{"%PDF-"}
		}),
		"api.document.correct": rule(network(nakamawashi.PermCoordinate)).with(func(r *accessRule) {
			r.mutates = true
			var data string
			r.params = params{"id": func(m *matrix) string {
				f := m.newFlow(stageOrdered)
				d, err := m.e.store.FindDocumentByID(m.sys, f.poDocument)
				if err != nil {
					m.t.Fatal(err)
				}
				j, _ := json.Marshal(d.Data)
				data = string(j)
				m.forget()
				return f.poID()
			}}
			r.json = func(*matrix, *principal) string { return `{"data":` + data + `,"reason":"納期の訂正"}` }
		}),
		"api.notification.list": rule("", always),
		"api.notification.read": rule("", always).with(func(r *accessRule) {
			r.json = func(*matrix, *principal) string { return `{"ids":[999999]}` }
		}),
	}
}

// flowMultipart encodes fields and files ("file:<name>" → content) as
// multipart/form-data.
func flowMultipart(parts map[string]string) (io.Reader, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range parts {
		if name, ok := strings.CutPrefix(k, "file:"); ok {
			field := "file"
			if f, n, ok := strings.Cut(name, "/"); ok {
				field, name = f, n
			}
			fw, _ := mw.CreateFormFile(field, name)
			io.WriteString(fw, v)
			continue
		}
		mw.WriteField(k, v)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}
