package nakamawashi

import (
	"strings"
	"time"
)

// The order flow, second half: the customer's order (受注) with its
// acknowledgement (注文請書), one work order (注文書) per step to its shop,
// the lots that travel with their 現品票 from shop to shop, the delivery
// (納品書), the customer's acceptance (検収) and the qualified invoice
// (適格請求書), and the payables to the shops.

// Order is the customer's order, created when the customer accepts a quote.
type Order struct {
	ID            int64        `json:"id"`
	Number        string       `json:"number"` // 受注番号, e.g. O2026-00003
	InquiryID     int64        `json:"inquiry_id"`
	QuoteID       int64        `json:"quote_id"`
	CustomerID    int64        `json:"customer_id"`
	CustomerName  string       `json:"customer_name,omitempty"`
	OfficeID      int64        `json:"office_id"`
	Subject       string       `json:"subject"`
	OrderDate     Date         `json:"order_date"`
	DueDate       Date         `json:"due_date"` // the promised date of the quote
	DeliveryPlace string       `json:"delivery_place"`
	Subtotal      int64        `json:"subtotal"`
	Tax           int64        `json:"tax"`
	Total         int64        `json:"total"`
	Status        OrderStatus  `json:"status"`
	CreatedAt     time.Time    `json:"created_at"`
	WorkOrders    []*WorkOrder `json:"work_orders,omitempty"`
	Lots          []*Lot       `json:"lots,omitempty"`
	// AtRisk: a work order of the order is at risk (see Risk); computed
	// when read. Risks say which, for the office only.
	AtRisk     bool    `json:"at_risk"`
	RiskReason string  `json:"risk_reason,omitempty"`
	Risks      []*Risk `json:"risks,omitempty"`
	// Late: a lot is past its step's planned finish and not finished, or
	// the order is past its due date and not delivered; computed when read.
	Late bool `json:"late"`
}

// PaymentMethod is how the office pays its shops, printed on 注文書.
const DefaultPaymentMethod = "銀行振込（振込手数料は発注者負担）"

// WorkOrder is a purchase order (注文書) from the office to one shop for one
// step, with the terms 取適法 asks for.
type WorkOrder struct {
	ID             int64           `json:"id"`
	Number         string          `json:"number"` // 注文番号, e.g. W2026-00017
	OrderID        int64           `json:"order_id"`
	StepID         int64           `json:"step_id"`
	PartID         int64           `json:"part_id"`
	Seq            int             `json:"seq"`
	Process        string          `json:"process"`
	CompanyID      int64           `json:"company_id"` // the shop
	CompanyName    string          `json:"company_name,omitempty"`
	OfficeID       int64           `json:"office_id"`   // the buyer
	Description    string          `json:"description"` // 給付の内容
	Quantity       int             `json:"quantity"`
	Amount         int64           `json:"amount"` // tax excluded
	OrderDate      Date            `json:"order_date"`
	StartDate      Date            `json:"start_date"`
	DeliveryDate   Date            `json:"delivery_date"`
	DeliveryPlace  string          `json:"delivery_place"` // the next shop, or the customer
	InspectionDate Date            `json:"inspection_date"`
	PaymentDate    Date            `json:"payment_date"` // ≤ 60 days after delivery
	PaymentMethod  string          `json:"payment_method"`
	Supply         string          `json:"supply"` // none, paid, free (支給品)
	SupplyTerms    string          `json:"supply_terms,omitempty"`
	Status         WorkOrderStatus `json:"status"`
	AcceptedAt     *time.Time      `json:"accepted_at,omitempty"`
	DoneAt         *time.Time      `json:"done_at,omitempty"`
	// The machine running it, as its shop chose when starting the lot.
	MachineID   int64  `json:"machine_id,omitempty"`
	MachineName string `json:"machine_name,omitempty"`
	// AtRisk while in progress on a machine in alarm (see Risk).
	AtRisk     bool       `json:"at_risk"`
	RiskReason string     `json:"risk_reason,omitempty"`
	RiskSince  *time.Time `json:"risk_since,omitempty"` // the alarm's start
}

// PaymentDays is the most 取適法 allows between receiving a subcontractor's
// work and paying for it, counting the day of receipt as the first.
const PaymentDays = 60

// PaymentDate returns the payment date of work received on delivery under
// "closeDay締め、monthsLater か月後 payDay 払い" terms (0 for the end of the
// month), moved earlier when it would pass the 60-day limit of 取適法.
func PaymentDate(delivery Date, t PaymentTerms) Date {
	if delivery.IsZero() {
		return delivery
	}
	t = t.normalized()
	y, m, d := delivery.Time().Date()
	close := dayOfMonth(y, m, t.CloseDay)
	if d > close.Time().Day() {
		m++
		close = dayOfMonth(y, m, t.CloseDay)
	}
	pay := dayOfMonth(y, m+time.Month(t.MonthsLater), t.PayDay)
	if pay.Before(close) { // 当月 payment on a day before the closing: the next month's
		pay = dayOfMonth(y, m+time.Month(t.MonthsLater)+1, t.PayDay)
	}
	if limit := delivery.AddDays(PaymentDays - 1); pay.After(limit) {
		pay = limit
	}
	return pay
}

// dayOfMonth returns day d of the month (0 or past the end: the last day).
func dayOfMonth(y int, m time.Month, d int) Date {
	last := MakeDate(y, m+1, 0)
	if d <= 0 || d >= last.Time().Day() {
		return last
	}
	return MakeDate(y, m, d)
}

// PaymentTerms are closing and payment days, like 月末締め翌月末払い
// (CloseDay 0, MonthsLater 1, PayDay 0).
type PaymentTerms struct {
	CloseDay    int `json:"close_day"`    // 1–28, or 0 for the end of the month
	MonthsLater int `json:"months_later"` // 0–3
	PayDay      int `json:"pay_day"`      // 1–28, or 0 for the end of the month
}

// DefaultPaymentTerms are 月末締め翌月末払い.
var DefaultPaymentTerms = PaymentTerms{CloseDay: 0, MonthsLater: 1, PayDay: 0}

func (t PaymentTerms) normalized() PaymentTerms {
	if t.CloseDay < 0 || t.CloseDay > 28 {
		t.CloseDay = 0
	}
	if t.PayDay < 0 || t.PayDay > 28 {
		t.PayDay = 0
	}
	if t.MonthsLater < 0 || t.MonthsLater > 3 {
		t.MonthsLater = 1
	}
	return t
}

// Label returns the terms as written in Japanese: 月末締め翌月末払い, 20日締め翌月10日払い.
func (t PaymentTerms) Label() string {
	t = t.normalized()
	day := func(d int) string {
		if d == 0 {
			return "末"
		}
		return itoa(d) + "日"
	}
	months := [...]string{"当月", "翌月", "翌々月", "3か月後"}[t.MonthsLater]
	closeDay := "月末"
	if t.CloseDay != 0 {
		closeDay = itoa(t.CloseDay) + "日"
	}
	return closeDay + "締め" + months + day(t.PayDay) + "払い"
}

// Lot is a quantity of one part that travels through the steps together,
// with one traveler (現品票).
type Lot struct {
	ID            int64       `json:"id"`
	Number        string      `json:"number"` // ロット番号, e.g. L2026-00042
	Code          string      `json:"code"`   // random, in the traveler's QR URL
	OrderID       int64       `json:"order_id"`
	PartID        int64       `json:"part_id"`
	PartName      string      `json:"part_name,omitempty"`
	DrawingNumber string      `json:"drawing_number,omitempty"`
	Quantity      int         `json:"quantity"` // pieces that started
	Good          int         `json:"good"`     // pieces good after the last finished step
	Seq           int         `json:"seq"`      // the current step (1…); len(steps)+1 when all are done
	Status        LotStatus   `json:"status"`
	CompanyID     int64       `json:"company_id"` // the shop that holds the lot now (0: at the customer)
	CompanyName   string      `json:"company_name,omitempty"`
	Due           Date        `json:"due"`  // the current step's planned finish
	Late          bool        `json:"late"` // past Due and not finished
	UpdatedAt     time.Time   `json:"updated_at"`
	Steps         []*LotStep  `json:"steps,omitempty"`
	Events        []*LotEvent `json:"events,omitempty"`
	// AtRisk: the work order of the current step is at risk (see Risk).
	// The machine is the one running the current step, for the office
	// and its shop.
	AtRisk      bool   `json:"at_risk"`
	RiskReason  string `json:"risk_reason,omitempty"`
	MachineID   int64  `json:"machine_id,omitempty"`
	MachineName string `json:"machine_name,omitempty"`
}

// LotStep is one step of a lot's routing as its traveler and its page show
// it: the process, the shop that does it (blanked for customers) and the
// planned finish.
type LotStep struct {
	Seq         int    `json:"seq"`
	Process     string `json:"process"` // a process code of the vocabulary
	CompanyID   int64  `json:"company_id,omitempty"`
	CompanyName string `json:"company_name,omitempty"`
	WorkOrderID int64  `json:"work_order_id,omitempty"`
	Due         Date   `json:"due,omitzero"` // the planned finish (the work order's delivery date)
	MachineID   int64  `json:"machine_id,omitempty"`
	MachineName string `json:"machine_name,omitempty"`
	AtRisk      bool   `json:"at_risk,omitempty"`
}

// LotEvent is one scan or action on a lot: who, when, where, what.
type LotEvent struct {
	ID        int64     `json:"id"`
	LotID     int64     `json:"lot_id"`
	Seq       int       `json:"seq"` // the step it happened at
	Kind      LotAction `json:"kind"`
	Good      int       `json:"good,omitempty"`
	Defect    int       `json:"defect,omitempty"`
	Note      string    `json:"note,omitempty"`
	CompanyID int64     `json:"company_id"`
	UserID    int64     `json:"user_id"`
	UserName  string    `json:"user_name,omitempty"`
	At        time.Time `json:"at"`
	// The machine the step was started on, if the shop chose one.
	MachineID   int64  `json:"machine_id,omitempty"`
	MachineName string `json:"machine_name,omitempty"`
}

// LotScan is what a phone sends when a button on the traveler page is
// pressed.
type LotScan struct {
	Action LotAction `json:"action"`
	Good   int       `json:"good,omitempty"`   // finish: good pieces
	Defect int       `json:"defect,omitempty"` // finish: defective pieces
	Note   string    `json:"note,omitempty"`
	// MachineID optionally names the machine of the shop that runs the
	// step (start only).
	MachineID int64 `json:"machine_id,omitempty"`
}

// Validate checks a scan against the lot it is for.
func (s *LotScan) Validate(l *Lot) error {
	p := Problems{}
	if !s.Action.Valid() {
		p.Add("action", "err.flow.action")
	}
	if s.Action == LotFinish {
		if s.Good < 0 || s.Defect < 0 {
			p.Add("good", "err.flow.counts")
		} else if s.Good+s.Defect != l.Good {
			p.Add("good", "err.flow.counts_sum", l.Good)
		}
	} else if s.Good != 0 || s.Defect != 0 {
		p.Add("good", "err.flow.counts_only_finish")
	}
	if !validLines(s.Note, 1000) {
		p.Add("note", "err.text_max", 1000)
	}
	if s.MachineID < 0 || s.MachineID != 0 && s.Action != LotStart {
		p.Add("machine_id", "err.risk.machine_start_only")
	}
	return p.Err()
}

// Delivery is a shipment of an order's finished lots to the customer, with
// its 納品書, and the customer's acceptance (検収).
type Delivery struct {
	ID         int64          `json:"id"`
	Number     string         `json:"number"` // 納品書番号, e.g. D2026-00005
	OrderID    int64          `json:"order_id"`
	CustomerID int64          `json:"customer_id"`
	Date       Date           `json:"date"`
	Status     DeliveryStatus `json:"status"`
	Lines      []DeliveryLine `json:"lines"`
	Notes      string         `json:"notes,omitempty"`
	AcceptedAt *time.Time     `json:"accepted_at,omitempty"`
	AcceptNote string         `json:"accept_note,omitempty"`
}

// DeliveryLine is one lot in a delivery, and what the customer accepted.
type DeliveryLine struct {
	LotID       int64  `json:"lot_id"`
	LotNumber   string `json:"lot_number,omitempty"`
	PartID      int64  `json:"part_id"`
	Description string `json:"description"`
	PartNumber  string `json:"part_number,omitempty"`
	Quantity    int    `json:"quantity"`
	UnitPrice   int64  `json:"unit_price"`
	Accepted    int    `json:"accepted"`
	Rejected    int    `json:"rejected"`
}

// Acceptance is the customer's inspection result for a delivery.
type Acceptance struct {
	Lines []AcceptanceLine `json:"lines"`
	Note  string           `json:"note,omitempty"`
}

// AcceptanceLine is the result for one lot.
type AcceptanceLine struct {
	LotID    int64 `json:"lot_id"`
	Accepted int   `json:"accepted"`
	Rejected int   `json:"rejected"`
}

// Invoice is a qualified invoice (適格請求書) from the office to a customer:
// for one order, or for every accepted delivery of a month (consolidated,
// by the customer's closing day).
type Invoice struct {
	ID           int64         `json:"id"`
	Number       string        `json:"number"` // 請求書番号, e.g. I2026-00002
	CustomerID   int64         `json:"customer_id"`
	CustomerName string        `json:"customer_name,omitempty"`
	OfficeID     int64         `json:"office_id"`
	Date         Date          `json:"date"`
	PeriodFrom   Date          `json:"period_from,omitzero"`
	PeriodTo     Date          `json:"period_to,omitzero"`
	DueDate      Date          `json:"due_date"`
	OrderIDs     []int64       `json:"order_ids"`
	Lines        []InvoiceLine `json:"lines"`
	Rounding     TaxRounding   `json:"rounding"`
	Subtotal     int64         `json:"subtotal"`
	Tax          int64         `json:"tax"`
	Total        int64         `json:"total"`
	Status       InvoiceStatus `json:"status"`
	PaidOn       Date          `json:"paid_on,omitzero"` // 入金日: the day the customer paid (入金消込)
	CreatedAt    time.Time     `json:"created_at"`
}

// InvoiceLine is one accepted delivery line on an invoice.
type InvoiceLine struct {
	Date        Date    `json:"date"` // 取引年月日: the day of delivery
	Description string  `json:"description"`
	PartNumber  string  `json:"part_number,omitempty"`
	Quantity    int     `json:"quantity"`
	UnitPrice   int64   `json:"unit_price"`
	Rate        TaxRate `json:"rate"`
	Reduced     bool    `json:"reduced,omitempty"`
	Amount      int64   `json:"amount"`
}

// CreateInvoice asks for an invoice: for the given orders, or for every
// accepted, uninvoiced delivery of the customer in the period.
type CreateInvoice struct {
	CustomerID int64   `json:"customer_id"`
	OrderIDs   []int64 `json:"order_ids,omitempty"`
	PeriodFrom Date    `json:"period_from,omitzero"`
	PeriodTo   Date    `json:"period_to,omitzero"`
	Date       Date    `json:"date,omitzero"` // zero: today
}

// Validate checks the request.
func (c *CreateInvoice) Validate() error {
	p := Problems{}
	if c.CustomerID <= 0 {
		p.Add("customer_id", "err.required")
	}
	if len(c.OrderIDs) == 0 && (c.PeriodFrom.IsZero() || c.PeriodTo.IsZero()) {
		p.Add("order_ids", "err.flow.invoice_scope")
	}
	if !c.PeriodFrom.IsZero() && !c.PeriodTo.IsZero() && c.PeriodTo.Before(c.PeriodFrom) {
		p.Add("period_to", "err.doc.period")
	}
	return p.Err()
}

// Payable is what the office owes one shop for the work orders it
// completed: one line per work order, with its payment date.
type Payable struct {
	CompanyID    int64  `json:"company_id"`
	CompanyName  string `json:"company_name"`
	WorkOrderID  int64  `json:"work_order_id"`
	Number       string `json:"number"`
	Description  string `json:"description"`
	Amount       int64  `json:"amount"` // tax excluded
	Tax          int64  `json:"tax"`
	DeliveryDate Date   `json:"delivery_date"`
	PaymentDate  Date   `json:"payment_date"`
}

// PayableFilter selects payables by payment date.
type PayableFilter struct {
	CompanyID int64 // 0: every shop (office only)
	From, To  Date  // payment dates, inclusive; zero: open
}

// Notification tells a company (and its people) that something waits on
// them: a request to answer, a quote to decide, a work order to accept, a
// lot arriving.
type Notification struct {
	ID         int64     `json:"id"`
	CompanyID  int64     `json:"company_id"`
	Kind       string    `json:"kind"` // e.g. request.sent, quote.sent, workorder.issued, lot.handoff
	EntityType string    `json:"entity_type"`
	EntityID   int64     `json:"entity_id"`
	Message    Message   `json:"-"`
	Text       string    `json:"text"` // the message in the reader's language
	Link       string    `json:"link"` // the page it is about, e.g. /requests/12
	CreatedAt  time.Time `json:"created_at"`
	Read       bool      `json:"read"`
	Emailed    bool      `json:"emailed"`
}

// Fees are the network's charges, the plan's self-funding model: a
// commission on the partners' prices, a usage fee per order, and a
// monthly membership fee per member company (billed separately).
type Fees struct {
	CommissionPercent float64 `json:"commission_percent"` // on partner prices and transport, e.g. 10
	UsageFeeYen       int64   `json:"usage_fee_yen"`      // per quote/order
	MembershipFeeYen  int64   `json:"membership_fee_yen"` // per member per month
	// RoundTo rounds each customer unit price up to a multiple of this
	// many yen (1, 10 or 100).
	RoundTo int64 `json:"round_to"`
}

// DefaultFees: 10% commission, ¥3,000 per order, ¥5,000 a month per member,
// unit prices rounded up to ¥10.
var DefaultFees = Fees{CommissionPercent: 10, UsageFeeYen: 3000, MembershipFeeYen: 5000, RoundTo: 10}

// Validate checks the fees.
func (f *Fees) Validate() error {
	p := Problems{}
	if f.CommissionPercent < 0 || f.CommissionPercent > 100 {
		p.Add("commission_percent", "err.range", 0, 100)
	}
	if f.UsageFeeYen < 0 || f.UsageFeeYen > 10_000_000 {
		p.Add("usage_fee_yen", "err.range", 0, 10_000_000)
	}
	if f.MembershipFeeYen < 0 || f.MembershipFeeYen > 10_000_000 {
		p.Add("membership_fee_yen", "err.range", 0, 10_000_000)
	}
	if f.RoundTo != 1 && f.RoundTo != 10 && f.RoundTo != 100 {
		p.Add("round_to", "err.flow.round_to")
	}
	return p.Err()
}

// FlowFilter selects records of the order flow for lists and the records
// search (電子帳簿保存法: date, amount and counterparty, combined).
type FlowFilter struct {
	CompanyID    int64  // the counterparty (customer or shop); 0: any the caller may see
	Counterparty string // part of the counterparty's name
	From, To     Date   // the record's date, inclusive
	MinAmount    *int64 // total, tax included
	MaxAmount    *int64
	Status       string
	AtRisk       bool // orders only: those at risk (see Risk)
	Late         bool // orders only: those late (see Order.Late)
	Offset       int
	Limit        int
}

func (f *FlowFilter) normalize() { f.Counterparty = strings.TrimSpace(f.Counterparty) }
