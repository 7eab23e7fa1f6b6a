package http_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/storetest"
)

// The office records a customer's payment on the invoices page: a form per
// issued invoice, dated today by default; a day in the future is refused
// on the form; once paid, the invoice shows 入金済 with its day, to the
// office and to the customer, who has no form.
func TestInvoicePaymentPage(t *testing.T) {
	e := newEnv(t)
	w := storetest.NewFlowWorld(t, e.store)
	inv := w.Invoiced(t)
	for key, email := range map[string]string{"coordinator": "flow-coordinator@example.jp", "buyer": "flow-customer@example.jp"} {
		e.users[key] = &nakamawashi.User{Email: email}
	}
	office := e.client()
	office.login("coordinator")
	customer := e.client()
	customer.login("buyer")
	form := `id="invoice-pay-` + itoa(inv.ID) + `"`
	today := nakamawashi.DateOf(timeIn(0)).String()

	resp, body := office.get("/invoices")
	wantStatus(t, "invoices", resp, body, http.StatusOK)
	wantText(t, "invoices", body, form, `name="date" value="`+today+`"`)
	resp, body = customer.get("/invoices")
	wantStatus(t, "customer's invoices", resp, body, http.StatusOK)
	if strings.Contains(body, form) {
		t.Errorf("the customer is offered the payment form:\n%s", body)
	}
	path := "/invoices/" + itoa(inv.ID) + "/payment"
	resp, body = customer.post(path, url.Values{"date": {today}})
	wantStatus(t, "customer records a payment", resp, body, http.StatusForbidden)

	resp, body = office.post(path, url.Values{"date": {nakamawashi.DateOf(timeIn(3)).String()}})
	wantStatus(t, "payment in the future", resp, body, http.StatusBadRequest)
	wantText(t, "payment in the future", body, "入金日に未来の日付は指定できません")
	resp, body = office.post(path, url.Values{"date": {"昨日"}})
	wantStatus(t, "payment on no date", resp, body, http.StatusBadRequest)

	resp, body = office.post(path, url.Values{"date": {today}, "note": {"振込"}})
	wantStatus(t, "payment", resp, body, http.StatusSeeOther)
	_, body = office.get(resp.Header.Get("Location"))
	wantText(t, "paid invoice", body, "入金を記録しました", `id="invoice-paid-`+itoa(inv.ID)+`"`, "入金済")
	if strings.Contains(body, form) {
		t.Errorf("a paid invoice still has the payment form:\n%s", body)
	}
	_, body = customer.get("/invoices")
	wantText(t, "customer's paid invoice", body, `id="invoice-paid-`+itoa(inv.ID)+`"`)

	resp, body = office.post(path, url.Values{"date": {today}})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("second payment: status %d; want 409", resp.StatusCode)
	}
}
