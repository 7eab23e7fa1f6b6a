package nakamawashi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

// statuses are the status constants of each entity, as the types declare
// them: the state machine table must know every one.
var statuses = map[nakamawashi.Entity][]string{
	nakamawashi.EntityInquiry: {string(nakamawashi.InquirySubmitted), string(nakamawashi.InquiryRouting), string(nakamawashi.InquiryQuoted),
		string(nakamawashi.InquiryOrdered), string(nakamawashi.InquiryLost), string(nakamawashi.InquiryCancelled)},
	nakamawashi.EntityRequest: {string(nakamawashi.RequestSent), string(nakamawashi.RequestAnswered), string(nakamawashi.RequestDeclined),
		string(nakamawashi.RequestExpired), string(nakamawashi.RequestWithdrawn), string(nakamawashi.RequestAwarded), string(nakamawashi.RequestLost)},
	nakamawashi.EntityQuote: {string(nakamawashi.QuoteDraft), string(nakamawashi.QuoteSent), string(nakamawashi.QuoteAccepted),
		string(nakamawashi.QuoteRejected), string(nakamawashi.QuoteExpired), string(nakamawashi.QuoteSuperseded)},
	nakamawashi.EntityOrder: {string(nakamawashi.OrderConfirmed), string(nakamawashi.OrderInProgress), string(nakamawashi.OrderDelivered),
		string(nakamawashi.OrderAccepted), string(nakamawashi.OrderInvoiced), string(nakamawashi.OrderCancelled)},
	nakamawashi.EntityWorkOrder: {string(nakamawashi.WorkOrderIssued), string(nakamawashi.WorkOrderAccepted), string(nakamawashi.WorkOrderInProgress),
		string(nakamawashi.WorkOrderDone), string(nakamawashi.WorkOrderCancelled)},
	nakamawashi.EntityLot: {string(nakamawashi.LotQueued), string(nakamawashi.LotRunning), string(nakamawashi.LotFinished),
		string(nakamawashi.LotInTransit), string(nakamawashi.LotCompleted), string(nakamawashi.LotDelivered)},
	nakamawashi.EntityDelivery: {string(nakamawashi.DeliveryShipped), string(nakamawashi.DeliveryAccepted), string(nakamawashi.DeliveryInvoiced)},
	nakamawashi.EntityInvoice:  {string(nakamawashi.InvoiceIssued), string(nakamawashi.InvoicePaid), string(nakamawashi.InvoiceVoid)},
}

func TestFlowCatalog(t *testing.T) {
	if len(nakamawashi.Entities) != len(statuses) {
		t.Fatalf("%d entities, %d in the test", len(nakamawashi.Entities), len(statuses))
	}
	for _, e := range nakamawashi.Entities {
		want := statuses[e]
		got := nakamawashi.Statuses(e)
		if !sameSet(got, want) {
			t.Errorf("%s: the table has statuses %q, the constants %q", e, got, want)
		}
		keys := []string{"flow.entity." + string(e)}
		for _, s := range got {
			keys = append(keys, "flow.status."+string(e)+"."+s)
		}
		for _, a := range nakamawashi.Actions(e) {
			keys = append(keys, "flow.action."+a)
		}
		for _, k := range keys {
			text, ok := nakamawashi.MessageText(k)
			if !ok || text.JA == "" || text.EN == "" {
				t.Errorf("%s: %q lacks Japanese or English (%+v)", e, k, text)
			}
		}
	}
	// Every lot action a scan may carry is an action of the lot's machine.
	for _, a := range []nakamawashi.LotAction{nakamawashi.LotStart, nakamawashi.LotFinish, nakamawashi.LotHandoff, nakamawashi.LotReceive, nakamawashi.LotDeliver} {
		if !slices.Contains(nakamawashi.Actions(nakamawashi.EntityLot), string(a)) {
			t.Errorf("lot action %q is not in the lot's state machine", a)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestTransition(t *testing.T) {
	for _, tt := range []struct {
		e            nakamawashi.Entity
		from, action string
		to           string
	}{
		{nakamawashi.EntityInquiry, "submitted", "route", "routing"},
		{nakamawashi.EntityInquiry, "quoted", "requote", "routing"},
		{nakamawashi.EntityInquiry, "quoted", "order", "ordered"},
		{nakamawashi.EntityRequest, "answered", "answer", "answered"},
		{nakamawashi.EntityRequest, "answered", "award", "awarded"},
		{nakamawashi.EntityQuote, "sent", "accept", "accepted"},
		{nakamawashi.EntityOrder, "delivered", "deliver", "delivered"},
		{nakamawashi.EntityWorkOrder, "accepted", "finish", "done"},
		{nakamawashi.EntityLot, "in_transit", "receive", "queued"},
		{nakamawashi.EntityLot, "running", "finish_last", "completed"},
		{nakamawashi.EntityDelivery, "accepted", "invoice", "invoiced"},
		{nakamawashi.EntityInvoice, "issued", "void", "void"},
	} {
		got, err := nakamawashi.Transition(tt.e, tt.from, tt.action)
		if err != nil || got != tt.to {
			t.Errorf("Transition(%s, %s, %s) = %q, %v; want %q", tt.e, tt.from, tt.action, got, err, tt.to)
		}
	}
}

// TestTransitionRefused tries every action of every entity from every
// status: what the table does not allow is ECONFLICT, with a message that
// names the entity, its status and the action, in both languages.
func TestTransitionRefused(t *testing.T) {
	refused := 0
	for _, e := range nakamawashi.Entities {
		allowed := map[[2]string]bool{}
		for _, s := range nakamawashi.Statuses(e) {
			for _, a := range nakamawashi.Transitions(e, s) {
				allowed[[2]string{s, a}] = true
			}
		}
		for _, s := range nakamawashi.Statuses(e) {
			for _, a := range nakamawashi.Actions(e) {
				to, err := nakamawashi.Transition(e, s, a)
				if allowed[[2]string{s, a}] {
					if err != nil || !slices.Contains(nakamawashi.Statuses(e), to) {
						t.Errorf("%s %s %s: %q, %v", e, s, a, to, err)
					}
					continue
				}
				refused++
				if nakamawashi.ErrorCode(err) != nakamawashi.ECONFLICT || to != "" {
					t.Errorf("%s %s %s: %q, %v; want ECONFLICT", e, s, a, to, err)
					continue
				}
				status, _ := nakamawashi.MessageText("flow.status." + string(e) + "." + s)
				entity, _ := nakamawashi.MessageText("flow.entity." + string(e))
				action, _ := nakamawashi.MessageText("flow.action." + a)
				ja := nakamawashi.ErrorMessage(nakamawashi.Japanese, err)
				if !strings.Contains(ja, "「"+status.JA+"」") || !strings.Contains(ja, entity.JA) || !strings.Contains(ja, action.JA) {
					t.Errorf("%s %s %s: %q does not name the entity, status (%s) and action", e, s, a, ja, status.JA)
				}
				en := nakamawashi.ErrorMessage(nakamawashi.English, err)
				if !strings.Contains(en, status.EN) || !strings.Contains(en, entity.EN) || strings.Contains(en, "flow.") {
					t.Errorf("%s %s %s: English %q", e, s, a, en)
				}
			}
		}
	}
	if refused < 100 {
		t.Errorf("only %d refused moves tried", refused)
	}
	// A concrete case, as a person reads it.
	_, err := nakamawashi.Transition(nakamawashi.EntityQuote, "accepted", "send")
	if got, want := nakamawashi.ErrorMessage(nakamawashi.Japanese, err), "この見積は「受諾」のため、「提出」はできません。"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	// Terminal statuses allow nothing.
	for e, terminal := range map[nakamawashi.Entity][]string{
		nakamawashi.EntityInquiry:   {"ordered", "lost", "cancelled"},
		nakamawashi.EntityRequest:   {"declined", "expired", "withdrawn", "awarded", "lost"},
		nakamawashi.EntityQuote:     {"accepted", "rejected", "expired", "superseded"},
		nakamawashi.EntityOrder:     {"invoiced", "cancelled"},
		nakamawashi.EntityWorkOrder: {"done", "cancelled"},
		nakamawashi.EntityLot:       {"delivered"},
		nakamawashi.EntityInvoice:   {"paid", "void"},
	} {
		for _, s := range terminal {
			if a := nakamawashi.Transitions(e, s); len(a) != 0 {
				t.Errorf("%s %s allows %q", e, s, a)
			}
		}
	}
	if _, err := nakamawashi.Transition(nakamawashi.EntityLot, "", "start"); nakamawashi.ErrorCode(err) != nakamawashi.ECONFLICT {
		t.Errorf("no status: %v", err)
	}
}

// TestLotJourney walks a lot through three steps as the traveler's buttons
// do.
func TestLotJourney(t *testing.T) {
	status := string(nakamawashi.LotQueued)
	for step := 1; step <= 3; step++ {
		actions := []string{"start", "finish", "handoff", "receive"}
		if step == 3 {
			actions = []string{"start", "finish_last", "deliver"}
		}
		for _, a := range actions {
			next, err := nakamawashi.Transition(nakamawashi.EntityLot, status, a)
			if err != nil {
				t.Fatalf("step %d: %s from %s: %v", step, a, status, err)
			}
			status = next
		}
	}
	if status != string(nakamawashi.LotDelivered) {
		t.Errorf("ends %s", status)
	}
}
