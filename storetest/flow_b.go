package storetest

import (
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

// Ordered is a Quoted whose quote the customer accepted: the order, seen
// by the office (with its work orders, one per step, and its one lot).
type Ordered struct {
	*Quoted
	Order *nakamawashi.Order
	Lot   *nakamawashi.Lot
}

// AcceptedOrder builds a sent quote in a new FlowWorld on s and accepts it
// as the customer.
func AcceptedOrder(t testing.TB, s nakamawashi.Store) *Ordered {
	t.Helper()
	return NewFlowWorld(t, s).AcceptedOrder(t)
}

// AcceptedOrder builds an Ordered in w.
func (w *FlowWorld) AcceptedOrder(t testing.TB) *Ordered {
	t.Helper()
	q := w.QuotedInquiry(t)
	o, err := w.Store.AcceptQuote(w.CustomerOwner, q.Quote.ID, "発注します。")
	if err != nil {
		t.Fatalf("AcceptQuote: %v", err)
	}
	if o, err = w.Store.FindOrderByID(w.Coordinator, o.ID); err != nil {
		t.Fatalf("FindOrderByID: %v", err)
	}
	if len(o.Lots) != 1 || len(o.WorkOrders) != len(FlowProcesses) {
		t.Fatalf("order: %d lots, %d work orders", len(o.Lots), len(o.WorkOrders))
	}
	return &Ordered{Quoted: q, Order: o, Lot: o.Lots[0]}
}

// Scan presses a button on the lot's traveler page as shop i and fails t
// on an error.
func (o *Ordered) Scan(t testing.TB, shop int, action nakamawashi.LotAction, good, defect int) *nakamawashi.Lot {
	t.Helper()
	l, err := o.Store.ScanLot(o.ShopOwners[shop], o.Lot.Code, &nakamawashi.LotScan{Action: action, Good: good, Defect: defect})
	if err != nil {
		t.Fatalf("ScanLot(%s) by shop %d: %v", action, shop, err)
	}
	return l
}

// Travel takes the lot through every step, each shop receiving it (but
// the first), starting, finishing with all pieces good and handing it on
// (but the last), and returns the completed lot.
func (o *Ordered) Travel(t testing.TB) *nakamawashi.Lot {
	t.Helper()
	var l *nakamawashi.Lot
	for i := range FlowProcesses {
		if i > 0 {
			o.Scan(t, i, nakamawashi.LotReceive, 0, 0)
		}
		l = o.Scan(t, i, nakamawashi.LotStart, 0, 0)
		l = o.Scan(t, i, nakamawashi.LotFinish, l.Good, 0)
		if i+1 < len(FlowProcesses) {
			l = o.Scan(t, i, nakamawashi.LotHandoff, 0, 0)
		}
	}
	return l
}

// OrderWithPrices builds, in w, an order like AcceptedOrder's whose three
// shops answered with the given prices (no other answer).
func (w *FlowWorld) OrderWithPrices(t testing.TB, prices [3]int64) *Ordered {
	t.Helper()
	q := &Quoted{FlowWorld: w, Inquiry: w.NewInquiry(t)}
	q.Part = q.Inquiry.Parts[0]
	q.Steps = w.Route(t, q.Inquiry)
	for i, st := range q.Steps {
		q.Requests[i] = w.Answer(t, w.Ask(t, st.ID, i), i, prices[i], 2)
		if err := w.Store.ChooseAnswer(w.Coordinator, q.Requests[i].ID); err != nil {
			t.Fatalf("ChooseAnswer: %v", err)
		}
	}
	q.Quote = w.DraftQuote(t, q.Inquiry.ID, q.Part, q.Requests[:])
	sent, err := w.Store.SendQuote(w.Coordinator, q.Quote.ID)
	if err != nil {
		t.Fatalf("SendQuote: %v", err)
	}
	q.Quote = sent
	o, err := w.Store.AcceptQuote(w.CustomerOwner, q.Quote.ID, "")
	if err != nil {
		t.Fatalf("AcceptQuote: %v", err)
	}
	if o, err = w.Store.FindOrderByID(w.Coordinator, o.ID); err != nil {
		t.Fatalf("FindOrderByID: %v", err)
	}
	return &Ordered{Quoted: q, Order: o, Lot: o.Lots[0]}
}
