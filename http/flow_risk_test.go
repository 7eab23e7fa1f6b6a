package http_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/storetest"
)

// A shop starts a lot on one of its machines from the traveler page; the
// machine's alarm shows the order at risk: 設備異常 on the order's page
// with the machine and the shop for the office, without them for the
// customer, in what waits on the office and in the API.
func TestFlowRisk(t *testing.T) {
	e := newEnv(t)
	w := storetest.NewFlowWorld(t, e.store)
	ord := w.AcceptedOrder(t)
	o, lot := ord.Order, ord.Lot
	for key, email := range map[string]string{"shop0": "flow-shop0@example.jp", "coordinator": "flow-coordinator@example.jp",
		"buyer": "flow-customer@example.jp"} {
		e.users[key] = &nakamawashi.User{Email: email}
	}
	mine := &nakamawashi.Machine{CompanyID: w.Shops[0].ID, Process: "turning.nc", Maker: "オークマ", Model: "LB3000 EXII",
		Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 320, L: 500}}
	theirs := &nakamawashi.Machine{CompanyID: w.Shops[1].ID, Process: "turning.nc", Maker: "ヤマザキマザック", Model: "QTN-200",
		Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 300, L: 500}}
	for _, m := range []*nakamawashi.Machine{mine, theirs} {
		if err := e.store.CreateMachine(w.Sys, m); err != nil {
			t.Fatal(err)
		}
	}
	label := nakamawashi.MachineLabel(mine.ID, mine.Process, mine.Maker, mine.Model)
	traveler := "/t/" + lot.Code
	orderPath := "/orders/" + itoa(o.ID)

	// The traveler's start button offers the shop's machines, not others'.
	shop := e.client()
	shop.login("shop0")
	resp, body := shop.get(traveler)
	wantStatus(t, "traveler", resp, body, http.StatusOK)
	wantText(t, "traveler", body, `<select id="machine_id" name="machine_id">`, `value="`+itoa(mine.ID)+`"`, label)
	if strings.Contains(body, theirs.Maker) {
		t.Errorf("the traveler offers another shop's machine:\n%s", body)
	}

	// Another company's machine is refused on the select, through the page
	// and through the API.
	resp, body = shop.post(traveler, url.Values{"action": {"start"}, "machine_id": {itoa(theirs.ID)}})
	wantStatus(t, "start on another's machine", resp, body, http.StatusBadRequest)
	wantText(t, "start on another's machine", body, `id="error-machine_id"`, w.Shops[0].Name)
	resp, body = shop.post(traveler, url.Values{"action": {"start"}, "machine_id": {"二号機"}})
	wantStatus(t, "start on a machine that is no id", resp, body, http.StatusBadRequest)
	wantText(t, "start on a machine that is no id", body, `id="error-machine_id"`)
	shopToken := e.token("shop0")
	resp, body = e.api(shopToken, "POST", "/api/v1/lots/"+lot.Code+"/scan", `{"action":"start","machine_id":`+itoa(theirs.ID)+`}`)
	wantStatus(t, "API start on another's machine", resp, body, http.StatusBadRequest)
	if ae := decodeError(t, body); ae.Error.Code != nakamawashi.EINVALID || !strings.Contains(body, "machine_id") {
		t.Errorf("API start on another's machine: %s", body)
	}
	resp, body = e.api(shopToken, "POST", "/api/v1/lots/"+lot.Code+"/scan", `{"action":"receive","machine_id":`+itoa(mine.ID)+`}`)
	if resp.StatusCode/100 != 4 {
		t.Errorf("a machine with another button: %d %s", resp.StatusCode, body)
	}

	// Started on its own machine.
	resp, body = shop.get(traveler)
	resp, body = shop.post(traveler, url.Values{"action": {"start"}, "machine_id": {itoa(mine.ID)}})
	wantStatus(t, "start on the shop's machine", resp, body, http.StatusSeeOther)
	resp, body = shop.get(traveler)
	wantText(t, "started traveler", body, `id="traveler-machine"`, label)
	if strings.Contains(body, `id="traveler-risk"`) {
		t.Errorf("at risk before any alarm:\n%s", body)
	}

	// The machine stops with an alarm.
	t0 := time.Now().Add(-time.Hour)
	if err := e.store.AppendStateIntervals(w.Sys, []nakamawashi.StateInterval{
		{MachineID: mine.ID, State: "running", Start: t0}, {MachineID: mine.ID, State: "alarm", Start: t0.Add(30 * time.Minute)},
	}); err != nil {
		t.Fatal(err)
	}
	_, body = shop.get(traveler)
	wantText(t, "traveler in alarm", body, `id="traveler-risk"`, "設備異常")
	_, body = shop.get("/work-orders")
	wantText(t, "shop's work orders", body, `id="wo-risk-`+itoa(o.WorkOrders[0].ID)+`"`, label)

	office := e.client()
	office.login("coordinator")
	resp, body = office.get(orderPath)
	wantStatus(t, "office's order", resp, body, http.StatusOK)
	wantText(t, "office's order", body, `id="order-risk"`, `id="lot-risk-`+itoa(lot.ID)+`"`, `step-risk`, "設備異常",
		w.Shops[0].Name, label)
	_, body = office.get("/flow/waiting")
	wantText(t, "office's waiting", body, `id="waiting-at-risk"`, o.Number, w.Shops[0].Name, label)
	_, body = office.get("/orders?at_risk=1")
	wantText(t, "office's orders at risk", body, o.Number, `id="order-risk-`+itoa(o.ID)+`"`)
	resp, body = office.get("/orders?at_risk=maybe")
	wantStatus(t, "orders at_risk=maybe", resp, body, http.StatusBadRequest)

	buyer := e.client()
	buyer.login("buyer")
	resp, body = buyer.get(orderPath)
	wantStatus(t, "customer's order", resp, body, http.StatusOK)
	wantText(t, "customer's order", body, `id="order-risk"`, "設備異常", "納期に影響")
	for _, leak := range []string{w.Shops[0].Name, mine.Maker, mine.Model, label} {
		if strings.Contains(body, leak) {
			t.Errorf("the customer's order page shows %q", leak)
		}
	}

	// The API: at_risk on the order, the list filter, and nothing of
	// machines or shops for the customer.
	var got nakamawashi.Order
	resp, body = e.api(e.token("coordinator"), "GET", "/api/v1/orders/"+itoa(o.ID), "")
	wantStatus(t, "API office's order", resp, body, http.StatusOK)
	if err := json.Unmarshal([]byte(body), &got); err != nil || !got.AtRisk || len(got.Risks) != 1 ||
		got.Risks[0].MachineName != label || got.Risks[0].CompanyName != w.Shops[0].Name || !got.WorkOrders[0].AtRisk {
		t.Fatalf("API office's order: %v %s", err, body)
	}
	var list struct {
		Items []*nakamawashi.Order `json:"items"`
	}
	resp, body = e.api(e.token("coordinator"), "GET", "/api/v1/orders?at_risk=1", "")
	wantStatus(t, "API orders at risk", resp, body, http.StatusOK)
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Items) != 1 || list.Items[0].ID != o.ID || !list.Items[0].AtRisk {
		t.Fatalf("API orders at risk: %v %s", err, body)
	}
	resp, body = e.api(e.token("coordinator"), "GET", "/api/v1/orders?at_risk=yes", "")
	wantStatus(t, "API at_risk=yes", resp, body, http.StatusBadRequest)
	// Started today on plan, the order is at risk but not late.
	resp, body = e.api(e.token("coordinator"), "GET", "/api/v1/orders?late=1", "")
	wantStatus(t, "API late orders", resp, body, http.StatusOK)
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Items) != 0 {
		t.Fatalf("API late orders: %v %s", err, body)
	}
	resp, body = e.api(e.token("coordinator"), "GET", "/api/v1/orders?late=soon", "")
	wantStatus(t, "API late=soon", resp, body, http.StatusBadRequest)
	// Status filters take the entity's own statuses only.
	resp, body = e.api(e.token("coordinator"), "GET", "/api/v1/work-orders?status=issued,in_progress", "")
	wantStatus(t, "API work orders by status", resp, body, http.StatusOK)
	resp, body = e.api(e.token("coordinator"), "GET", "/api/v1/work-orders?status=in_progress,sent", "")
	wantStatus(t, "API work orders status=sent", resp, body, http.StatusBadRequest)
	resp, body = e.api(e.token("coordinator"), "GET", "/api/v1/requests?status=answered,awarded", "")
	wantStatus(t, "API requests by status", resp, body, http.StatusOK)
	resp, body = e.api(e.token("coordinator"), "GET", "/api/v1/requests?status=done", "")
	wantStatus(t, "API requests status=done", resp, body, http.StatusBadRequest)
	resp, body = e.api(e.token("buyer"), "GET", "/api/v1/orders/"+itoa(o.ID), "")
	wantStatus(t, "API customer's order", resp, body, http.StatusOK)
	if !strings.Contains(body, `"at_risk":true`) || strings.Contains(body, `"machine_id"`) || strings.Contains(body, `"machine_name"`) || strings.Contains(body, w.Shops[0].Name) ||
		strings.Contains(body, `"risks"`) {
		t.Fatalf("API customer's order: %s", body)
	}
	resp, body = e.api(e.token("buyer"), "GET", "/api/v1/lots/"+lot.Code, "")
	if !strings.Contains(body, `"at_risk":true`) || strings.Contains(body, `"machine_id"`) || strings.Contains(body, `"machine_name"`) || strings.Contains(body, mine.Maker) {
		t.Fatalf("API customer's lot: %s", body)
	}
	resp, body = e.api(shopToken, "GET", "/api/v1/work-orders/"+itoa(o.WorkOrders[0].ID), "")
	if !strings.Contains(body, `"at_risk":true`) || !strings.Contains(body, `"machine_id":`+itoa(mine.ID)) {
		t.Fatalf("API shop's work order: %s", body)
	}

	// The machine runs again: no longer at risk.
	if err := e.store.AppendStateIntervals(w.Sys, []nakamawashi.StateInterval{
		{MachineID: mine.ID, State: "running", Start: t0.Add(45 * time.Minute)},
	}); err != nil {
		t.Fatal(err)
	}
	_, body = office.get(orderPath)
	if strings.Contains(body, `id="order-risk"`) || strings.Contains(body, "risk-badge") {
		t.Errorf("the order is still shown at risk after the alarm ended")
	}
	_, body = office.get("/flow/waiting")
	if strings.Contains(body, `id="waiting-at-risk"`) {
		t.Errorf("the office still waits on an order at risk")
	}
}
