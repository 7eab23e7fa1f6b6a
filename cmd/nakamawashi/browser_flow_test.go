package main_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The order flow in a real browser on the demo network: the customer's
// inquiry with a drawing, the coordinator's routing and requests to three
// shops, their answers, the quote, the order, the shops' 請け and the
// traveler buttons on a phone-sized screen through every step, the
// delivery, the customer's 検収 and the invoice.

// as logs the browser out and in again as another demo user.
func as(t *testing.T, ctx context.Context, url, email string) {
	t.Helper()
	chromedp.Do(ctx, chromedp.Navigate(url+"/account"))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('#logout')`)); err == nil {
		chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	}
	login(t, ctx, url, email)
}

// step runs actions and fails the test with what was being done.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 2000) : ''`))
		t.Fatalf("%s: %v\npage:\n%s", what, err, body)
	}
}

// eval runs JavaScript that returns a string.
func eval(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

func TestBrowserOrderFlow(t *testing.T) {
	ctx := browser(t)
	ctx, cancel := context.WithTimeout(ctx, 170*time.Second)
	defer cancel()
	m, _ := MustRunServer(t, "--demo")
	url := m.HTTP.URL()

	shops := []struct{ email, name string }{
		{"partner@example.jp", "常陸プレス工業"},
		{"owner@example.jp", "山本精密製作所"},
		{"mitsuwa@example.jp", "三ツ輪製作所"},
	}
	drawing := filepath.Join(t.TempDir(), "HS-1024_図面.pdf")
	if err := os.WriteFile(drawing, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// 1. The customer sends an inquiry with a drawing.
	login(t, ctx, url, "customer@example.jp")
	due := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	step(t, ctx, "submit an inquiry",
		chromedp.Navigate(url+"/inquiries/new"),
		chromedp.WaitVisible(chromedp.CSS(`#inquiry-form`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), "ロボット用ブラケットとシャフト"),
		chromedp.SetValue(chromedp.CSS(`#desired_date`), due),
		chromedp.SendKeys(chromedp.CSS(`#delivery_place`), "東京都大田区南蒲田1-9-12"),
		chromedp.SendKeys(chromedp.CSS(`input[name="parts.0.drawing_number"]`), "HS-1024"),
		chromedp.SendKeys(chromedp.CSS(`input[name="parts.0.name"]`), "ブラケット"),
		chromedp.SendKeys(chromedp.CSS(`input[name="parts.0.material"]`), "SUS304"),
		chromedp.SetValue(chromedp.CSS(`input[name="parts.0.quantity"]`), "20"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name="parts.0.drawing"]`), []string{drawing}),
		screenshot(t, "01-inquiry-form"),
		chromedp.Click(chromedp.CSS(`#inquiry-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#inquiry-title`)),
		chromedp.WaitVisible(chromedp.CSS(`.drawing-link`)),
		screenshot(t, "02-inquiry-sent"),
	)
	inquiryURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	inquiryURL, _, _ = strings.Cut(inquiryURL, "?")

	// 2. The coordinator routes it (press, then NC turning) and asks
	// three shops.
	as(t, ctx, url, "coordinator@example.jp")
	step(t, ctx, "open the workspace", chromedp.Navigate(inquiryURL), chromedp.WaitVisible(chromedp.CSS(`form.routing-rows`)))
	form := "#" + eval(t, ctx, `document.querySelector('form.routing-rows').id`)
	step(t, ctx, "route the part",
		chromedp.SetValue(chromedp.CSS(form+` select[name="process_1"]`), "press"),
		chromedp.SetValue(chromedp.CSS(form+` select[name="process_2"]`), "turning.nc"),
		chromedp.Submit(chromedp.CSS(form)),
		chromedp.WaitVisible(chromedp.CSS(`.routing-table`)),
		chromedp.WaitVisible(chromedp.CSS(`form.send-requests`)),
		screenshot(t, "03-routed-chains"),
	)
	names := `["` + shops[0].name + `","` + shops[1].name + `","` + shops[2].name + `"]`
	checked := eval(t, ctx, `(() => { const f = document.querySelector('form.send-requests'); let n = 0;
		f.querySelectorAll('details').forEach(d => d.open = true);
		f.querySelectorAll('input[type=checkbox]').forEach(c => { c.checked = `+names+`.some(s => c.parentElement.textContent.includes(s)); if (c.checked) n++; });
		return String(n); })()`)
	if n, _ := strconv.Atoi(checked); n < 3 {
		t.Fatalf("the send form offers %s of the three shops", checked)
	}
	step(t, ctx, "send requests",
		screenshot(t, "04-requests-checked"),
		chromedp.Submit(chromedp.CSS(`form.send-requests`)),
		chromedp.WaitVisible(chromedp.CSS(`tr.request-row`)),
	)

	// 3. Each shop answers its request.
	for i, sh := range shops {
		as(t, ctx, url, sh.email)
		step(t, ctx, sh.name+" answers",
			chromedp.Navigate(url+"/requests?open=1"),
			chromedp.WaitVisible(chromedp.CSS(`.request-link`)),
			chromedp.Click(chromedp.CSS(`.request-link`)),
			chromedp.WaitVisible(chromedp.CSS(`#answer-form`)),
			chromedp.SendKeys(chromedp.CSS(`#price_yen`), []string{"48000", "36000", "39000"}[i]),
			chromedp.SendKeys(chromedp.CSS(`#lead_days`), "3"),
			screenshot(t, "05-answer-"+sh.email),
			chromedp.Click(chromedp.CSS(`#answer-submit`)),
			chromedp.WaitVisible(chromedp.CSS(`#request-answer`)),
		)
	}

	// 4. The coordinator chooses 常陸プレス and 山本精密, drafts and sends the quote.
	as(t, ctx, url, "coordinator@example.jp")
	for _, name := range []string{shops[0].name, shops[1].name} {
		step(t, ctx, "open the workspace", chromedp.Navigate(inquiryURL), chromedp.WaitVisible(chromedp.CSS(`tr.request-row`)))
		id := eval(t, ctx, `[...document.querySelectorAll('tr.request-row')].find(r => r.textContent.includes('`+name+`')).querySelector('button.choose').id`)
		step(t, ctx, "choose "+name, chromedp.Click(chromedp.CSS("#"+id)), chromedp.WaitVisible(chromedp.CSS(`#notice`)))
	}
	step(t, ctx, "draft the quote",
		chromedp.Click(chromedp.CSS(`#quote-draft`)),
		chromedp.WaitVisible(chromedp.CSS(`table.costing`)),
		screenshot(t, "06-draft-quote-costing"),
		chromedp.Click(chromedp.CSS(`[id^="quote-send-"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#notice`)),
	)

	// 5. The customer sees one price and one date, and orders.
	as(t, ctx, url, "customer@example.jp")
	step(t, ctx, "accept the quote",
		chromedp.Navigate(inquiryURL),
		chromedp.WaitVisible(chromedp.CSS(`[id^="quote-accept-"]`)),
		screenshot(t, "07-customer-quote"),
	)
	if body := eval(t, ctx, `document.body.innerText`); strings.Contains(body, shops[0].name) || strings.Contains(body, "48,000") {
		t.Errorf("the customer sees a partner or its price:\n%s", body)
	}
	step(t, ctx, "order", chromedp.Click(chromedp.CSS(`[id^="quote-accept-"]`)), chromedp.WaitVisible(chromedp.CSS(`#order-title`)), screenshot(t, "08-order"))
	orderURL, _ := chromedp.Run(ctx, chromedp.Location())
	orderURL, _, _ = strings.Cut(orderURL, "?")

	// 6. The two shops accept their work orders.
	for _, sh := range shops[:2] {
		as(t, ctx, url, sh.email)
		step(t, ctx, sh.name+" accepts its work order",
			chromedp.Navigate(url+"/work-orders"),
			chromedp.WaitVisible(chromedp.CSS(`.wo-accept`)),
			chromedp.Click(chromedp.CSS(`.wo-accept`)),
			chromedp.WaitVisible(chromedp.CSS(`#notice`)),
			screenshot(t, "09-work-order-"+sh.email),
		)
	}

	// 7. The traveler on a phone: each shop presses its buttons.
	as(t, ctx, url, "coordinator@example.jp")
	step(t, ctx, "order page", chromedp.Navigate(orderURL), chromedp.WaitVisible(chromedp.CSS(`.traveler-link`)))
	code := eval(t, ctx, `document.querySelector('.traveler-link').dataset.code`)
	phone := chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	press := func(who, button string, shot string) {
		t.Helper()
		actions := []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(url + "/t/" + code),
			chromedp.WaitVisible(chromedp.CSS(`#scan-` + button)),
		}
		if shot != "" {
			actions = append(actions, screenshot(t, shot))
		}
		actions = append(actions, chromedp.Click(chromedp.CSS(`#scan-`+button)), chromedp.WaitVisible(chromedp.CSS(`#notice`)))
		step(t, ctx, who+" presses "+button, actions...)
	}
	as(t, ctx, url, shops[0].email)
	step(t, ctx, "phone viewport", phone)
	press(shops[0].name, "start", "10-traveler-phone-start")
	press(shops[0].name, "finish", "11-traveler-phone-finish")
	press(shops[0].name, "handoff", "12-traveler-phone-handoff")
	as(t, ctx, url, shops[1].email)
	press(shops[1].name, "receive", "13-traveler-phone-receive")
	press(shops[1].name, "start", "")
	press(shops[1].name, "finish", "")
	step(t, ctx, "completed", chromedp.WaitVisible(chromedp.CSS(`#traveler-completed`)), screenshot(t, "14-traveler-completed"))
	step(t, ctx, "desktop viewport", chromedp.EmulateViewport(1280, 900))

	// 8. Delivery, 検収, invoice.
	as(t, ctx, url, "coordinator@example.jp")
	step(t, ctx, "deliver",
		chromedp.Navigate(orderURL),
		chromedp.WaitVisible(chromedp.CSS(`#delivery-submit`)),
		chromedp.Click(chromedp.CSS(`#delivery-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`.delivery`)),
		screenshot(t, "15-delivered"),
	)
	as(t, ctx, url, "customer@example.jp")
	step(t, ctx, "accept the delivery",
		chromedp.Navigate(orderURL),
		chromedp.WaitVisible(chromedp.CSS(`[id^="acceptance-submit-"]`)),
		chromedp.Click(chromedp.CSS(`[id^="acceptance-submit-"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#notice`)),
		screenshot(t, "16-accepted"),
	)
	as(t, ctx, url, "coordinator@example.jp")
	step(t, ctx, "invoice",
		chromedp.Navigate(orderURL),
		chromedp.WaitVisible(chromedp.CSS(`#invoice-order-submit`)),
		chromedp.Click(chromedp.CSS(`#invoice-order-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`.invoice`)),
		screenshot(t, "17-invoiced"),
	)
	if st := text(t, ctx, `#order-status`); !strings.Contains(st, "請求済") {
		t.Errorf("order status after the invoice = %q; want 請求済", st)
	}
}
