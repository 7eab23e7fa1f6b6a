package http_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/blob"
)

// flowEnv is newEnv with what the order flow needs: a blob store, the
// office's registration number, a third shop and a shop that is never
// asked, each with a person and an API token.
type flowEnv struct {
	*env
	tokens   map[string]string
	outsider *nakamawashi.Company
}

func newFlowEnv(t *testing.T) *flowEnv {
	e := newEnv(t)
	sys := systemContext()
	bs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e.server.Blobs = bs
	reg := "T7000012050002"
	if _, err := e.store.UpdateCompany(sys, e.office.ID, nakamawashi.CompanyUpdate{RegistrationNumber: &reg}); err != nil {
		t.Fatal(err)
	}
	f := &flowEnv{env: e, tokens: map[string]string{}}
	f.outsider = company(nakamawashi.KindMember, "イプシロン研磨", "イプシロンケンマ", "大田区")
	if err := e.store.CreateCompany(sys, f.outsider); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		key, email string
		company    int64
	}{{"ownerP", "owner-p@example.jp", e.partner.ID}, {"outsider", "owner-e@example.jp", f.outsider.ID}} {
		nu, err := e.store.CreateUser(sys, &nakamawashi.NewUser{User: nakamawashi.User{Email: u.email, Name: "社長 " + u.key},
			Password: password, CompanyID: u.company, Role: nakamawashi.RoleOwner})
		if err != nil {
			t.Fatal(err)
		}
		e.users[u.key] = nu
	}
	for _, k := range []string{"admin", "customer", "ownerA", "ownerB", "ownerP", "outsider"} {
		f.tokens[k] = e.token(k)
	}
	return f
}

// call sends a JSON request as a fixture user and decodes a 2xx answer
// into out; any other status fails the test.
func (f *flowEnv) call(who, method, path, body string, want int, out any) string {
	f.t.Helper()
	resp, b := f.api(f.tokens[who], method, path, body)
	if resp.StatusCode != want {
		f.t.Fatalf("%s %s as %s: status %d, want %d: %s", method, path, who, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(b), out); err != nil {
			f.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return b
}

// get fetches a file as a fixture user.
func (f *flowEnv) get(who, path string) (*http.Response, []byte) {
	f.t.Helper()
	req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// pdfText fetches a PDF through the API and returns its text.
func (f *flowEnv) pdfText(who, path string) string {
	f.t.Helper()
	resp, b := f.get(who, path)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(b, []byte("%PDF-")) {
		f.t.Fatalf("GET %s: %d %s %.200s", path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	dir := f.t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, b, 0o600); err != nil {
		f.t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	if err != nil {
		f.t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// requirePDF checks that the text holds every item.
func requirePDF(t *testing.T, what, text string, items ...string) {
	t.Helper()
	for _, it := range items {
		if !strings.Contains(text, it) {
			t.Errorf("%s lacks %q:\n%s", what, it, text)
		}
	}
}

// minimalPDF is a small, real PDF file (a drawing).
func minimalPDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := []int{}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
	}
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		b.WriteString(itoa(int64(i+1)) + " 0 obj " + o + " endobj\n")
	}
	xref := b.Len()
	b.WriteString("xref\n0 4\n0000000000 65535 f \n")
	for _, off := range offsets {
		s := itoa(int64(off))
		b.WriteString(strings.Repeat("0", 10-len(s)) + s + " 00000 n \n")
	}
	b.WriteString("trailer << /Size 4 /Root 1 0 R >>\nstartxref\n" + itoa(int64(xref)) + "\n%%EOF\n")
	return b.Bytes()
}

// upload posts a drawing as multipart/form-data.
func (f *flowEnv) upload(who string, partID int64, name string, data []byte) (*http.Response, string) {
	f.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.WriteField("note", "初版")
	mw.Close()
	req, _ := http.NewRequest("POST", f.ts.URL+"/api/v1/parts/"+itoa(partID)+"/drawings", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// TestAPIOrderFlow runs the order flow end to end through the JSON API on
// a real SQLite file, as the customer, the office and three shops: inquiry
// with a drawing → routing from a template → requests to three shops →
// answers → choices → draft quote → sent → accepted → work orders accepted
// → traveler → scans through every step → delivery → acceptance →
// qualified invoice; every document's PDF is fetched and read.
func TestAPIOrderFlow(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	f := newFlowEnv(t)
	e := f.env
	shops := []struct {
		key     string
		company *nakamawashi.Company
		process string
		price   int64
	}{{"ownerA", e.a, "turning.nc", 43217}, {"ownerB", e.b, "grinding.cylindrical", 38911}, {"ownerP", e.partner, "plating.electroless_ni", 12743}}
	today := nakamawashi.DateOf(timeIn(0))

	// Bad input: 400 with a message per field.
	resp, body := e.api(f.tokens["customer"], "POST", "/api/v1/inquiries", `{"title":"","desired_date":"`+today.AddDays(40).String()+`","delivery_place":"本社","parts":[{"name":"軸","quantity":0}]}`)
	if apiErr := decodeError(t, body); resp.StatusCode != 400 || apiErr.Error.Fields["title"] == "" || apiErr.Error.Fields["parts.0.quantity"] == "" {
		t.Errorf("bad inquiry: %d %s", resp.StatusCode, body)
	}

	// 1. The customer's inquiry with a drawing.
	var inq nakamawashi.Inquiry
	f.call("customer", "POST", "/api/v1/inquiries", `{"title":"搬送ロボット用シャフト 試作","desired_date":"`+today.AddDays(45).String()+
		`","delivery_place":"ガンマ本社工場","parts":[{"drawing_number":"GR-0042","name":"駆動シャフト","material":"S45C","quantity":10,`+
		`"size":{"shape":"round","d":30,"l":180},"tolerance_um":10,"surface":"無電解ニッケルめっき"}]}`, 201, &inq)
	part := inq.Parts[0]
	resp, body = f.upload("customer", part.ID, "GR-0042 図面.pdf", minimalPDF())
	var drawing nakamawashi.Drawing
	if resp.StatusCode != 201 || json.Unmarshal([]byte(body), &drawing) != nil || drawing.Latest().ContentType != "application/pdf" {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	if resp, body := f.upload("customer", part.ID, "disguised.pdf", []byte("MZ\x90\x00 not a drawing at all")); resp.StatusCode != 415 {
		t.Errorf("disguised upload: %d %s", resp.StatusCode, body)
	}
	content := "/api/v1/drawings/" + itoa(drawing.ID) + "/content"
	views := 0
	resp2, data := f.get("customer", content)
	views++
	if resp2.StatusCode != 200 || !bytes.Equal(data, minimalPDF()) || resp2.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(resp2.Header.Get("Content-Disposition"), "filename*=UTF-8''GR-0042%20%E5%9B%B3%E9%9D%A2.pdf") ||
		!strings.Contains(resp2.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("drawing download: %d %v", resp2.StatusCode, resp2.Header)
	}

	// 2. The routing, from a template.
	var tmpl nakamawashi.RoutingTemplate
	f.call("admin", "POST", "/api/v1/routing-templates", `{"name":"旋盤→研削→めっき","steps":[{"process":"turning.nc"},{"process":"grinding.cylindrical"},{"process":"plating.electroless_ni"}]}`, 201, &tmpl)
	var steps struct{ Items []nakamawashi.Step }
	f.call("admin", "PUT", "/api/v1/parts/"+itoa(part.ID)+"/routing", `{"template_id":`+itoa(tmpl.ID)+`}`, 200, &steps)
	if len(steps.Items) != 3 {
		t.Fatalf("routing: %+v", steps)
	}

	// The drawing before any request: no shop may open it.
	for _, who := range []string{"ownerA", "outsider"} {
		if resp, _ := f.get(who, content); resp.StatusCode != 404 {
			t.Errorf("%s opens the drawing before a request: %d", who, resp.StatusCode)
		}
	}

	// 3. Requests to three shops, answers and choices.
	reqs := make([]nakamawashi.Request, 3)
	for i, sh := range shops {
		var rs struct{ Items []nakamawashi.Request }
		f.call("admin", "POST", "/api/v1/steps/"+itoa(steps.Items[i].ID)+"/requests", `{"company_ids":[`+itoa(sh.company.ID)+`],"message":"ご検討ください。"}`, 201, &rs)
		reqs[i] = rs.Items[0]
	}
	for i, sh := range shops {
		// The addressed shop opens the drawing; the view is logged.
		if resp, data := f.get(sh.key, content); resp.StatusCode != 200 || !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Errorf("%s cannot open the drawing of its request: %d", sh.key, resp.StatusCode)
		} else {
			views++
		}
		f.call(sh.key, "POST", "/api/v1/requests/"+itoa(reqs[i].ID)+"/answer",
			`{"price_yen":`+itoa(sh.price)+`,"lead_days":2,"earliest_start":"`+today.AddDays(1).String()+`"}`, 200, nil)
		f.call("admin", "POST", "/api/v1/requests/"+itoa(reqs[i].ID)+"/choose", "", 200, nil)
	}
	// A shop not addressed: neither by the API nor by the URL, and its
	// request list is empty.
	if resp, _ := f.get("outsider", content); resp.StatusCode != 404 {
		t.Errorf("outsider opens the drawing: %d", resp.StatusCode)
	}
	if resp, _ := f.get("outsider", content+"?version=1"); resp.StatusCode != 404 {
		t.Errorf("outsider opens the drawing by version: %d", resp.StatusCode)
	}
	var outsiderReqs struct{ Total int }
	f.call("outsider", "GET", "/api/v1/requests", "", 200, &outsiderReqs)
	if outsiderReqs.Total != 0 {
		t.Errorf("outsider sees %d requests", outsiderReqs.Total)
	}
	if resp, _ := e.api(f.tokens["outsider"], "GET", "/api/v1/requests/"+itoa(reqs[0].ID), ""); resp.StatusCode != 404 {
		t.Errorf("outsider reads a request: %d", resp.StatusCode)
	}

	// 4. The quote: drafted from the answers, sent, accepted.
	var quote nakamawashi.Quote
	f.call("admin", "POST", "/api/v1/inquiries/"+itoa(inq.ID)+"/quotes/draft", `{"notes":"送料込み"}`, 201, &quote)
	if quote.Costing == nil || quote.Costing.PartnerYen != 43217+38911+12743 || quote.Total <= quote.Costing.PartnerYen || quote.PromisedDate.IsZero() {
		t.Fatalf("draft: %+v %+v", quote, quote.Costing)
	}
	f.call("admin", "POST", "/api/v1/quotes/"+itoa(quote.ID)+"/send", "", 200, nil)
	// An illegal transition: 409 with a Japanese message.
	resp, body = e.api(f.tokens["admin"], "POST", "/api/v1/quotes/"+itoa(quote.ID)+"/send", "")
	if apiErr := decodeError(t, body); resp.StatusCode != 409 || apiErr.Error.Code != "conflict" || !strings.Contains(apiErr.Error.Message, "見積") {
		t.Errorf("send twice: %d %s", resp.StatusCode, body)
	}
	// What the customer reads names no partner and no partner price.
	secret := func(what, raw string) {
		t.Helper()
		for _, sh := range shops {
			for _, s := range []string{sh.company.Name, itoa(sh.price)} {
				if strings.Contains(raw, s) {
					t.Errorf("the customer's %s shows %q: %s", what, s, raw)
				}
			}
		}
	}
	secret("quote", f.call("customer", "GET", "/api/v1/quotes/"+itoa(quote.ID), "", 200, nil))
	secret("quotes", f.call("customer", "GET", "/api/v1/inquiries/"+itoa(inq.ID)+"/quotes", "", 200, nil))
	secret("inquiry", f.call("customer", "GET", "/api/v1/inquiries/"+itoa(inq.ID), "", 200, nil))
	var order nakamawashi.Order
	secret("order", f.call("customer", "POST", "/api/v1/quotes/"+itoa(quote.ID)+"/accept", `{"note":"発注します"}`, 201, &order))
	secret("order", f.call("customer", "GET", "/api/v1/orders/"+itoa(order.ID), "", 200, nil))

	// 5. Work orders, accepted by their shops.
	for _, sh := range shops {
		var wos struct{ Items []nakamawashi.WorkOrder }
		f.call(sh.key, "GET", "/api/v1/work-orders", "", 200, &wos)
		if len(wos.Items) != 1 || wos.Items[0].CompanyID != sh.company.ID {
			t.Fatalf("%s's work orders: %+v", sh.key, wos.Items)
		}
		f.call(sh.key, "POST", "/api/v1/work-orders/"+itoa(wos.Items[0].ID)+"/accept", "", 200, nil)
	}
	var full nakamawashi.Order
	f.call("admin", "GET", "/api/v1/orders/"+itoa(order.ID), "", 200, &full)
	if len(full.Lots) != 1 || len(full.WorkOrders) != 3 {
		t.Fatalf("order: %d lots, %d work orders", len(full.Lots), len(full.WorkOrders))
	}
	lot := full.Lots[0]

	// 6. The traveler, and scans through every step.
	trav := f.pdfText("ownerA", "/api/v1/lots/"+lot.Code+"/traveler.pdf")
	requirePDF(t, "現品票", trav, "現品票", lot.Number, "駆動シャフト", "GR-0042")
	if text := f.pdfText("ownerA", "/api/v1/lots/"+lot.Code+"/traveler.pdf?paper=A5"); !strings.Contains(text, lot.Number) {
		t.Errorf("A5 traveler: %s", text)
	}
	scan := func(who, action string, good int) nakamawashi.Lot {
		t.Helper()
		b := `{"action":"` + action + `"}`
		if action == "finish" {
			b = `{"action":"finish","good":` + itoa(int64(good)) + `,"defect":0}`
		}
		var l nakamawashi.Lot
		f.call(who, "POST", "/api/v1/lots/"+lot.Code+"/scan", b, 200, &l)
		return l
	}
	for i, sh := range shops {
		if i > 0 {
			scan(sh.key, "receive", 0)
		}
		if i == 0 {
			// The next shop cannot take the lot before it is handed off.
			resp, body := e.api(f.tokens["ownerB"], "POST", "/api/v1/lots/"+lot.Code+"/scan", `{"action":"receive"}`)
			if resp.StatusCode != 409 && resp.StatusCode != 403 && resp.StatusCode != 404 {
				t.Errorf("receive before hand-off: %d %s", resp.StatusCode, body)
			}
		}
		l := scan(sh.key, "start", 0)
		l = scan(sh.key, "finish", l.Good)
		if i+1 < len(shops) {
			scan(sh.key, "handoff", 0)
		} else if l.Status != nakamawashi.LotCompleted {
			t.Fatalf("lot after the last step: %s", l.Status)
		}
	}
	// Bad scan input: 400 with the field.
	resp, body = e.api(f.tokens["ownerP"], "POST", "/api/v1/lots/"+lot.Code+"/scan", `{"action":"explode"}`)
	if apiErr := decodeError(t, body); resp.StatusCode != 400 || apiErr.Error.Fields["action"] == "" {
		t.Errorf("bad scan: %d %s", resp.StatusCode, body)
	}

	// 7. Delivery, acceptance, invoice.
	var dl nakamawashi.Delivery
	f.call("admin", "POST", "/api/v1/orders/"+itoa(order.ID)+"/deliveries", `{"lot_ids":[`+itoa(lot.ID)+`]}`, 201, &dl)
	f.call("customer", "POST", "/api/v1/deliveries/"+itoa(dl.ID)+"/accept", `{"lines":[{"lot_id":`+itoa(lot.ID)+`,"accepted":10,"rejected":0}]}`, 200, nil)
	var inv nakamawashi.Invoice
	f.call("admin", "POST", "/api/v1/invoices", `{"customer_id":`+itoa(e.c.ID)+`,"order_ids":[`+itoa(order.ID)+`]}`, 201, &inv)
	if inv.Total != inv.Subtotal+inv.Tax || inv.Tax == 0 {
		t.Errorf("invoice: %+v", inv)
	}
	// The customer's payment (入金消込): the office only, once, on a day
	// neither in the future nor before the invoice.
	pay := func(d nakamawashi.Date) string { return `{"date":"` + d.String() + `","note":"振込"}` }
	payURL := "/api/v1/invoices/" + itoa(inv.ID) + "/payment"
	f.call("customer", "POST", payURL, pay(inv.Date), 403, nil)
	resp, body = e.api(f.tokens["admin"], "POST", payURL, pay(nakamawashi.DateOf(timeIn(2))))
	if apiErr := decodeError(t, body); resp.StatusCode != 400 || apiErr.Error.Fields["date"] == "" {
		t.Errorf("payment in the future: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api(f.tokens["admin"], "POST", payURL, pay(inv.Date.AddDays(-1)))
	if apiErr := decodeError(t, body); resp.StatusCode != 400 || apiErr.Error.Fields["date"] == "" {
		t.Errorf("payment before the invoice: %d %s", resp.StatusCode, body)
	}
	var paid nakamawashi.Invoice
	f.call("admin", "POST", payURL, pay(inv.Date), 200, &paid)
	if paid.Status != nakamawashi.InvoicePaid || paid.PaidOn != inv.Date {
		t.Errorf("paid invoice: %+v", paid)
	}
	if b := f.call("customer", "GET", "/api/v1/invoices/"+itoa(inv.ID), "", 200, nil); !strings.Contains(b, `"paid_on":"`+inv.Date.String()+`"`) {
		t.Errorf("invoice after payment: %s", b)
	}
	f.call("admin", "POST", payURL, pay(inv.Date), 409, nil)

	// 8. Every document, as a PDF through the API.
	var docs struct{ Items []nakamawashi.IssuedDocument }
	f.call("admin", "GET", "/api/v1/documents?limit=100", "", 200, &docs)
	kinds := map[nakamawashi.DocumentKind]int{}
	for _, d := range docs.Items {
		kinds[d.Kind]++
		text := f.pdfText("admin", "/api/v1/documents/"+itoa(d.ID)+"/pdf")
		switch d.Kind {
		case nakamawashi.DocQuote:
			requirePDF(t, "見積書", text, "見積書", d.Number, e.c.Name, "御中", "有効期限", "駆動シャフト")
		case nakamawashi.DocOrderAck:
			requirePDF(t, "注文請書", text, "注文請書", e.c.Name, "納入場所", "駆動シャフト")
		case nakamawashi.DocPurchaseOrder:
			requirePDF(t, "注文書", text, "注文書", e.office.Name, "納入場所", "検査完了日", "支払期日", "支払方法", "支給")
		case nakamawashi.DocDeliveryNote:
			requirePDF(t, "納品書", text, "納品書", e.c.Name, "駆動シャフト")
		case nakamawashi.DocInvoice:
			requirePDF(t, "請求書", text, "請求書", "登録番号 T7000012050002", "10%対象", e.c.Name, "御中")
		}
	}
	want := map[nakamawashi.DocumentKind]int{nakamawashi.DocQuote: 1, nakamawashi.DocOrderAck: 1, nakamawashi.DocPurchaseOrder: 3,
		nakamawashi.DocDeliveryNote: 1, nakamawashi.DocInvoice: 1}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%d documents of kind %s, want %d", kinds[k], k, n)
		}
	}
	// 和暦 on request.
	if text := f.pdfText("admin", "/api/v1/documents/"+itoa(docs.Items[0].ID)+"/pdf?dates=wareki"); !strings.Contains(text, "令和") {
		t.Errorf("wareki: %s", text)
	}
	// The customer's records: its own documents, none of the shops'.
	var own struct{ Items []nakamawashi.IssuedDocument }
	raw := f.call("customer", "GET", "/api/v1/documents", "", 200, &own)
	for _, d := range own.Items {
		if d.Kind == nakamawashi.DocPurchaseOrder {
			t.Errorf("the customer finds a 注文書: %+v", d)
		}
	}
	secret("documents", raw)
	// Export: CSV in both encodings and a ZIP of PDFs.
	for _, q := range []string{"format=csv", "format=csv&encoding=sjis", "format=zip"} {
		resp, b := f.get("admin", "/api/v1/documents/export?"+q)
		if resp.StatusCode != 200 || len(b) == 0 {
			t.Errorf("export %s: %d %.200s", q, resp.StatusCode, b)
		}
	}

	// 9. Every drawing view is in the log.
	var vs struct{ Items []nakamawashi.DrawingView }
	f.call("admin", "GET", "/api/v1/drawings/"+itoa(drawing.ID)+"/views", "", 200, &vs)
	if len(vs.Items) != views {
		t.Errorf("%d views logged, %d made", len(vs.Items), views)
	}
	seen := map[int64]bool{}
	for _, v := range vs.Items {
		seen[v.CompanyID] = true
	}
	for _, c := range []int64{e.c.ID, e.a.ID, e.b.ID, e.partner.ID} {
		if !seen[c] {
			t.Errorf("no view of company %d in %+v", c, vs.Items)
		}
	}
	if seen[f.outsider.ID] {
		t.Errorf("a refused view was logged as a view")
	}

	// Notifications reached the shops.
	var ns struct{ Items []nakamawashi.Notification }
	f.call("ownerB", "GET", "/api/v1/notifications", "", 200, &ns)
	if len(ns.Items) == 0 {
		t.Errorf("no notifications for B")
	}
}
