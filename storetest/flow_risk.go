package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

func init() {
	register("FlowRisk", testFlowRisk)
}

// testFlowRisk: a shop starts a lot on one of its machines; an alarm of
// that machine puts the work order, the lot and the order at risk for as
// long as the alarm lasts; each sees what it may of it.
func testFlowRisk(t *testing.T, h Harness) {
	e, w := flowEnv(t, h)
	s := e.s
	ord := w.AcceptedOrder(t)
	o, lot := ord.Order, ord.Lot
	mine := lathe(w.Shops[0].ID)
	theirs := lathe(w.Shops[1].ID)
	theirs.Maker = "ヤマザキマザック"
	for _, m := range []*nakamawashi.Machine{mine, theirs} {
		if err := s.CreateMachine(w.Sys, m); err != nil {
			t.Fatalf("CreateMachine: %v", err)
		}
	}
	scan := func(ctx context.Context, sc *nakamawashi.LotScan) (*nakamawashi.Lot, error) {
		return s.ScanLot(ctx, lot.Code, sc)
	}

	// Another company's machine, one that does not exist, and a machine
	// with another button are refused, and nothing is written.
	_, err := scan(w.ShopOwners[0], &nakamawashi.LotScan{Action: nakamawashi.LotStart, MachineID: theirs.ID})
	wantCode(t, err, nakamawashi.EINVALID)
	wantField(t, err, "machine_id", "err.risk.machine_not_found")
	var ne *nakamawashi.Error
	if !errors.As(err, &ne) || !strings.Contains(ne.Fields["machine_id"].In(nakamawashi.Japanese), w.Shops[0].Name) {
		t.Errorf("the refusal does not say whose machines to choose from: %v", err)
	}
	_, err = scan(w.ShopOwners[0], &nakamawashi.LotScan{Action: nakamawashi.LotStart, MachineID: theirs.ID + 1000})
	wantField(t, err, "machine_id", "err.risk.machine_not_found")
	_, err = scan(w.ShopOwners[0], &nakamawashi.LotScan{Action: nakamawashi.LotStart, MachineID: -1})
	wantField(t, err, "machine_id", "err.risk.machine_start_only")
	if l, err := s.FindLotByCode(w.Coordinator, lot.Code); err != nil || l.Status != nakamawashi.LotQueued || len(l.Events) != 0 {
		t.Fatalf("after refused starts: %+v, %v", l, err)
	}

	// Started on its machine: kept on the event and the work order; no
	// alarm yet, so nothing is at risk.
	l, err := scan(w.ShopOwners[0], &nakamawashi.LotScan{Action: nakamawashi.LotStart, MachineID: mine.ID})
	if err != nil {
		t.Fatalf("start on a machine: %v", err)
	}
	label := nakamawashi.MachineLabel(mine.ID, mine.Process, mine.Maker, mine.Model)
	if len(l.Events) != 1 || l.Events[0].MachineID != mine.ID || l.Events[0].MachineName != label {
		t.Fatalf("start event: %+v, want machine %d %q", l.Events, mine.ID, label)
	}
	if l.AtRisk || l.MachineID != mine.ID || l.MachineName != label || l.Steps[0].MachineID != mine.ID {
		t.Fatalf("the shop's lot: at risk %v, machine %d %q, step %+v", l.AtRisk, l.MachineID, l.MachineName, l.Steps[0])
	}
	wo := o.WorkOrders[0]
	if got, err := s.FindWorkOrderByID(w.ShopOwners[0], wo.ID); err != nil || got.MachineID != mine.ID || got.MachineName != label || got.AtRisk {
		t.Fatalf("work order: %+v, %v", got, err)
	}
	if list, _, err := s.FindOrders(w.Coordinator, nakamawashi.FlowFilter{AtRisk: true}); err != nil || len(list) != 0 {
		t.Fatalf("orders at risk before any alarm: %d, %v", len(list), err)
	}

	// The machine stops with an alarm.
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	if err := s.AppendStateIntervals(w.Sys, []nakamawashi.StateInterval{
		{MachineID: mine.ID, State: "running", Start: t0},
		{MachineID: theirs.ID, State: "alarm", Start: t0},
		{MachineID: mine.ID, State: "alarm", Start: t0.Add(time.Hour)},
	}); err != nil {
		t.Fatalf("AppendStateIntervals: %v", err)
	}
	wantRisk := func(want bool) {
		t.Helper()
		// The office: which machine of which shop.
		got, err := s.FindOrderByID(w.Coordinator, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.AtRisk != want || got.Lots[0].AtRisk != want || got.WorkOrders[0].AtRisk != want {
			t.Fatalf("office: order %v, lot %v, work order %v, want %v", got.AtRisk, got.Lots[0].AtRisk, got.WorkOrders[0].AtRisk, want)
		}
		for _, wo := range got.WorkOrders[1:] {
			if wo.AtRisk {
				t.Fatalf("work order %s at risk without a machine", wo.Number)
			}
		}
		if want {
			if got.RiskReason != nakamawashi.RiskMachineAlarm || len(got.Risks) != 1 {
				t.Fatalf("office: reason %q, risks %+v", got.RiskReason, got.Risks)
			}
			r := got.Risks[0]
			if r.MachineID != mine.ID || r.MachineName != label || r.CompanyID != w.Shops[0].ID || r.CompanyName != w.Shops[0].Name ||
				r.WorkOrderID != wo.ID || !r.Since.Equal(t0.Add(time.Hour)) {
				t.Fatalf("office's risk: %+v", r)
			}
			if got.Lots[0].MachineName != label || !got.Lots[0].Steps[0].AtRisk || got.Lots[0].Steps[1].AtRisk {
				t.Fatalf("office's lot: %+v, steps %+v %+v", got.Lots[0], got.Lots[0].Steps[0], got.Lots[0].Steps[1])
			}
		} else if got.Risks != nil || got.RiskReason != "" {
			t.Fatalf("office: reason %q, risks %+v", got.RiskReason, got.Risks)
		}
		list, _, err := s.FindOrders(w.Coordinator, nakamawashi.FlowFilter{AtRisk: true})
		if err != nil || len(list) != map[bool]int{true: 1}[want] {
			t.Fatalf("office's orders at risk: %d, %v", len(list), err)
		}
		if want && (list[0].ID != o.ID || !list[0].AtRisk || len(list[0].Risks) != 1 || list[0].Risks[0].CompanyName != w.Shops[0].Name) {
			t.Fatalf("office's order at risk in the list: %+v", list[0])
		}
		all, _, err := s.FindOrders(w.Coordinator, nakamawashi.FlowFilter{})
		if err != nil || len(all) != 1 || all[0].AtRisk != want {
			t.Fatalf("office's orders: %d, %v", len(all), err)
		}

		// The shop of the step: its work order and lot, with its machine.
		wos, _, err := s.FindWorkOrders(w.ShopOwners[0], nakamawashi.WorkOrderFilter{})
		if err != nil || len(wos) != 1 || wos[0].AtRisk != want || wos[0].MachineName != label {
			t.Fatalf("shop's work orders: %+v, %v", wos, err)
		}
		if want && (wos[0].RiskReason != nakamawashi.RiskMachineAlarm || wos[0].RiskSince == nil) {
			t.Fatalf("shop's work order at risk: %+v", wos[0])
		}
		sl, err := s.FindLotByCode(w.ShopOwners[0], lot.Code)
		if err != nil || sl.AtRisk != want || sl.MachineName != label {
			t.Fatalf("shop's lot: %+v, %v", sl, err)
		}
		// The next shop sees the lot at risk, not whose machine.
		nl, err := s.FindLotByCode(w.ShopOwners[1], lot.Code)
		if err != nil || nl.AtRisk != want {
			t.Fatalf("next shop's lot: %+v, %v", nl, err)
		}
		if nl.MachineID != 0 || nl.MachineName != "" || nl.Steps[0].MachineName != "" || nl.Events[0].MachineName != "" {
			t.Fatalf("the next shop sees the first shop's machine: %+v %+v %+v", nl, nl.Steps[0], nl.Events[0])
		}

		// The customer: at risk, and nothing of machines or shops.
		co, err := s.FindOrderByID(w.CustomerOwner, o.ID)
		if err != nil || co.AtRisk != want || co.Lots[0].AtRisk != want || co.Risks != nil {
			t.Fatalf("customer's order: %+v, %v", co, err)
		}
		cl, err := s.FindLotByCode(w.CustomerOwner, lot.Code)
		if err != nil || cl.AtRisk != want {
			t.Fatalf("customer's lot: %+v, %v", cl, err)
		}
		cs, _, err := s.FindOrders(w.CustomerOwner, nakamawashi.FlowFilter{AtRisk: true})
		if err != nil || len(cs) != map[bool]int{true: 1}[want] {
			t.Fatalf("customer's orders at risk: %d, %v", len(cs), err)
		}
		b, _ := json.Marshal([]any{co, cl, cs})
		for _, leak := range []string{w.Shops[0].Name, mine.Maker, mine.Model, label, `"machine_id"`, `"machine_name"`, `"risks"`} {
			if strings.Contains(string(b), leak) {
				t.Fatalf("the customer sees %q: %s", leak, b)
			}
		}
		if want && !strings.Contains(string(b), `"at_risk":true`) {
			t.Fatalf("the customer's order does not say at risk: %s", b)
		}
		// Another customer sees none of it.
		if os, _, err := s.FindOrders(w.OtherCustomerOwner, nakamawashi.FlowFilter{AtRisk: true}); err != nil || len(os) != 0 {
			t.Fatalf("other customer's orders at risk: %d, %v", len(os), err)
		}
	}
	wantRisk(true)

	// The alarm ends: the machine runs again.
	if err := s.AppendStateIntervals(w.Sys, []nakamawashi.StateInterval{
		{MachineID: mine.ID, State: "running", Start: t0.Add(90 * time.Minute)},
	}); err != nil {
		t.Fatalf("AppendStateIntervals: %v", err)
	}
	wantRisk(false)

	// A second alarm, then the step is finished and handed off: a work
	// order no longer in progress is at risk no more, whatever its
	// machine does.
	if err := s.AppendStateIntervals(w.Sys, []nakamawashi.StateInterval{
		{MachineID: mine.ID, State: "alarm", Start: t0.Add(2 * time.Hour)},
	}); err != nil {
		t.Fatalf("AppendStateIntervals: %v", err)
	}
	if got, err := s.FindOrderByID(w.Coordinator, o.ID); err != nil || !got.AtRisk {
		t.Fatalf("second alarm: %v, %v", got.AtRisk, err)
	}
	ord.Scan(t, 0, nakamawashi.LotFinish, lot.Quantity, 0)
	ord.Scan(t, 0, nakamawashi.LotHandoff, 0, 0)
	got, err := s.FindOrderByID(w.Coordinator, o.ID)
	if err != nil || got.AtRisk || got.Lots[0].AtRisk || got.WorkOrders[0].AtRisk || got.WorkOrders[0].MachineID != mine.ID {
		t.Fatalf("after the hand-off: %+v, %v", got, err)
	}

	// The next shop starts without choosing a machine: its work order
	// runs on none, and the first shop's alarm is not its risk.
	ord.Scan(t, 1, nakamawashi.LotReceive, 0, 0)
	ord.Scan(t, 1, nakamawashi.LotStart, 0, 0)
	if got, err := s.FindWorkOrderByID(w.ShopOwners[1], o.WorkOrders[1].ID); err != nil || got.MachineID != 0 || got.AtRisk {
		t.Fatalf("step 2 without a machine: %+v, %v", got, err)
	}

	// A deleted machine leaves the records without it.
	if err := s.DeleteMachine(w.Sys, mine.ID); err != nil {
		t.Fatalf("DeleteMachine: %v", err)
	}
	if got, err := s.FindWorkOrderByID(w.Coordinator, wo.ID); err != nil || got.MachineID != 0 {
		t.Fatalf("work order of a deleted machine: %+v, %v", got, err)
	}
}
