package http_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The order flow's pages, through the real server on a real store: the
// customer's inquiry form and page, the coordinator's workspace, a shop's
// request inbox; a shop never opens another shop's request.

var locationIDRE = regexp.MustCompile(`/inquiries/(\d+)`)

func wantStatus(t *testing.T, what string, resp *http.Response, body string, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s: status %d; want %d\n%s", what, resp.StatusCode, want, body)
	}
}

func wantText(t *testing.T, what, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s: no %q in the page", what, s)
		}
	}
}

// multipartPost sends a multipart form with one file.
func (c *client) multipartPost(path string, fields url.Values, fileField, fileName string, content []byte) (*http.Response, string) {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", c.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if fileField != "" {
		fw, _ := mw.CreateFormFile(fileField, fileName)
		fw.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestFlowPages(t *testing.T) {
	e := newEnv(t)
	// ownerA's company A is a member shop; make a customer user that
	// reads Japanese by using the customer company's English user for the
	// English check and the office for the Japanese pages.
	customer := e.client()
	customer.login("customer")

	// The new inquiry form, in English for this user.
	resp, body := customer.get("/inquiries/new")
	wantStatus(t, "new inquiry form", resp, body, http.StatusOK)
	wantText(t, "new inquiry form", body, "New inquiry", `name="parts.0.name"`, `type="file"`)

	// An inquiry without a part name is refused on its field, not with a 500.
	resp, body = customer.multipartPost("/inquiries/new", url.Values{"title": {"試作シャフト"}, "parts.0.quantity": {"10"}}, "", "", nil)
	wantStatus(t, "inquiry without a part name", resp, body, http.StatusBadRequest)
	if !strings.Contains(body, `id="error-parts.0.name"`) {
		t.Errorf("the part name's error is not shown on its field:\n%s", body)
	}

	// A complete inquiry (a drawing needs a blob store; this server has
	// none, so the inquiry goes without one).
	form := url.Values{"title": {"試作シャフト"}, "desired_date": {time.Now().AddDate(0, 1, 0).Format("2006-01-02")},
		"delivery_place": {"東京都大田区南蒲田1-9-12"}, "parts.0.drawing_number": {"HS-1024"}, "parts.0.name": {"シャフト"},
		"parts.0.material": {"S45C"}, "parts.0.quantity": {"20"}, "parts.0.x": {"30"}, "parts.0.y": {"30"}, "parts.0.z": {"150"}}
	resp, body = customer.multipartPost("/inquiries/new", form, "", "", nil)
	wantStatus(t, "submit an inquiry", resp, body, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	m := locationIDRE.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("submit redirects to %q", loc)
	}
	inquiryPath := "/inquiries/" + m[1]
	resp, body = customer.get(loc)
	wantStatus(t, "the customer's inquiry", resp, body, http.StatusOK)
	wantText(t, "the customer's inquiry", body, "HS-1024", "The inquiry was sent")

	// The coordinator (the office's admin) sees it in Japanese and routes it.
	office := e.client()
	office.login("admin")
	resp, body = office.get("/inquiries?status=submitted")
	wantStatus(t, "inquiry list", resp, body, http.StatusOK)
	wantText(t, "inquiry list", body, "引合い", "試作シャフト", "受付")
	resp, body = office.get(inquiryPath)
	wantStatus(t, "workspace", resp, body, http.StatusOK)
	wantText(t, "workspace", body, "工程表", "見積作成")

	// A routing with an unknown process is refused on its row.
	resp, body = office.post(inquiryPath+"/parts/"+partID(t, body)+"/routing", url.Values{"use": {"rows"}, "process_1": {"no.such.process"}})
	wantStatus(t, "routing with an unknown process", resp, body, http.StatusBadRequest)
	wantText(t, "routing with an unknown process", body, "工程の種類を一覧から選んでください")

	_, body = office.get(inquiryPath)
	part := partID(t, body)
	resp, body = office.post(inquiryPath+"/parts/"+part+"/routing", url.Values{"use": {"rows"},
		"process_1": {"turning.nc"}, "process_2": {"inspection.cmm"}})
	wantStatus(t, "save a routing", resp, body, http.StatusSeeOther)
	_, body = office.get(inquiryPath)
	wantText(t, "routed workspace", body, "工程検討中")
	steps := regexp.MustCompile(`<tr id="step-(\d+)">`).FindAllStringSubmatch(body, -1)
	if len(steps) != 2 {
		t.Fatalf("the workspace shows %d steps; want 2", len(steps))
	}

	// Requests for the first step to shops A and B.
	resp, body = office.post(inquiryPath+"/parts/"+part+"/requests", url.Values{
		"step_" + steps[0][1]: {itoa(e.a.ID), itoa(e.b.ID)},
		"deadline":            {time.Now().Add(48 * time.Hour).In(time.FixedZone("JST", 9*3600)).Format("2006-01-02T15:04")}})
	wantStatus(t, "send requests", resp, body, http.StatusSeeOther)
	_, body = office.get(inquiryPath)
	reqIDs := regexp.MustCompile(`<tr id="request-(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(reqIDs) != 2 {
		t.Fatalf("the workspace shows %d requests; want 2", len(reqIDs))
	}

	// Shop A sees one request, in Japanese, with its deadline.
	shopA := e.client()
	shopA.login("ownerA")
	resp, body = shopA.get("/requests")
	wantStatus(t, "shop A's inbox", resp, body, http.StatusOK)
	wantText(t, "shop A's inbox", body, "見積依頼", "依頼中")
	mine := regexp.MustCompile(`href="/requests/(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(mine) != 1 {
		t.Fatalf("shop A's inbox lists %d requests; want 1", len(mine))
	}
	other := reqIDs[0][1]
	if other == mine[0][1] {
		other = reqIDs[1][1]
	}
	resp, body = shopA.get("/requests/" + mine[0][1])
	wantStatus(t, "shop A's request", resp, body, http.StatusOK)
	wantText(t, "shop A's request", body, "回答期限", "回答を送る", "辞退する")

	// Shop A cannot open shop B's request: not found.
	resp, body = shopA.get("/requests/" + other)
	wantStatus(t, "shop B's request opened by shop A", resp, body, http.StatusNotFound)
	resp, body = shopA.post("/requests/"+other+"/answer", url.Values{"price_yen": {"1000"}, "lead_days": {"3"}, "earliest_start": {time.Now().AddDate(0, 0, 7).Format("2006-01-02")}})
	if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusForbidden {
		t.Errorf("shop A answering shop B's request: status %d; want 404 or 403", resp.StatusCode)
	}

	// A bad answer is shown on its fields.
	resp, body = shopA.post("/requests/"+mine[0][1]+"/answer", url.Values{"price_yen": {"abc"}, "lead_days": {"0"}})
	wantStatus(t, "bad answer", resp, body, http.StatusBadRequest)
	wantText(t, "bad answer", body, `id="error-price_yen"`, `id="error-earliest_start"`)
	resp, body = shopA.post("/requests/"+mine[0][1]+"/answer", url.Values{"price_yen": {"１２，０００"}, "lead_days": {"3"},
		"earliest_start": {time.Now().AddDate(0, 0, 7).Format("2006-01-02")}})
	wantStatus(t, "answer", resp, body, http.StatusSeeOther)
	_, body = shopA.get(resp.Header.Get("Location"))
	wantText(t, "answered request", body, "回答を送りました", "12,000")

	// The coordinator sees the answer and chooses it.
	_, body = office.get(inquiryPath)
	wantText(t, "workspace with an answer", body, "回答済", "採用")
	resp, body = office.post("/requests/"+mine[0][1]+"/choose", nil)
	wantStatus(t, "choose", resp, body, http.StatusSeeOther)

	// Pages of every role answer without a server error.
	for _, c := range []struct {
		who  *client
		path string
		want string
	}{
		{office, "/orders", "受注"}, {office, "/work-orders", "注文"}, {office, "/invoices", "請求書"},
		{office, "/payables", "支払予定"}, {office, "/records", "帳票"}, {office, "/notifications", "お知らせ"},
		{shopA, "/work-orders", "注文"}, {shopA, "/notifications", "お知らせ"}, {shopA, "/", "あなたを待っていること"},
		{customer, "/orders", "Orders"}, {customer, "/inquiries", "Inquiries"},
	} {
		resp, body := c.who.get(c.path)
		wantStatus(t, c.path, resp, body, http.StatusOK)
		if c.path == "/" {
			resp, body = c.who.get("/flow/waiting")
			wantStatus(t, "/flow/waiting", resp, body, http.StatusOK)
		}
		wantText(t, c.path, body, c.want)
	}
	// A traveler code that names no lot is not found; a malformed one too.
	for _, code := range []string{"nosuchlot", "../../etc", "%00"} {
		resp, body := shopA.get("/t/" + code)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("/t/%s: status %d; want 404", code, resp.StatusCode)
		}
		_ = body
	}
	// The traveler asks for a login and comes back.
	resp, _ = e.client().get("/t/abc")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "next=%2Ft%2Fabc") {
		t.Errorf("anonymous traveler: status %d, Location %q; want a login that comes back", resp.StatusCode, loc)
	}
}

func partID(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`id="part-(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no part in the page")
	}
	return m[1]
}
