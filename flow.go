package nakamawashi

import "strconv"

// The state machines of the order flow, in one place: every entity's
// statuses and the transitions allowed between them. Stores move an entity
// only through Transition, which refuses any other move with ECONFLICT and
// a message saying what state the record is in; each move writes an audit
// event named "<entity>.<action>".

// InquiryStatus is where an inquiry stands.
type InquiryStatus string

// The inquiry statuses.
const (
	InquirySubmitted InquiryStatus = "submitted" // 受付: waiting for the coordinator
	InquiryRouting   InquiryStatus = "routing"   // 工程検討中: routing, requests, answers
	InquiryQuoted    InquiryStatus = "quoted"    // 見積提出済: a quote waits on the customer
	InquiryOrdered   InquiryStatus = "ordered"   // 受注
	InquiryLost      InquiryStatus = "lost"      // 失注: the customer rejected the quote
	InquiryCancelled InquiryStatus = "cancelled" // 取下げ
)

// RequestStatus is where a step request stands.
type RequestStatus string

// The request statuses. A request is open while sent or answered; the
// shop's access to the drawing ends when it closes (declined, expired,
// withdrawn, lost) and continues through the work order when it is awarded.
const (
	RequestSent      RequestStatus = "sent"      // 依頼中
	RequestAnswered  RequestStatus = "answered"  // 回答済 (手挙げ)
	RequestDeclined  RequestStatus = "declined"  // 辞退
	RequestExpired   RequestStatus = "expired"   // 期限切れ
	RequestWithdrawn RequestStatus = "withdrawn" // 取消
	RequestAwarded   RequestStatus = "awarded"   // 採用 (受注確定)
	RequestLost      RequestStatus = "lost"      // 不採用
)

// Open reports whether the request still waits on an answer or a decision.
func (s RequestStatus) Open() bool { return s == RequestSent || s == RequestAnswered }

// QuoteStatus is where a quote version stands.
type QuoteStatus string

// The quote statuses.
const (
	QuoteDraft      QuoteStatus = "draft"      // 作成中: only the office sees it
	QuoteSent       QuoteStatus = "sent"       // 提出済
	QuoteAccepted   QuoteStatus = "accepted"   // 受諾
	QuoteRejected   QuoteStatus = "rejected"   // 辞退
	QuoteExpired    QuoteStatus = "expired"    // 期限切れ
	QuoteSuperseded QuoteStatus = "superseded" // 改版
)

// OrderStatus is where a customer's order stands.
type OrderStatus string

// The order statuses.
const (
	OrderConfirmed  OrderStatus = "confirmed"   // 受注確定: work orders issued
	OrderInProgress OrderStatus = "in_progress" // 加工中
	OrderDelivered  OrderStatus = "delivered"   // 納品済: waiting for 検収
	OrderAccepted   OrderStatus = "accepted"    // 検収済
	OrderInvoiced   OrderStatus = "invoiced"    // 請求済
	OrderCancelled  OrderStatus = "cancelled"   // 取消
)

// WorkOrderStatus is where a work order to a shop stands.
type WorkOrderStatus string

// The work order statuses.
const (
	WorkOrderIssued     WorkOrderStatus = "issued"      // 発注: waiting for the shop's 請け
	WorkOrderAccepted   WorkOrderStatus = "accepted"    // 受注 by the shop
	WorkOrderInProgress WorkOrderStatus = "in_progress" // 加工中
	WorkOrderDone       WorkOrderStatus = "done"        // 完了: every lot finished and handed off
	WorkOrderCancelled  WorkOrderStatus = "cancelled"   // 取消
)

// LotStatus is where a lot stands at its current step.
type LotStatus string

// The lot statuses.
const (
	LotQueued    LotStatus = "queued"     // 着手待ち at the current step's shop
	LotRunning   LotStatus = "running"    // 加工中
	LotFinished  LotStatus = "finished"   // 加工完了, waiting for hand-off
	LotInTransit LotStatus = "in_transit" // 引き渡し中: the next shop has not confirmed receipt
	LotCompleted LotStatus = "completed"  // every step finished; ready to deliver
	LotDelivered LotStatus = "delivered"  // 納品済
)

// LotAction is a button on the traveler page.
type LotAction string

// The lot actions.
const (
	LotStart   LotAction = "start"   // 着手
	LotFinish  LotAction = "finish"  // 完了 (good and defective counts)
	LotHandoff LotAction = "handoff" // 引き渡し to the next shop
	LotReceive LotAction = "receive" // 受け取り by the next shop
	LotDeliver LotAction = "deliver" // 納品 to the customer (by a delivery)
)

// Valid reports whether a is an action a scan may carry (deliver is done
// through a delivery, not a scan).
func (a LotAction) Valid() bool {
	return a == LotStart || a == LotFinish || a == LotHandoff || a == LotReceive
}

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

// The delivery statuses.
const (
	DeliveryShipped  DeliveryStatus = "shipped"  // 納品済: waiting for 検収
	DeliveryAccepted DeliveryStatus = "accepted" // 検収済
	DeliveryInvoiced DeliveryStatus = "invoiced" // 請求済
)

// InvoiceStatus is where an invoice stands.
type InvoiceStatus string

// The invoice statuses.
const (
	InvoiceIssued InvoiceStatus = "issued" // 発行済
	InvoicePaid   InvoiceStatus = "paid"   // 入金済
	InvoiceVoid   InvoiceStatus = "void"   // 取消 (replaced by a corrected invoice)
)

// Entity names an entity with a state machine.
type Entity string

// The entities with state machines.
const (
	EntityInquiry   Entity = "inquiry"
	EntityRequest   Entity = "request"
	EntityQuote     Entity = "quote"
	EntityOrder     Entity = "order"
	EntityWorkOrder Entity = "work_order"
	EntityLot       Entity = "lot"
	EntityDelivery  Entity = "delivery"
	EntityInvoice   Entity = "invoice"
)

// move is one allowed transition: from a status, by an action, to a status.
type move struct{ from, action, to string }

// machines holds every allowed transition of every entity.
var machines = map[Entity][]move{
	EntityInquiry: {
		{"submitted", "route", "routing"},
		{"routing", "quote", "quoted"},
		{"quoted", "requote", "routing"}, // a new quote version is being prepared
		{"quoted", "order", "ordered"},
		{"quoted", "lose", "lost"},
		{"submitted", "cancel", "cancelled"},
		{"routing", "cancel", "cancelled"},
		{"quoted", "cancel", "cancelled"},
	},
	EntityRequest: {
		{"sent", "answer", "answered"},
		{"sent", "decline", "declined"},
		{"answered", "answer", "answered"}, // a shop may revise its answer until the deadline
		{"answered", "decline", "declined"},
		{"sent", "expire", "expired"},
		{"sent", "withdraw", "withdrawn"},
		{"answered", "withdraw", "withdrawn"},
		{"answered", "award", "awarded"},
		{"answered", "lose", "lost"},
		{"sent", "lose", "lost"},
	},
	EntityQuote: {
		{"draft", "send", "sent"},
		{"draft", "supersede", "superseded"},
		{"sent", "accept", "accepted"},
		{"sent", "reject", "rejected"},
		{"sent", "expire", "expired"},
		{"sent", "supersede", "superseded"},
	},
	EntityOrder: {
		{"confirmed", "start", "in_progress"},
		{"confirmed", "deliver", "delivered"},
		{"in_progress", "deliver", "delivered"},
		{"delivered", "deliver", "delivered"}, // a further partial delivery
		{"delivered", "accept", "accepted"},
		{"accepted", "invoice", "invoiced"},
		{"confirmed", "cancel", "cancelled"},
	},
	EntityWorkOrder: {
		{"issued", "accept", "accepted"},
		{"accepted", "start", "in_progress"},
		{"in_progress", "finish", "done"},
		{"accepted", "finish", "done"},
		{"issued", "cancel", "cancelled"},
		{"accepted", "cancel", "cancelled"},
	},
	EntityLot: {
		{"queued", "start", "running"},
		{"running", "finish", "finished"},
		{"running", "finish_last", "completed"},
		{"finished", "handoff", "in_transit"},
		{"in_transit", "receive", "queued"},
		{"completed", "deliver", "delivered"},
	},
	EntityDelivery: {
		{"shipped", "accept", "accepted"},
		{"accepted", "invoice", "invoiced"},
	},
	EntityInvoice: {
		{"issued", "pay", "paid"},
		{"issued", "void", "void"},
	},
}

// Transition returns the status entity e moves to from status from by
// action, or ECONFLICT with a message naming the entity, its status and
// the action refused.
func Transition(e Entity, from, action string) (string, error) {
	for _, m := range machines[e] {
		if m.from == from && m.action == action {
			return m.to, nil
		}
	}
	return "", Errorf(ECONFLICT, "err.flow.transition",
		Msg("flow.entity."+string(e)), Msg("flow.status."+string(e)+"."+from), Msg("flow.action."+action))
}

// Transitions returns the actions allowed from status of e, in table order.
func Transitions(e Entity, status string) []string {
	var out []string
	for _, m := range machines[e] {
		if m.from == status {
			out = append(out, m.action)
		}
	}
	return out
}

// Statuses returns every status of e, in the order of the table.
func Statuses(e Entity) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range machines[e] {
		for _, s := range []string{m.from, m.to} {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// Actions returns every action of e.
func Actions(e Entity) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range machines[e] {
		if !seen[m.action] {
			seen[m.action] = true
			out = append(out, m.action)
		}
	}
	return out
}

// Entities lists the entities with state machines.
var Entities = []Entity{EntityInquiry, EntityRequest, EntityQuote, EntityOrder, EntityWorkOrder, EntityLot, EntityDelivery, EntityInvoice}

func itoa(n int) string { return strconv.Itoa(n) }
